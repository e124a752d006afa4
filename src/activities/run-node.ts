/**
 * Runs one node once, on the worker, inside its node context: this is where user code executes.
 * `interrupt()` ends the node through a private marker and comes back as data, so it is never retried.
 */
import { Context } from '@temporalio/activity';
import {
  ErrorCode,
  InterruptOutsideNodeError,
  InvalidDestinationError,
  InvalidUpdateError,
  UnserializableValueError,
  describe,
  isDurableGraphError,
} from '../errors.js';
import { isCommand, type Command } from '../graph/command.js';
import type { AnyCompiledGraph, CompiledGraph } from '../graph/compiled-graph.js';
import { isNodePause, type NodePause } from '../graph/interrupt.js';
import { checkMessageRemovals, encodeMessagesDeep, reviveStateMessages } from '../graph/message-codec.js';
import { currentNodeContext, runInNodeContext, type NodeContext } from '../graph/node-context.js';
import { isNodeInterrupt, nodeInterruptValue } from '../graph/node-interrupt.js';
import { toResponseSchema } from '../graph/response-schema.js';
import { isSend, type Send } from '../graph/send.js';
import type { NodeConfig } from '../graph/types.js';
import { toFailure } from '../protocol/failures.js';
import { createGraphInvoker } from './invoke-graph.js';
import { forgetLocalSteps, localStepsKey, recalledLocalSteps, rememberLocalSteps } from './local-steps.js';
import { createStreamWriter, dropChunk } from './stream-writer.js';
import { splitDestinations } from '../protocol/destinations.js';
import { dropUndefinedProperties, findNonJsonValue } from '../protocol/json.js';
import type { NodeResult, SendSpec, StepRecord } from '../protocol/payloads.js';
import type { NodeRun } from './node-run.js';
import { unknownNodeError } from './unknown-node.js';
import { checkNodeValueSize, MAX_STATE_BYTES, MAX_VALUE_BYTES } from '../protocol/payload-size.js';
import { applyBuiltinReducer } from '../protocol/reducers.js';
import { valueLimitOf } from '../server/data-converter.js';
import { END, START } from '../protocol/spec.js';

/**
 * Runs `task` on `graph`; errors that retrying cannot fix become non-retryable failures. `hosted` (the Worker's
 * graphs) lets the node call a compiled graph's `invoke()`.
 */
export async function runNode(
  graph: CompiledGraph,
  task: NodeRun,
  hosted?: ReadonlyMap<string, AnyCompiledGraph>,
): Promise<NodeResult> {
  try {
    const result = await runNodeUnsafe(graph, task, hosted);
    checkResultSize(task, result);
    checkStateSize(graph, task, result);
    // A local Activity's marker records only its result: say which task ran, for getStateHistory.
    const { info } = Context.current();
    if (info.isLocal) {
      forgetLocalSteps(localStepsKey(info.workflowExecution?.runId ?? '', task));
      // The node is the marker's Activity Type.
      result.receipt = {
        taskId: task.taskId,
        step: task.step,
        ...(task.recordState ? { state: task.state } : {}),
      };
    }
    return result;
  } catch (error) {
    throw toFailure(error);
  }
}

/**
 * A node's result (its update or interrupt value, with its step() results) larger than a thread may carry fails the
 * node at once, with no retry: recorded, it would travel in the next workflow task several times over.
 */
function checkResultSize(task: NodeRun, result: NodeResult): void {
  checkNodeValueSize(
    { threadId: task.threadId, node: task.node },
    `The result of node "${task.node}" in thread "${task.threadId}" at step ${task.step}`,
    `the result of node "${task.node}" (its update or interrupt value, and its step() results)`,
    result,
    "write its reference in the thread's state",
    valueLimit(),
  );
}

/**
 * The state a node's update leaves the thread with, larger than a thread may carry, fails the node at once too: sent
 * on to the next node, it would fail that workflow task again and again (the SDK refuses payloads over 2 MiB), with
 * the thread stuck and no error for anyone. Writes of other tasks in the same superstep are not counted.
 */
