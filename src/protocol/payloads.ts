/**
 * Wire payloads between client, engine and activities: plain JSON only, so any Temporal client in
 * any language (and the `temporal` CLI) can start a thread or read its state.
 */
import type { GraphSpec } from './spec.js';
import type { ThreadStatus } from './search-attributes.js';

/**
 * Input of the graph workflow. The smallest valid input is `{}` (no state input);
 * `temporal workflow start --type <graph> --input '{"input": {"request": "..."}}'` starts a thread by name.
 */
export interface RunInput {
  /** State input, written by START through the reducers. */
  input?: Record<string, unknown> | null;
  /** The graph's shape. When absent the workflow asks a worker for it (`describeGraph`) and records it. */
  spec?: GraphSpec;
  /** State carried over from the thread's previous run (a thread continues where it ended). */
  previous?: { values: Record<string, unknown>; step: number };
  /** Maximum supersteps in this run. @default 25 */
  recursionLimit?: number;
}

/** One node execution handed to the `runNode` Activity. */
export interface NodeTask {
  graph: string;
  node: string;
  threadId: string;
  taskId: string;
  step: number;
  /** Thread state at the start of the superstep. */
  state: Record<string, unknown>;
  /** Resume values for this task's interrupts so far; the k-th `interrupt()` returns the k-th. */
  resume: unknown[];
  /** Hash of the spec the thread runs on, to warn when the worker's graph has changed. */
  specHash: string;
}

/** What a node execution produced. An interrupt is data, never an exception, so it is never retried. */
export type NodeResult =
  | {
      kind: 'update';
      /** The node's state update (null when it returned nothing). */
      update: Record<string, unknown> | null;
      /** Destinations chosen by the node's conditional edges (on its own fresh state) and by a returned Command's goto. */
      next: string[];
    }
  | {
      kind: 'interrupt';
      /** Position of the `interrupt()` call within this execution of the node (0-based). */
      index: number;
      value: unknown;
    };

/** A pending interrupt, as LangGraph shows it. */
export interface InterruptInfo {
  id: string;
  value: unknown;
}

export interface TaskSnapshot {
  id: string;
  name: string;
  interrupts: InterruptInfo[];
  /** The node's update once it has completed. */
  result?: Record<string, unknown> | null;
}

/** A resume the engine refused; kept so `getState` and the Web UI can say why nothing happened. */
export interface RejectedResume {
  at: string;
  via: 'signal' | 'update';
  reason: string;
}

/** The `getState` query result and the workflow's result: a LangGraph-style state snapshot. */
export interface ThreadState {
  threadId: string;
  graph: string;
  status: ThreadStatus;
  values: Record<string, unknown>;
  /** Nodes that will run (or re-run) next; empty when the run is complete. */
  next: string[];
  tasks: TaskSnapshot[];
  /** Every pending interrupt, in task order (what `invoke` returns as `__interrupt__`). */
  interrupts: InterruptInfo[];
  metadata: { source: 'input' | 'loop'; step: number; specHash: string };
  createdAt: string;
  /** Count of stops (pauses and ends) in this run; lets a waiter know a stop is new. */
  stops: number;
  rejectedResumes: RejectedResume[];
}

/** Input of the `resume` Signal and Update: `{"resume": <value>}` or `{"resume": {"<interruptId>": <value>}}`. */
export interface ResumeInput {
  resume: unknown;
}

/** Input of the `awaitStop` Update. */
export interface AwaitStopInput {
  /** Return at the first stop whose count exceeds this; omit to return at once if stopped now. */
  afterStop?: number;
}
