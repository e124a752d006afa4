/**
 * GraphSpec: the serialisable shape of a compiled graph. It is recorded in Temporal history at the
 * start of every run (workflow input, or the result of the `describeGraph` local activity), and the
 * engine interprets only this record, so redeploying new graph code never changes a running thread's
 * shape. Plain JSON; sandbox-safe.
 */

/**
 * Bumped when the spec's meaning changes; a worker refuses (its workflow task fails and retries) a spec newer than it
 * understands, until a newer worker takes the thread.
 */
export const SPEC_VERSION = 1;

/** Reserved node names, as in LangGraph. */
export const START = '__start__';
export const END = '__end__';

/**
 * Reducers the engine applies itself; `custom` reducers run in a local activity on the worker.
 * `messages` is LangGraph's messagesStateReducer on wire messages (see `mergeMessages`).
 */
export type ReducerKind = 'last' | 'append' | 'messages' | 'custom';

export interface ChannelSpec {
  reducer: ReducerKind;
  /** JSON value of the field's default, computed once at compile time. */
  default?: unknown;
  hasDefault: boolean;
}

/** Retry policy in LangGraph's vocabulary; mapped onto the node Activity's Temporal retry policy. */
export interface RetryPolicySpec {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Milliseconds before the first retry. */
  initialInterval: number;
  backoffFactor: number;
  /** Upper bound in milliseconds between retries. */
  maxInterval: number;
  /** Error names (`error.name`) that are never retried. */
  nonRetryableErrors: string[];
}

/** A node's retry policy when `addNode` sets none (the wire spec omits it then). */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicySpec> = {
  maxAttempts: 3,
  initialInterval: 500,
  backoffFactor: 2,
  maxInterval: 128_000,
  nonRetryableErrors: [],
};
/** A node attempt's start-to-close timeout when `addNode` sets none. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/**
 * A node attempt's heartbeat timeout when `addNode` sets none: a node whose worker died runs again on another worker
 * about this long after (bench/results/worker-crash.md), and a node may block its event loop for almost as long (a
 * CPU-bound step) without being timed out falsely. Set `heartbeatTimeout` on a node that blocks longer.
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
/** The heartbeat timeout of a recorded spec's nodes that set none, when the spec names no default: specs of 0.1. */
export const LEGACY_HEARTBEAT_TIMEOUT_MS = 60_000;

export interface NodeSpec {
  name: string;
  /** Nodes this node may `goto` through a returned Command (LangGraph's `ends`). */
  ends: string[];
  retryPolicy: RetryPolicySpec;
  /** Start-to-close timeout of one attempt, in milliseconds. */
  timeoutMs: number;
  /** Heartbeat timeout of one attempt, in milliseconds. */
  heartbeatTimeoutMs: number;
  /**
   * `true`: always a local Activity (`addNode(name, fn, { local: true })`). Absent: a regular Activity, whose
   * re-execution after a pause runs locally (it mostly replays memoised steps). `false`: always a regular Activity.
   */
  local?: boolean;
  /** Number of conditional edges leaving this node (evaluated inside the node's Activity). */
  branches: number;
  /** Set when the node is a compiled graph: its spec, run as a child workflow of Workflow Type `subgraph.name`. */
  subgraph?: GraphSpec;
}

/** A static edge. `from` has one entry for a plain edge and several for a join (`addEdge([a, b], c)`). */
export interface EdgeSpec {
  from: string[];
  to: string;
}

export interface BranchSpec {
  source: string;
  /** Where the router may send the run; `null` when it has no path map and may go anywhere. */
  destinations: string[] | null;
}

export interface GraphSpec {
  specVersion: typeof SPEC_VERSION;
  name: string;
  /** In declaration order; the order also fixes the order in which parallel writes are applied. */
  nodes: NodeSpec[];
  edges: EdgeSpec[];
  branches: BranchSpec[];
  channels: Record<string, ChannelSpec>;
  /** Static breakpoints: pause before these nodes run. Absent when none. */
  interruptBefore?: string[];
  /** Static breakpoints: pause after these nodes ran. Absent when none. */
  interruptAfter?: string[];
  /**
   * `false`: pauses are not written to search attributes and memo (`compile({ publishPauses: false })`); they show
   * through the `getState` Query, the Web UI's current details and the Update results only. Absent = published.
   */
  publishPauses?: false;
  /** `'fail'`: a node that fails after its retries ends the run (`compile({ onNodeFailure: 'fail' })`). Absent = the thread parks on it. */
  onNodeFailure?: 'fail';
  /** Content hash of everything above, to tell whether a thread runs on the shape of current code. */
  hash: string;
}

/** FNV-1a over the JSON of the spec: deterministic, dependency-free, good enough to spot changes. */
export function hashSpec(spec: Omit<GraphSpec, 'hash'>): string {
  const text = JSON.stringify(spec);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
