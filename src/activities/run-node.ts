/**
 * Runs one node once, on the worker, inside its node context: this is where user code executes.
 * `interrupt()` ends the node through a private marker and comes back as data, so it is never retried.
 */
import { Context } from '@temporalio/activity';
import { ErrorCode, DurableGraphError, InvalidUpdateError, describe } from '../errors.js';
import { isCommand } from '../graph/command.js';
import type { CompiledGraph } from '../graph/compiled-graph.js';
import { isNodePause } from '../graph/interrupt.js';
import { runInNodeContext } from '../graph/node-context.js';
import type { NodeConfig } from '../graph/types.js';
import { toFailure } from '../protocol/failures.js';
import { findNonJsonValue } from '../protocol/json.js';
import type { NodeResult, NodeTask } from '../protocol/payloads.js';
import { END, START } from '../protocol/spec.js';

const warnedSpecChange = new Set<string>();

/** Runs `task` on `graph`; errors that retrying cannot fix become non-retryable failures. */
export async function runNode(graph: CompiledGraph, task: NodeTask): Promise<NodeResult> {
  try {
    return await runNodeUnsafe(graph, task);
  } catch (error) {
    throw toFailure(error);
  }
}

async function runNodeUnsafe(graph: CompiledGraph, task: NodeTask): Promise<NodeResult> {
  const node = graph.nodes.get(task.node);
  if (!node) {
    throw new DurableGraphError(
      ErrorCode.UNKNOWN_NODE,
      `Node "${task.node}" is not in graph "${graph.name}" on this worker, but thread "${task.threadId}" was started with a graph that has it. ` +
        `Deploy worker code whose graph still has this node until the thread finishes.`,
      { threadId: task.threadId, node: task.node },
    );
  }
  if (task.specHash !== graph.spec.hash && !warnedSpecChange.has(task.threadId)) {
    warnedSpecChange.add(task.threadId);
    Context.current().log.warn(
      `Thread "${task.threadId}" runs on the graph shape recorded when it started (spec ${task.specHash}); this worker's graph "${graph.name}" has changed (spec ${graph.spec.hash}). Node code is the new code; edges follow the recorded shape.`,
    );
  }
  const config = nodeConfig(graph, task, task.node);
  const context = { threadId: task.threadId, graph: graph.name, node: task.node, taskId: task.taskId, step: task.step, resume: task.resume, interruptCount: 0 };
  let output: unknown;
  try {
    output = await runInNodeContext(context, () => node.fn(task.state, config));
  } catch (error) {
    if (isNodePause(error)) {
      const problem = findNonJsonValue(error.value);
      if (problem) {
        throw new InvalidUpdateError(
          `interrupt() in node "${task.node}" (thread "${task.threadId}") got a payload that would not survive serialization unchanged: ${problem}. Pass plain JSON (objects, arrays, strings, numbers, booleans, null).`,
          { threadId: task.threadId, node: task.node },
        );
      }
      return { kind: 'interrupt', index: error.index, value: error.value };
    }
    throw error;
  }

  let update: unknown = output;
  let goto: string[] = [];
  if (isCommand(output)) {
    if (output.hasResume && output.hasResume()) {
      throw new InvalidUpdateError(`Node "${task.node}" (thread "${task.threadId}") returned a Command with resume; resume is only valid as invoke() input.`, { threadId: task.threadId, node: task.node });
    }
    update = output.update;
    goto = [...output.goto];
    for (const target of goto) {
      if (target !== END && !graph.nodes.has(target)) {
        throw new InvalidUpdateError(
          `Node "${task.node}" (thread "${task.threadId}") returned Command({ goto: ${describe(target)} }), but the graph has no such node. Nodes: ${[...graph.nodes.keys()].join(', ')}.`,
          { threadId: task.threadId, node: task.node },
        );
      }
    }
  }
  const parsed = graph.parseUpdate(update, task.node, task.threadId);
  const problem = findNonJsonValue(parsed);
  if (problem) {
    throw new InvalidUpdateError(`Node "${task.node}" (thread "${task.threadId}") returned an update that would not survive serialization: ${problem}.`, { threadId: task.threadId, node: task.node });
  }
  const fresh = graph.applyWrites(task.state, [parsed]);
  const routed = await route(graph, task.node, fresh, config, task.threadId);
  return { kind: 'update', update: Object.keys(parsed).length ? parsed : null, next: [...routed, ...goto] };
}

/** Evaluates the conditional edges leaving `source` on `state` and resolves their path maps. */
export async function route(graph: CompiledGraph, source: string, state: Record<string, unknown>, config: NodeConfig, threadId: string): Promise<string[]> {
  const destinations: string[] = [];
  for (const branch of graph.branches.filter((b) => b.source === source)) {
    const raw = await branch.router(state, config);
    for (const key of Array.isArray(raw) ? raw : [raw]) {
      let target: string | undefined = key;
      if (branch.pathMap && !Array.isArray(branch.pathMap)) target = branch.pathMap[key];
      else if (Array.isArray(branch.pathMap) && !branch.pathMap.includes(key)) target = undefined;
      if (target === undefined || (target !== END && !graph.nodes.has(target))) {
        const options = branch.pathMap ? (Array.isArray(branch.pathMap) ? branch.pathMap : Object.keys(branch.pathMap)) : [...graph.nodes.keys(), END];
        throw new InvalidUpdateError(
          `The conditional edge from "${source}" (thread "${threadId}") returned ${describe(key)}, which leads nowhere. It must return one of: ${options.map((o) => `"${o}"`).join(', ')}.`,
          source === START ? { threadId } : { threadId, node: source },
        );
      }
      destinations.push(target);
    }
  }
  return destinations;
}

/** The LangGraph-style config handed to nodes and routers. */
export function nodeConfig(graph: CompiledGraph, task: { threadId: string; taskId: string; step: number }, node: string): NodeConfig {
  return {
    configurable: { thread_id: task.threadId },
    metadata: { thread_id: task.threadId, langgraph_node: node, langgraph_step: task.step, graph: graph.name, task_id: task.taskId },
    signal: Context.current().cancellationSignal,
  };
}
