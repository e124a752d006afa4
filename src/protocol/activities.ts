/**
 * The Activities a durable-graph worker registers, as types only: the engine calls them through
 * `proxyActivities` and never imports their code. Inputs and results are plain JSON.
 */
import type { NodeResult, NodeTask, SendSpec } from './payloads.js';
import type { GraphSpec } from './spec.js';

export interface DescribeGraphInput {
  graph: string;
  threadId: string;
  /** Raw state input, validated against the graph's schema on the worker. */
  input: unknown;
}

export interface DescribeGraphResult {
  spec: GraphSpec;
  input: Record<string, unknown> | null;
}

export interface RouteStartInput {
  graph: string;
  threadId: string;
  state: Record<string, unknown>;
  /** Evaluate the conditional edges of this node instead of START's (used by updateState(..., asNode)). */
  source?: string;
}

export interface ApplyWritesInput {
  graph: string;
  threadId: string;
  values: Record<string, unknown>;
  writes: Record<string, unknown>[];
}

/** Activity names and signatures; the worker's implementation lives in `src/activities`. */
export interface GraphActivities {
  /** Runs one node once (one Activity attempt); an interrupt comes back as data. */
  runNode(task: NodeTask): Promise<NodeResult>;
  /** Evaluates the conditional edges leaving START on the thread's input state: node names and Sends. */
  routeStart(input: RouteStartInput): Promise<Array<string | SendSpec>>;
  /** Returns the spec of a graph this worker hosts, for threads started by name (e.g. from the CLI). */
  describeGraph(input: DescribeGraphInput): Promise<DescribeGraphResult>;
  /** Merges writes through the graph's custom reducers (user code, so never in the sandbox). */
  applyWrites(input: ApplyWritesInput): Promise<Record<string, unknown>>;
}
