/**
 * The Activities a durable-graph Worker registers: they look graphs up by name in the worker's
 * registry and run user code (nodes, routers, custom reducers, schemas).
 */
import { Context } from '@temporalio/activity';
import { UnknownGraphError } from '../errors.js';
import type { CompiledGraph } from '../graph/compiled-graph.js';
import { OwnActivity, type GraphActivities, type NodeActivity } from '../protocol/activities.js';
import { packNodeResult } from '../protocol/node-result-wire.js';
import { toFailure } from '../protocol/failures.js';
import { START } from '../protocol/spec.js';
import { packSpec } from '../protocol/spec-wire.js';
import { nodeExecution, runUnobserved, type NodeObserver } from './node-execution.js';
import { nodeRunOf } from './node-run.js';
import { runLocalSteps } from './run-local-steps.js';
import { unknownNodeError, type ServedVersion } from './unknown-node.js';
import { nodeConfig, route, runNode } from './run-node.js';

/**
 * The Activities a worker registers for the given graphs (names must be unique): the engine's own, and as the
 * default Activity every node's (a node's Activity Type is its name, so the Web UI lists nodes by name). `observe`
 * wraps every node execution (the worker's telemetry); `version` is the Worker Deployment version the worker serves.
 */
export function createActivities(
  graphs: readonly CompiledGraph[],
  observe: NodeObserver = runUnobserved,
  version?: ServedVersion,
): GraphActivities & { default: NodeActivity } {
  const registry = new Map(graphs.map((g) => [g.name, g]));
  const lookup = (name: string, threadId: string): CompiledGraph => {
    const graph = registry.get(name);
    if (!graph) throw toFailure(new UnknownGraphError(name, [...registry.keys()], { threadId }));
    return graph;
  };
  const guard = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toFailure(error);
    }
  };
  return {
    default: async (task) => {
      const { info } = Context.current();
      const run = nodeRunOf(task, info);
      const graph = lookup(run.graph, run.threadId);
      // Before any node code: a worker of another version of the graph may lack the node (see unknown-node.ts).
      if (!graph.nodes.has(run.node)) throw toFailure(unknownNodeError(graph, run, version));
      return packNodeResult(await observe(nodeExecution(run, info.attempt), true, () => runNode(graph, run, registry)));
    },
    [OwnActivity.runLocalSteps]: async (input) =>
      guard(() => runLocalSteps(lookup(input.graph, input.threadId), input, registry, observe)),
    [OwnActivity.describeGraph]: async ({ graph, threadId, input }) =>
      guard(() => {
        const compiled = lookup(graph, threadId);
        const parsed = compiled.parseInput(input, threadId);
        return { spec: packSpec(compiled.spec), input: Object.keys(parsed).length ? parsed : null };
      }),
    [OwnActivity.routeStart]: async ({ graph, threadId, state, source = START }) =>
      guard(() => {
        const compiled = lookup(graph, threadId);
        const config = nodeConfig(compiled, { threadId, taskId: Context.current().info.activityId, step: -1 }, source);
        return route(compiled, source, state, config, threadId);
      }),
    [OwnActivity.applyWrites]: async ({ graph, threadId, values, writes }) =>
      guard(() => lookup(graph, threadId).applyWrites(values, writes, threadId)),
  };
}