function checkStateSize(graph: CompiledGraph, task: NodeRun, result: NodeResult): void {
  if (result.kind !== 'update' || !result.update) return;
  const next: Record<string, unknown> = { ...task.state };
  for (const [key, value] of Object.entries(result.update)) {
    const kind = graph.spec.channels[key]?.reducer ?? 'last';
    // A custom reducer runs elsewhere: count what it is given, the most it can keep.
    next[key] = kind === 'custom' ? [task.state[key], value] : applyBuiltinReducer(kind, task.state[key], value);
  }
  const limit = valueLimit();
  checkNodeValueSize(
    { threadId: task.threadId, node: task.node },
    `The state of thread "${task.threadId}" after node "${task.node}" at step ${task.step}`,
    `the thread's state after node "${task.node}"`,
    next,
    "keep only its reference in the thread's state",
    limit === MAX_VALUE_BYTES ? MAX_STATE_BYTES : limit,
  );
}

/** The most a value a node produces may have: the Worker's data converter carries it, as a claim with External Storage. */
function valueLimit(): number {
  return valueLimitOf(Context.current().client?.options.loadedDataConverter);
}

/** An interrupt payload is checked on its own, so the error names it rather than the node's whole result. */
function checkInterruptSize(
  task: NodeRun,
  value: unknown,
  limit: number | undefined,
  kind = 'interrupt payload',
): void {
  checkNodeValueSize(
    { threadId: task.threadId, node: task.node },
    `The ${kind} of node "${task.node}" in thread "${task.threadId}" at step ${task.step}`,
    `the ${kind} of node "${task.node}"`,
    value,
    'pass its reference (a link or an id) for whoever answers',
    limit,
  );
}

async function runNodeUnsafe(
  graph: CompiledGraph,
  task: NodeRun,
  hosted?: ReadonlyMap<string, AnyCompiledGraph>,
): Promise<NodeResult> {
  const node = graph.nodes.get(task.node);
  if (!node) throw unknownNodeError(graph, task);
  const writer = createStreamWriter({ threadId: task.threadId, node: task.node });
  const config = nodeConfig(graph, task, task.node, writer.write);
  const activity = Context.current();
  // Steps recorded by an earlier attempt of this same Activity (a retry after a failure) are reused too: from the
  // heartbeat details, or for a local Activity (which cannot heartbeat) from this worker's memory.
  const localKey = activity.info.isLocal
    ? localStepsKey(activity.info.workflowExecution?.runId ?? '', task)
    : undefined;
  const retried = localKey
    ? recalledLocalSteps(localKey)
    : ((activity.info.heartbeatDetails as { steps?: StepRecord[] } | undefined)?.steps ?? []);
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
    valueLimit: valueLimit(),
    onStep: localKey ? (steps) => rememberLocalSteps(localKey, steps) : (steps) => activity.heartbeat({ steps }),
    ...(hosted ? { invokeGraph: createGraphInvoker(hosted, task) } : {}),
  };
  const nodeInput = task.input !== undefined ? task.input : reviveStateMessages(graph, task.state);
  // Heartbeat while the node runs, so a crashed worker is noticed within the heartbeat timeout, not the start-to-close.
  const every = activity.info.heartbeatTimeoutMs
    ? Math.max(1000, Math.min(10_000, activity.info.heartbeatTimeoutMs / 3))
    : 0;
  const beat = every ? setInterval(() => activity.heartbeat({ steps: context.steps }), every) : undefined;
  let output: unknown;
  try {
    output = await runInNodeContext(context, () => node.fn(nodeInput, config));
  } catch (error) {
    if (isNodePause(error)) return writer.attach(pauseResult(error, context, task));
    if (isNodeInterrupt(error)) return writer.attach(nodeInterruptResult(nodeInterruptValue(error), context, task));
    throw explainForeignInterrupt(error, task.threadId, task.node);
  } finally {
    if (beat) clearInterval(beat);
  }

  let update: unknown = output;
  const goto: Array<string | SendSpec> = [];
  if (isCommand(output)) {
    if (output.hasResume && output.hasResume()) {
      throw new InvalidUpdateError(
        `Node "${task.node}" (thread "${task.threadId}") returned a Command with resume; resume is only valid as invoke() input.`,
        { threadId: task.threadId, node: task.node },
      );
    }
    // For the parent graph: checked against the parent's nodes and fields by the parent's engine, which knows them.
    if ((output as { graph?: unknown }).graph === '__parent__') return writer.attach(parentCommandResult(output, task));
    update = output.update;
    for (const target of output.goto as unknown[])
      goto.push(
        checkDestination(
          graph,
          target,
          `Node "${task.node}" (thread "${task.threadId}") returned Command({ goto: ${describe(target)} })`,
          { threadId: task.threadId, node: task.node },
        ),
      );
  }
  const parsed = dropUndefinedProperties(graph.parseUpdate(update, task.node, task.threadId));
  const problem = findNonJsonValue(parsed);
  if (problem) {
    throw new UnserializableValueError(
      `Node "${task.node}" (thread "${task.threadId}") returned an update that would not survive serialization: ${problem}. Return plain JSON (objects, arrays, strings, numbers, booleans, null).`,
      { threadId: task.threadId, node: task.node },
    );
  }
  checkMessageRemovals(graph, task, parsed);
  const fresh = graph.applyWrites(task.state, [parsed], task.threadId);
  // Routers run in the node's context: an interrupt() there pauses this task (numbered after the node's own
  // interrupts) and on resume the node runs again, then the router gets the answer, as in LangGraph.
  let routed: Array<string | SendSpec>;
  try {
    routed = await runInNodeContext(context, () => route(graph, task.node, fresh, config, task.threadId));
  } catch (error) {
    if (isNodePause(error)) return writer.attach(pauseResult(error, context, task));
    if (isNodeInterrupt(error)) return writer.attach(nodeInterruptResult(nodeInterruptValue(error), context, task));
    throw error;
  }
  return writer.attach(toUpdateResult(Object.keys(parsed).length ? parsed : null, [...routed, ...goto]));
}

