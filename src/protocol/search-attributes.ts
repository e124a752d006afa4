/**
 * The custom search attributes durable-graph writes on threads that pause, so paused threads can be
 * listed and explained with stock Temporal tools even when no worker is running.
 * Sandbox-safe: imported by the engine, the worker, the client and the dev-server launcher.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Keyword: `interrupted` while paused, `running` once resumed; absent for a thread that never paused (a refused
 * Signal writes it too). A run's end rewrites it only while it still claims a pause (`failed` for a run that fails at
 * an interrupt deadline); otherwise a closed thread keeps `running`: read a closed thread's ExecutionStatus. A thread terminated or cancelled while paused keeps `interrupted`, so list paused
 * threads with `DurableGraphStatus="interrupted" AND ExecutionStatus="Running"`.
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
