/**
 * A compiled graph called inside a node (`await child.invoke(input)`): it runs as a child thread,
 * a Workflow of its own whose id is derived from the calling task, started through the Worker's Temporal Client,
 * and the node waits for its next stop. A re-execution of the node finds the same child thread: it hands over
 * the answers meant for the child's pending interrupts, or gets the final state of a child that already finished.
 */
import { Context } from '@temporalio/activity';
import { Client as TemporalClient, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { InvalidInputError, NodeFailedError, UnknownGraphError } from '../errors.js';
import type { AnyCompiledGraph } from '../graph/compiled-graph.js';
import { childPause } from '../graph/interrupt.js';
import { reviveStateMessages } from '../graph/message-codec.js';
import { currentNodeContext } from '../graph/node-context.js';
import { withoutCode } from '../protocol/failures.js';
import { findNonJsonValue } from '../protocol/json.js';
import { awaitStopUpdate, resumeUpdate } from '../protocol/messages.js';
import type { AwaitStopInput, RunInput, ThreadState } from '../protocol/payloads.js';
import type { NodeRun } from './node-run.js';
import { takesResumeValue } from '../protocol/pending.js';
import { specHeaderClientInterceptor, withSpecToSend } from '../protocol/spec-header.js';
import { unpackStop, type StopContext, type StopState } from '../protocol/stop-state.js';
import { isContinuedStop, type ContinuedStop } from '../protocol/continue-as-new.js';

type Client = Context['client'];
type Handle = ReturnType<Client['workflow']['getHandle']>;

/**
 * The Workflow Id of the `index`-th graph `task` calls with `invoke()` (from 0): the same on every re-execution,
 * until a `Command({ update })` makes the task's calls start anew (`epoch`, {@link NodeRun.childEpoch}).
 */
export function childThreadId(task: Pick<NodeRun, 'threadId' | 'node' | 'taskId'>, index: number, epoch = 0): string {
  return `${task.threadId}/${task.node}/${task.taskId.slice(0, 8)}/${index}${epoch ? `.${epoch}` : ''}`;
}

/**
 * The `invokeGraph` of one node execution: the k-th call runs the k-th child thread of the task. `hosted` is the
 * Worker's registry: the child's nodes run on the Workers of this task queue, so it must be there.
 */
export function createGraphInvoker(
  hosted: ReadonlyMap<string, AnyCompiledGraph>,
  task: NodeRun,
): (graph: AnyCompiledGraph, input: unknown, options: { recursionLimit?: number }) => Promise<Record<string, unknown>> {
  let calls = 0;
  const answers = task.childAnswers ?? {};
  return async (graph, input, options) => {
    const index = calls++;
    const epoch = task.childEpoch ?? 0;
    const workflowId = childThreadId(task, index, epoch);
    const where = { threadId: task.threadId, node: task.node };
    const activity = Context.current();
    if (!hosted.has(graph.name)) {
      throw new UnknownGraphError(graph.name, [...hosted.keys()], {
        ...where,
        message:
          `Node "${task.node}" of thread "${task.threadId}" called invoke() on graph "${graph.name}", which this Worker does not host ` +
          `(it hosts ${[...hosted.keys()].map((k) => `"${k}"`).join(', ')}). A graph called inside a node cannot be found from the graph's shape: ` +
          `add it to createWorker({ graphs: [..., ${graph.name}] }) on every Worker of task queue "${activity.info.taskQueue}".`,
      });
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = graph.parseInput(input, task.threadId);
    } catch (error) {
      throw new InvalidInputError(
        `${withoutCode((error as Error).message)} (passed to invoke() by node "${task.node}"). Pass fields of graph "${graph.name}"'s state.`,
        where,
      );
    }
    const problem = findNonJsonValue(parsed);
    if (problem)
      throw new InvalidInputError(
        `Node "${task.node}" of thread "${task.threadId}" called invoke() on graph "${graph.name}" with input that would not survive serialization: ${problem}.`,
        where,
      );
    // A failure ends the called graph's run and fails this node, so the caller's thread is the one that parks.
    const run = withSpecToSend(
      { input: Object.keys(parsed).length ? parsed : null, onNodeFailure: 'fail' as const },
      graph.spec,
    );
    if (options.recursionLimit !== undefined) run.recursionLimit = options.recursionLimit;

    if (epoch > 0) await retire(activity.client, childThreadId(task, index, epoch - 1), task);
    let state: ThreadState;
    try {
      state = await nextStop(
        activity.client,
        graph.name,
        workflowId,
        run,
        activity.info.taskQueue,
        answers,
        task.childContinue === true,
        `graph "${graph.name}" called by node "${task.node}" of thread ${task.threadId}`,
      );
    } catch (error) {
      // The child run failed: final, as the child already retried its nodes. Anything else (the server not
      // answering) fails this attempt, and the node's retry policy tries again.
      if (error instanceof WorkflowFailedError || error instanceof WorkflowUpdateFailedError)
        throw childFailed(error, graph.name, workflowId, task);
      throw error;
    }
    if (state.status === 'interrupted') {
      if (state.interrupts.length === 0) {
        throw new NodeFailedError(
          `Graph "${graph.name}" called with invoke() in node "${task.node}" of thread "${task.threadId}" paused at a static breakpoint (child thread "${workflowId}"), ` +
            `which a node cannot hand on to its caller. Use interrupt() in the child's nodes, or add the graph as a node (addNode(name, graph)) to keep its breakpoints.`,
          where,
        );
      }
      // The node stops here as at interrupt(); the engine shows the child's interrupts as its own, ids unchanged.
      throw childPause(currentNodeContext()?.interruptCount ?? 0, workflowId, state.interrupts);
    }
    return reviveStateMessages(graph, state.values);
  };
}

/**
 * The child thread a `Command({ update })` superseded (the call of the previous generation): still paused on an
 * interrupt nobody can answer any more, so it is terminated. Already closed or never started: nothing to do.
 */
async function retire(client: Client, workflowId: string, task: NodeRun): Promise<void> {
  try {
    await client.workflow
      .getHandle(workflowId)
      .terminate(
        `superseded: Command({ update }) re-ran node "${task.node}" of thread "${task.threadId}", whose invoke() started a new child thread`,
      );
  } catch {
    // not running (finished, terminated by an earlier attempt, or never started)
  }
}

/**
 * Starts the child thread (or finds it), forwards the answers meant for its pending interrupts (or, with
 * `proceed`, a plain continue when none is for it: its paused nodes re-run), and returns its state at its
 * next stop: paused or completed. A child that finished earlier gives its final state.
 */
async function nextStop(
  client: Client,
  graph: string,
  workflowId: string,
  run: RunInput,
  taskQueue: string,
  answers: Record<string, unknown>,
  proceed: boolean,
  staticSummary: string,
): Promise<ThreadState> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    // Running already (a re-execution of the node): use that run. Closed already: do not start another.
    await withSpecHeader(client).workflow.start(graph, {
      workflowId,
      taskQueue,
      args: [run],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return unpackStop((await handle.result()) as StopState, { threadId: workflowId, graph });
  }
  const awaitStop = (input: AwaitStopInput) =>
    handle.executeUpdate<StopState | ContinuedStop, [AwaitStopInput]>(awaitStopUpdate.name, { args: [input] });
  // The child's run continued as new before its stop: wait for that stop in its current run.
  const settled = async (result: StopState | ContinuedStop): Promise<StopState> => {
    while (isContinuedStop(result)) result = await awaitStop({ afterStop: result.continuedAsNew.afterStop });
    return result;
  };
  const stopOf = (update: () => Promise<StopState | ContinuedStop>) =>
    nextStopOf(handle, () => update().then(settled), { threadId: workflowId, graph });
  let state = await stopOf(() => awaitStop({}));
  const mine =
    state.status === 'interrupted'
      ? state.interrupts.flatMap((i) => (takesResumeValue(i) && i.id in answers ? [i.id] : []))
      : [];
  if (mine.length) {
    const resume = Object.fromEntries(mine.map((id) => [id, answers[id]]));
    state = await stopOf(() => handle.executeUpdate(resumeUpdate, { args: [{ resume }] }));
  } else if (proceed && state.status === 'interrupted') {
    state = await stopOf(() => handle.executeUpdate(resumeUpdate, { args: [{}] }));
  }
  if (state.status === 'failed') await handle.result(); // throws the run's failure
  return state;
}

/** The state an Update returns; when the run closed meanwhile, its result (or its failure). */
async function nextStopOf(
  handle: Handle,
  update: () => Promise<StopState>,
  context: StopContext,
): Promise<ThreadState> {
  try {
    return unpackStop(await update(), context);
  } catch (error) {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') throw error;
    return unpackStop((await handle.result()) as StopState, context);
  }
}

/** The node's failure when its child thread failed: names both threads and what to do next. */
function childFailed(
  error: WorkflowFailedError | WorkflowUpdateFailedError,
  graph: string,
  workflowId: string,
  task: NodeRun,
): Error {
  const cause: unknown = error.cause ?? error; // the child's own failure
  const message = withoutCode(cause instanceof Error ? cause.message : String(cause));
  const inspect = message.includes('temporal workflow show')
    ? ''
    : ` Inspect it with \`temporal workflow show --workflow-id ${workflowId}\`.`;
  return new NodeFailedError(
    `Graph "${graph}" called with invoke() in node "${task.node}" of thread "${task.threadId}" failed (child thread "${workflowId}"): ${message}.${inspect} ` +
      `Fix the cause and start a new run of the thread.`,
    { threadId: task.threadId, node: task.node, cause },
  );
}

const startingClients = new WeakMap<Client, Client>();

/** The Worker's client, starting runs with their spec in a header (protocol/spec-header.ts) as GraphClient does. */
function withSpecHeader(client: Client): Client {
  let starting = startingClients.get(client);
  if (!starting) {
    const { namespace, dataConverter, identity, interceptors } = client.options;
    // The worker's own client interceptors (tracing) still apply to the starts.
    const own = Array.isArray(interceptors?.workflow) ? interceptors.workflow : [];
    starting = new TemporalClient({
      connection: client.connection,
      namespace,
      dataConverter,
      identity,
      interceptors: { ...interceptors, workflow: [...own, specHeaderClientInterceptor] },
    });
    startingClients.set(client, starting);
  }
  return starting;
}