/** Splits destinations into node names and Sends (`sends` only when there are any, keeping old results' shape). */
export function toUpdateResult(
  update: Record<string, unknown> | null,
  destinations: Array<string | SendSpec>,
): NodeResult {
  return { kind: 'update', update, ...splitDestinations(destinations) };
}

function pauseResult(pause: NodePause, context: NodeContext, task: NodeRun): NodeResult {
  // Chat messages in the payload travel as their JSON form; the client turns them back into messages.
  // An undefined property travels as an absent key: dropped here, so invoke() and getState() show the same payload.
  const value = dropUndefinedProperties(encodeMessagesDeep(pause.value));
  const problem = findNonJsonValue(value);
  if (problem) {
    throw new UnserializableValueError(
      `interrupt() in node "${task.node}" (thread "${task.threadId}") got a payload that would not survive serialization unchanged: ${problem}. Pass plain JSON (objects, arrays, strings, numbers, booleans, null).`,
      { threadId: task.threadId, node: task.node },
    );
  }
  checkInterruptSize(task, value, context.valueLimit);
  const result: Extract<NodeResult, { kind: 'interrupt' }> = { kind: 'interrupt', index: pause.index, value };
  if (pause.responseSchema) result.responseSchema = toResponseSchema(pause.responseSchema);
  if (pause.rejected !== undefined) result.rejected = pause.rejected;
  if (pause.deadline) {
    const onTimeout =
      pause.deadline.onTimeout === 'fail' ? 'fail' : { resume: encodeMessagesDeep(pause.deadline.onTimeout.resume) };
    const problem = onTimeout === 'fail' ? undefined : findNonJsonValue(onTimeout.resume);
    if (problem)
      throw new UnserializableValueError(
        `interrupt() in node "${task.node}" (thread "${task.threadId}") has an onTimeout resume value that would not survive serialization: ${problem}. Pass plain JSON.`,
        { threadId: task.threadId, node: task.node },
      );
    result.deadline = { timeoutMs: pause.deadline.timeoutMs, onTimeout };
  }
  if (context.steps.length) result.steps = context.steps;
  if (pause.child) result.child = pause.child;
  return result;
}

/** `throw new NodeInterrupt(value)`: a pause with no id that takes no resume value; the node re-runs on invoke(null). */
function nodeInterruptResult(raw: unknown, context: NodeContext, task: NodeRun): NodeResult {
  const value = dropUndefinedProperties(encodeMessagesDeep(raw));
  const problem = findNonJsonValue(value);
  if (problem) {
    throw new UnserializableValueError(
      `NodeInterrupt in node "${task.node}" (thread "${task.threadId}") got a value that would not survive serialization unchanged: ${problem}. Pass a message or plain JSON.`,
      { threadId: task.threadId, node: task.node },
    );
  }
  checkInterruptSize(task, value, context.valueLimit, 'NodeInterrupt value');
  const result: Extract<NodeResult, { kind: 'interrupt' }> = {
    kind: 'interrupt',
    index: context.interruptCount,
    value,
    nodeInterrupt: true,
  };
  if (context.steps.length) result.steps = context.steps;
  return result;
}

