/**
 * The custom search attributes durable-graph writes on threads that pause, so paused threads can be
 * listed and explained with stock Temporal tools even when no worker is running.
 * Sandbox-safe: imported by the engine, the worker, the client and the dev-server launcher.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Keyword: `interrupted` while paused, `running` once resumed, and the final status when a run that had paused ends
 * (`completed`, `failed`); `error` while parked on a failed node. Absent for a thread that never paused (a refused
 * Signal writes it too). Threads recorded at engine level 0 (durable-graph 0.1.0) rewrite it at the end only while
 * it still claims a pause, so such a closed thread may keep `running`: read a closed thread's ExecutionStatus. A
 * thread terminated or cancelled while paused keeps `interrupted`, so list paused threads with
 * `DurableGraphStatus="interrupted" AND ExecutionStatus="Running"`.
 */
export const statusSearchAttribute = defineSearchAttributeKey('DurableGraphStatus', 'KEYWORD');

/** KeywordList: the nodes that hold a pending interrupt (also while running after a resume that answered only some). */
export const pendingNodesSearchAttribute = defineSearchAttributeKey('DurableGraphPendingNodes', 'KEYWORD_LIST');

/** Every custom search attribute the engine writes, with the type name the `temporal` CLI expects. */
export const searchAttributeDefinitions = [
  { name: statusSearchAttribute.name, cliType: 'Keyword' },
  { name: pendingNodesSearchAttribute.name, cliType: 'KeywordList' },
] as const;

/** Values of {@link statusSearchAttribute}. */
export const ThreadStatus = {
  RUNNING: 'running',
  INTERRUPTED: 'interrupted',
  COMPLETED: 'completed',
  FAILED: 'failed',
  /** A node failed after its retries and the thread is parked on it (still open: retry it, or answer again). */
  ERROR: 'error',
} as const;
export type ThreadStatus = (typeof ThreadStatus)[keyof typeof ThreadStatus];

/** A string literal for a Temporal Visibility query, e.g. `WorkflowId = ${visibilityString(threadId)}`. */
export function visibilityString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
