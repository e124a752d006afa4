/**
 * Runs one node once, on the worker, inside its node context: this is where user code executes.
 * `interrupt()` ends the node through a private marker and comes back as data, so it is never retried.
 */
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { ErrorCode, DurableGraphError, InvalidUpdateError, describe } from '../errors.js';
import { isCommand } from '../graph/command.js';
import type { CompiledGraph } from '../graph/compiled-graph.js';
import { isNodePause, type NodePause } from '../graph/interrupt.js';
import { checkMessageRemovals, encodeMessagesDeep, reviveStateMessages } from '../graph/message-codec.js';
import { runInNodeContext, type NodeContext } from '../graph/node-context.js';
import { isSend } from '../graph/send.js';
import type { NodeConfig } from '../graph/types.js';
import { toFailure } from '../protocol/failures.js';
import { createStreamWriter, dropChunk } from './stream-writer.js';
import { splitDestinations } from '../protocol/destinations.js';
import { findNonJsonValue } from '../protocol/json.js';
import type { NodeResult, NodeTask, SendSpec, StepRecord } from '../protocol/payloads.js';
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
  const writer = createStreamWriter({ threadId: task.threadId, node: task.node });
  const config = nodeConfig(graph, task, task.node, writer.write);
  const activity = Context.current();
  // Steps recorded by an earlier attempt of this same Activity (a retry after a failure) are reused too.
  const retried = (activity.info.heartbeatDetails as { steps?: StepRecord[] } | undefined)?.steps ?? [];
  const context: NodeContext = {
    threadId: task.threadId,
    graph: graph.name,
    node: task.node,
    taskId: task.taskId,
    step: task.step,
    resume: task.resume,
    interruptCount: 0,
    recordedSteps: retried.length > (task.steps?.length ?? 0) ? retried : (task.steps ?? []),
    steps: [],
    onStep: (steps) => activity.heartbeat({ steps }),
  };
  const nodeInput = task.input !== undefined ? task.input : reviveStateMessages(graph, task.state);
  // Heartbeat while the node runs, so a crashed worker is noticed within the heartbeat timeout, not the start-to-close.
  const every = activity.info.heartbeatTimeoutMs ? Math.max(1000, Math.min(10_000, activity.info.heartbeatTimeoutMs / 3)) : 0;
  const beat = every ? setInterval(() => activity.heartbeat({ steps: context.steps }), every) : undefined;
  let output: unknown;
  try {
    output = await runInNodeContext(context, () => node.fn(nodeInput, config));
  } catch (error) {
    if (isNodePause(error)) return writer.attach(pauseResult(error, context, task));
    throw error;
  } finally {
    if (beat) clearInterval(beat);
  }

  let update: unknown = output;
  const goto: Array<string | SendSpec> = [];
  if (isCommand(output)) {
    if (output.hasResume && output.hasResume()) {
      throw new InvalidUpdateError(`Node "${task.node}" (thread "${task.threadId}") returned a Command with resume; resume is only valid as invoke() input.`, { threadId: task.threadId, node: task.node });
    }
    if ((output as { graph?: unknown }).graph === '__parent__') {
      throw new InvalidUpdateError(`Node "${task.node}" (thread "${task.threadId}") returned Command({ graph: Command.PARENT }); navigating to the parent graph from a subgraph is not supported yet. Return the update from the subgraph and route in the parent.`, { threadId: task.threadId, node: task.node });
    }
    update = output.update;
    for (const target of output.goto as unknown[]) goto.push(checkDestination(graph, target, `Node "${task.node}" (thread "${task.threadId}") returned Command({ goto: ${describe(target)} })`, { threadId: task.threadId, node: task.node }));
  }
  const parsed = graph.parseUpdate(update, task.node, task.threadId);
  const problem = findNonJsonValue(parsed);
  if (problem) {
    throw new InvalidUpdateError(`Node "${task.node}" (thread "${task.threadId}") returned an update that would not survive serialization: ${problem}.`, { threadId: task.threadId, node: task.node });
  }
  checkMessageRemovals(graph, task, parsed);
  const fresh = graph.applyWrites(task.state, [parsed], task.threadId);
  const routed = await route(graph, task.node, fresh, config, task.threadId);
  return writer.attach(toUpdateResult(Object.keys(parsed).length ? parsed : null, [...routed, ...goto]));
}