/**
 * `Command({ graph: Command.PARENT, goto, update })` from a subgraph's node: the update and destinations as data
 * for the parent graph. Only JSON is checked here; the parent's engine checks nodes and fields against its graph.
 */
function parentCommandResult(command: Command, task: NodeRun): NodeResult {
  const where = { threadId: task.threadId, node: task.node };
  const what = `Node "${task.node}" (thread "${task.threadId}") returned Command({ graph: Command.PARENT })`;
  const raw: unknown = command.update ?? null;
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw)))
    throw new InvalidUpdateError(
      `${what} whose update is not an object of state fields: ${describe(raw)}. Pass update: { <field>: <value> } with fields of the parent graph's state.`,
      where,
    );
  const update = encodeMessagesDeep(raw) as Record<string, unknown> | null;
  const problem = findNonJsonValue(update);
  if (problem)
    throw new UnserializableValueError(
      `${what} with an update that would not survive serialization: ${problem}. Pass plain JSON.`,
      where,
    );
  const goto: string[] = [];
  const sends: SendSpec[] = [];
  for (const target of command.goto as unknown[]) {
    if (typeof target === 'string') goto.push(target);
    else if (isSend(target)) {
      refuseSendWithoutArg(target, what, where);
      const argProblem = findNonJsonValue(target.arg);
      if (argProblem)
        throw new UnserializableValueError(
          `${what} sends an argument that would not survive serialization: ${argProblem}. Pass plain JSON.`,
          where,
        );
      sends.push({ node: target.node, arg: target.arg });
    } else
      throw new InvalidDestinationError(
        `${what} with goto ${describe(target)}; pass node names of the parent graph or Sends.`,
        where,
      );
  }
  return {
    kind: 'parent',
    update: update && Object.keys(update).length ? update : null,
    goto,
    ...(sends.length ? { sends } : {}),
  };
}

/**
 * A Send's argument is its node's input, and the engine tells a Send's task by it having one: a Send without one
 * (undefined) is refused. LangGraph.js drops such a Send with a console warning, and the node never runs.
 */
function refuseSendWithoutArg(send: Send, what: string, where: { threadId: string; node?: string }): void {
  if (send.arg !== undefined) return;
  throw new InvalidDestinationError(
    `${what} sends to node "${send.node}" with no argument (undefined). A Send's argument is the node's input instead of the thread state: pass one (null or {} when the node needs none).`,
    where,
  );
}

/** A goto or router destination: a node name, END, or a Send to an existing node. */
function checkDestination(
  graph: CompiledGraph,
  target: unknown,
  what: string,
  where: { threadId: string; node?: string },
): string | SendSpec {
  if (isSend(target)) {
    if (!graph.nodes.has(target.node)) {
      throw new InvalidDestinationError(
        `${what} sends to node "${target.node}", which the graph does not have. Send to one of its nodes: ${[...graph.nodes.keys()].join(', ')}.`,
        where,
      );
    }
    refuseSendWithoutArg(target, what, where);
    const problem = findNonJsonValue(target.arg);
    if (problem)
      throw new UnserializableValueError(
        `${what} sends an argument that would not survive serialization: ${problem}. Pass plain JSON.`,
        where,
      );
    return { node: target.node, arg: target.arg };
  }
  if (typeof target === 'string' && (target === END || graph.nodes.has(target))) return target;
  throw new InvalidDestinationError(
    `${what} leads nowhere: the graph has no node ${describe(target)}. Go to one of its nodes: ${[...graph.nodes.keys()].join(', ')}, or END.`,
    where,
  );
}

