/**
 * One node execution as logs and traces name it: the same attributes on every log line the worker writes about it
 * and on its span, so an operator can go from one to the other with the thread id.
 */
import type { NodeResult } from '../protocol/payloads.js';

export interface NodeExecution {
  /** The thread: the Workflow Id. */
  threadId: string;
  /** The graph: the Workflow Type. */
  graph: string;
  node: string;
  /** The superstep the node runs in. */
  step: number;
  /** The task: stable across the attempts and re-runs (after a resume) of one task. */
  taskId: string;
  /** The Activity attempt, from 1: a retry of the node after a failure counts up. */
  attempt: number;
}

/**
 * Wraps each node execution on the worker; the worker's telemetry records it as a span. `ownActivity` says whether
 * the node runs as an Activity of its own (whose span is then the node's) or inside a local segment (many nodes in
 * one Activity).
 */
export type NodeObserver = (
  execution: NodeExecution,
  ownActivity: boolean,
  run: () => Promise<NodeResult>,
) => Promise<NodeResult>;

/** The observer of a worker without telemetry: runs the node. */
export const runUnobserved: NodeObserver = (_execution, _ownActivity, run) => run();

/** The attributes of a node execution, as plain fields (for log metadata and span attributes alike). */
export function nodeExecution(
  task: { threadId: string; graph: string; node: string; step: number; taskId: string },
  attempt: number,
): NodeExecution {
  return {
    threadId: task.threadId,
    graph: task.graph,
    node: task.node,
    step: task.step,
    taskId: task.taskId,
    attempt,
  };
}