/** Splits destinations into node names and Sends (`sends` only when there are any, keeping old results' shape). */
export function toUpdateResult(update: Record<string, unknown> | null, destinations: Array<string | SendSpec>): NodeResult {
  return { kind: 'update', update, ...splitDestinations(destinations) };
}

function pauseResult(pause: NodePause, context: NodeContext, task: NodeTask): NodeResult {
  // Chat messages in the payload travel as their JSON form; the client turns them back into messages.
  const value = encodeMessagesDeep(pause.value);
  const problem = findNonJsonValue(value);
  if (problem) {
    throw new InvalidUpdateError(
      `interrupt() in node "${task.node}" (thread "${task.threadId}") got a payload that would not survive serialization unchanged: ${problem}. Pass plain JSON (objects, arrays, strings, numbers, booleans, null).`,
      { threadId: task.threadId, node: task.node },
    );
  }
  const result: Extract<NodeResult, { kind: 'interrupt' }> = { kind: 'interrupt', index: pause.index, value };
  // The input side of the schema: what a human may send (zod strips unknown keys when it parses, as LangGraph does).
  if (pause.responseSchema) result.responseSchema = z.toJSONSchema(pause.responseSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  if (pause.rejected !== undefined) result.rejected = pause.rejected;
  if (pause.deadline) {
    const onTimeout = pause.deadline.onTimeout === 'fail' ? 'fail' : { resume: encodeMessagesDeep(pause.deadline.onTimeout.resume) };
    const problem = onTimeout === 'fail' ? undefined : findNonJsonValue(onTimeout.resume);
    if (problem) throw new InvalidUpdateError(`interrupt() in node "${task.node}" (thread "${task.threadId}") has an onTimeout resume value that would not survive serialization: ${problem}.`, { threadId: task.threadId, node: task.node });
    result.deadline = { timeoutMs: pause.deadline.timeoutMs, onTimeout };
  }
  if (context.steps.length) result.steps = context.steps;
  return result;
}

/** A goto or router destination: a node name, END, or a Send to an existing node. */
function checkDestination(graph: CompiledGraph, target: unknown, what: string, where: { threadId: string; node?: string }): string | SendSpec {
  if (isSend(target)) {
    if (!graph.nodes.has(target.node)) {
      throw new InvalidUpdateError(`${what} sends to node "${target.node}", which the graph does not have. Nodes: ${[...graph.nodes.keys()].join(', ')}.`, where);
    }
    const problem = findNonJsonValue(target.arg);
    if (problem) throw new InvalidUpdateError(`${what} sends an argument that would not survive serialization: ${problem}.`, where);
    return { node: target.node, arg: target.arg };
  }
  if (typeof target === 'string' && (target === END || graph.nodes.has(target))) return target;
  throw new InvalidUpdateError(`${what} leads nowhere: the graph has no node ${describe(target)}. Nodes: ${[...graph.nodes.keys()].join(', ')}.`, where);
}

/** Evaluates the conditional edges leaving `source` on `state` and resolves their path maps. */
export async function route(graph: CompiledGraph, source: string, state: Record<string, unknown>, config: NodeConfig, threadId: string): Promise<Array<string | SendSpec>> {
  const destinations: Array<string | SendSpec> = [];
  for (const branch of graph.branches.filter((b) => b.source === source)) {
    const raw: unknown = await branch.router(reviveStateMessages(graph, state), config);
    for (const key of (Array.isArray(raw) ? raw : [raw]) as unknown[]) {
      if (isSend(key)) {
        destinations.push(checkDestination(graph, key, `The conditional edge from "${source}" (thread "${threadId}")`, source === START ? { threadId } : { threadId, node: source }));
        continue;
      }
      let target: string | undefined = key as string;
      if (typeof key !== 'string') target = undefined;
      else if (branch.pathMap && !Array.isArray(branch.pathMap)) target = branch.pathMap[key];
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
export function nodeConfig(graph: CompiledGraph, task: { threadId: string; taskId: string; step: number }, node: string, writer: NodeConfig['writer'] = dropChunk): NodeConfig {
  return {
    configurable: { thread_id: task.threadId },
    metadata: { thread_id: task.threadId, langgraph_node: node, langgraph_step: task.step, graph: graph.name, task_id: task.taskId },
    signal: Context.current().cancellationSignal,
    writer,
  };
}
