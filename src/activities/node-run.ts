/**
 * A node execution as the activities work with it: the node Activity's input plus what the Activity's own info already
 * says (the graph is the workflow type, the thread the workflow id), so that history records neither twice.
 */
import type { NodeTask } from '../protocol/payloads.js';

export interface NodeRun extends NodeTask {
  graph: string;
  threadId: string;
  node: string;
  taskId: string;
  resume: unknown[];
}

/** The run of `task` for the Activity whose info is `info`. */
export function nodeRunOf(
  task: NodeTask,
  info: { activityType: string; activityId: string; workflowType?: string; workflowExecution?: { workflowId: string } },
): NodeRun {
  const graph = info.workflowType;
  const threadId = info.workflowExecution?.workflowId;
  if (graph === undefined || threadId === undefined)
    throw new Error(
      `Activity "${info.activityType}" was called outside a workflow: a node's Activity runs only for a durable-graph thread.`,
    );
  return {
    ...task,
    graph,
    threadId,
    node: info.activityType,
    taskId: task.taskId ?? info.activityId,
    resume: task.resume ?? [],
  };
}
