/**
 * Every log line the worker writes about a node execution carries its thread, graph, node, step, task and attempt:
 * the SDK's own lines ("Activity failed"), durable-graph's, and those a node writes with `log` from
 * `@temporalio/activity`. Temporal's Activity logger asks the interceptors' `getLogAttributes` at each line, so the
 * attributes follow the node even inside a local segment, where many nodes share one Activity.
 */
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';
import { nodeExecution } from '../activities/node-execution.js';
import { nodeRunOf } from '../activities/node-run.js';
import { currentNodeContext } from '../graph/node-context.js';
import { isNodeActivity } from '../protocol/activities.js';
import type { NodeTask } from '../protocol/payloads.js';

/** The Activity interceptors that add a node execution's attributes to the Activity's log lines. */
export function nodeLogAttributes(activity: Context): ActivityInterceptors {
  const { info } = activity;
  const threadId = info.workflowExecution?.workflowId;
  const graph = info.workflowType;
  // Before the Activity's input is read ("Activity started"), a node's Activity still names its node.
  let own: Record<string, unknown> =
    threadId === undefined
      ? {}
      : isNodeActivity(info.activityType)
        ? { threadId, graph, node: info.activityType, attempt: info.attempt }
        : { threadId, graph };
  return {
    inbound: {
      async execute(input, next) {
        if (threadId !== undefined && isNodeActivity(info.activityType) && isNodeTask(input.args[0]))
          own = { ...nodeExecution(nodeRunOf(input.args[0], info), info.attempt) };
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        const node = currentNodeContext();
        return next({ ...input, ...own, ...(node ? nodeExecution(node, info.attempt) : {}) });
      },
    },
  };
}

function isNodeTask(value: unknown): value is NodeTask {
  return typeof value === 'object' && value !== null && typeof (value as NodeTask).step === 'number';
}