/** Evaluates the conditional edges leaving `source` on `state` and resolves their path maps. */
export async function route(
  graph: CompiledGraph,
  source: string,
  state: Record<string, unknown>,
  config: NodeConfig,
  threadId: string,
): Promise<Array<string | SendSpec>> {
  const destinations: Array<string | SendSpec> = [];
  for (const branch of graph.branches.filter((b) => b.source === source)) {
    let raw: unknown;
    try {
      raw = await branch.router(reviveStateMessages(graph, state), config);
    } catch (error) {
      throw explainRouterError(error, source, threadId);
    }
    for (const key of (Array.isArray(raw) ? raw : [raw]) as unknown[]) {
      if (isSend(key)) {
        destinations.push(
          checkDestination(
            graph,
            key,
            `The conditional edge from "${source}" (thread "${threadId}")`,
            source === START ? { threadId } : { threadId, node: source },
          ),
        );
        continue;
      }
      let target: string | undefined = key as string;
      if (typeof key !== 'string') target = undefined;
      else if (branch.pathMap && !Array.isArray(branch.pathMap)) target = branch.pathMap[key];
      else if (Array.isArray(branch.pathMap) && !branch.pathMap.includes(key)) target = undefined;
      if (target === undefined || (target !== END && !graph.nodes.has(target))) {
        const options = branch.pathMap
          ? Array.isArray(branch.pathMap)
            ? branch.pathMap
            : Object.keys(branch.pathMap)
          : [...graph.nodes.keys(), END];
        throw new InvalidDestinationError(
          `The conditional edge from "${source}" (thread "${threadId}") returned ${describe(key)}, which leads nowhere. It must return one of: ${options.map((o) => `"${o}"`).join(', ')}.`,
          source === START ? { threadId } : { threadId, node: source },
        );
      }
      destinations.push(target);
    }
  }
  return destinations;
}

/** LangGraph's own `interrupt()` (imported from '@langchain/langgraph') throws this outside LangGraph's runtime. */
const LANGGRAPH_OUTSIDE_CONTEXT = 'Called interrupt() outside the context of a graph.';

/**
 * A node that kept `import { interrupt } from '@langchain/langgraph'` fails with LangGraph's error on every attempt:
 * say so at once (non-retryable), with the fix. Anything else is returned unchanged.
 */
function explainForeignInterrupt(
  error: unknown,
  threadId: string,
  node: string | undefined,
  where = `Node "${node}"`,
): unknown {
  if (!(error instanceof Error) || error.message !== LANGGRAPH_OUTSIDE_CONTEXT || isDurableGraphError(error))
    return error;
  return new InterruptOutsideNodeError(
    `${where} (thread "${threadId}") called interrupt() from '@langchain/langgraph', which works only inside LangGraph's own runtime ("${LANGGRAPH_OUTSIDE_CONTEXT}"). ` +
      `Import interrupt from 'durable-graph' instead: import { interrupt } from 'durable-graph';`,
    { threadId, ...(node !== undefined ? { node } : {}), cause: error },
  );
}

/**
 * A router's error: LangGraph's interrupt() gets the import fix; our interrupt() in a router that runs outside a
 * node's Activity (from START, or after a subgraph node or an updateState) gets "move interrupt() into a node".
 */
function explainRouterError(error: unknown, source: string, threadId: string): unknown {
  const node = source === START ? undefined : source;
  const foreign = explainForeignInterrupt(error, threadId, node, `The conditional edge from "${source}"`);
  if (foreign !== error) return foreign;
  if (!isDurableGraphError(error) || error.code !== ErrorCode.INTERRUPT_OUTSIDE_NODE || currentNodeContext())
    return error;
  const where =
    source === START
      ? 'from START'
      : `from "${source}", which runs outside a function node's Activity here (the node is a subgraph, or the step came from updateState or a Command),`;
  return new InterruptOutsideNodeError(
    `The conditional edge ${where} in thread "${threadId}" called interrupt(); durable-graph pauses only inside a node there. ` +
      `Move interrupt() into a node: add a node that asks (const answer = interrupt(...); return { answer }) and route on the state it writes.`,
    { threadId, ...(node !== undefined ? { node } : {}), cause: error },
  );
}

/** The LangGraph-style config handed to nodes and routers. */
export function nodeConfig(
  graph: CompiledGraph,
  task: { threadId: string; taskId: string; step: number; configurable?: Record<string, unknown> },
  node: string,
  writer: NodeConfig['writer'] = dropChunk,
): NodeConfig {
  // The run's extra keys (user_id, ...) as LangGraph passes them; thread_id first and never overridden.
  const configurable: NodeConfig['configurable'] = { thread_id: task.threadId, ...task.configurable };
  configurable.thread_id = task.threadId;
  return {
    configurable,
    metadata: {
      thread_id: task.threadId,
      langgraph_node: node,
      langgraph_step: task.step,
      graph: graph.name,
      task_id: task.taskId,
    },
    signal: Context.current().cancellationSignal,
    writer,
  };
}
