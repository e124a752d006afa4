/**
 * Input that is not new state: a `Command` (resume, update, goto), `invoke(null)` (continue), and `updateState()`.
 * On a paused thread each goes to an Update of the running Workflow (validated before anything is recorded); on a
 * thread with no run in progress, update and goto start a run of their own.
 */
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import {
  InvalidInputError,
  InvalidResumeError,
  NoParentGraphError,
  NoPendingInterruptError,
  UpdateStateRefusedError,
} from '../errors.js';
import { Command } from '../graph/command.js';
import { encodeMessagesDeep } from '../graph/message-codec.js';
import { findNonJsonValue } from '../protocol/json.js';
import { getStateQuery, resumeUpdate, updateStateUpdate } from '../protocol/messages.js';
import type { ResumeInput, RunInput, ThreadState } from '../protocol/payloads.js';
import { unpackStop, type StopState } from '../protocol/stop-state.js';
import { isClosedRunError } from './closed-run.js';
import { rebuildError } from './errors.js';
import { checkValueSize } from '../protocol/payload-size.js';
import { extraConfigurable, runInputOf, threadIdOf, type HandleContext } from './run-config.js';
import { resendDroppedUpdate } from './resend-dropped-update.js';
import { startAndWait } from './runs.js';
import { executeResumeUpdate, type StreamTap } from './stream.js';
import type { RunConfig } from './types.js';

/**
 * A Command as input. On a paused thread it goes to the `resume` Update (validated before anything is
 * recorded). On a thread that is not running, a Command without resume starts a run whose goto replaces
 * START's edges; a resume there has nothing to answer and is refused.
 */
export async function runCommand(
  ctx: HandleContext,
  command: Command,
  config: RunConfig,
  threadId: string,
  tap: StreamTap | undefined,
): Promise<ThreadState> {
  if ((command as { graph?: unknown }).graph === Command.PARENT) {
    throw new NoParentGraphError(
      `Command({ graph: Command.PARENT }) was passed to invoke() for thread "${threadId}": there is no parent graph. Pass new Command({ resume, update, goto }) without graph; Command.PARENT is for a subgraph's node to return.`,
      { threadId },
    );
  }
  const payload: ResumeInput = {};
  // LangGraph's own Command has no hasResume() and always carries the key; there, undefined means absent.
  const hasResume = typeof command.hasResume === 'function' ? command.hasResume() : command.resume !== undefined;
  if (hasResume) {
    if (command.resume === undefined || command.resume === null) {
      // LangGraph's EmptyInputError: refused before anything is sent.
      throw new InvalidResumeError(
        `Command({ resume: ${String(command.resume)} }) for thread "${threadId}" is empty: pass a value, e.g. new Command({ resume: true }). false, 0 and "" are valid values.`,
        { threadId },
      );
    }
    const resume = encodeMessagesDeep(command.resume); // chat messages travel as their JSON form
    const problem = findNonJsonValue(resume);
    if (problem)
      throw new InvalidResumeError(
        `The resume value for thread "${threadId}" would not survive serialization unchanged: ${problem}. Send plain JSON.`,
        { threadId },
      );
    checkValueSize(threadId, 'the resume value', resume);
    payload.resume = resume;
  } else if (command.update === undefined && (command.goto?.length ?? 0) === 0) {
    throw new InvalidResumeError(
      `Received an empty Command for thread "${threadId}": pass resume, update or goto (LangGraph's EmptyInputError).`,
      { threadId },
    );
  }
  if (command.update !== undefined) {
    const update = ctx.compiled
      ? ctx.compiled.parseInput(command.update, threadId)
      : (command.update as Record<string, unknown>);
    checkValueSize(threadId, "the Command's update", update);
    payload.update = update;
  }
  const gotoList = (
    Array.isArray(command.goto) ? command.goto : command.goto === undefined ? [] : [command.goto]
  ) as unknown[];
  if (gotoList.length) {
    if (gotoList.some((g) => typeof g !== 'string')) {
      throw new InvalidInputError(
        `Command({ goto: Send }) is only valid when returned from a node, not as invoke() input (thread "${threadId}"); pass node names.`,
        { threadId },
      );
    }
    const goto = gotoList as string[];
    const unknown = ctx.compiled ? goto.filter((g) => !ctx.compiled!.nodes.has(g)) : [];
    if (unknown.length)
      throw new InvalidInputError(
        `Command({ goto }) for thread "${threadId}" names unknown node(s) ${unknown.map((u) => `"${u}"`).join(', ')}.`,
        { threadId },
      );
    payload.goto = goto;
  }
  const configurable = extraConfigurable(config, threadId);
  if (configurable) payload.configurable = configurable;
  try {
    const state = await sendResume(ctx, payload, threadId, tap);
    // The node refused an answer its schema's JSON form could not check (a refine(), a regex flag): the
    // interrupt is still pending and its task says why; report it as LangGraph does.
    const refused = state.tasks.find((t) => t.error && t.interrupts.length > 0 && payload.resume !== undefined);
    if (refused)
      throw new InvalidResumeError(
        `The resume for node "${refused.name}" of thread "${threadId}" was refused: ${refused.error!.message}. The interrupt is still pending; answer it again.`,
        { threadId, node: refused.name, pendingIds: state.interrupts.map((i) => i.id) },
      );
    return state;
  } catch (error) {
    if (!(error instanceof NoPendingInterruptError) || hasResume) throw error;
    // Not paused: update/goto start a run of their own.
    const run: RunInput = {
      ...runInputOf(ctx, {}, config, threadId),
      input: null,
      command: { ...(payload.update ? { update: payload.update } : {}), goto: payload.goto ?? [] },
    };
    return startAndWait(ctx, run, threadId, tap);
  }
}

/** `invoke(null)`: continue a thread paused at a breakpoint, re-run a paused node, or return a finished thread's values. */
export async function continueThread(
  ctx: HandleContext,
  threadId: string,
  config: RunConfig,
  tap: StreamTap | undefined,
): Promise<ThreadState> {
  const configurable = extraConfigurable(config, threadId);
  try {
    return await sendResume(ctx, configurable ? { configurable } : {}, threadId, tap);
  } catch (error) {
    if (!(error instanceof NoPendingInterruptError)) throw error;
    if (error.status === 'not started') {
      throw new InvalidInputError(
        `invoke(null) on thread "${threadId}", which never ran: there is nothing to continue. Pass input to start it (LangGraph's EmptyInputError).`,
        { threadId },
      );
    }
    if (error.status === 'completed') {
      const final = (await ctx.temporal.workflow.getHandle(threadId).result()) as StopState;
      return unpackStop(final, { threadId, graph: ctx.name });
    }
    if (error.status !== 'failed') throw error;
    // The last run failed in a step: as LangGraph, run that step's unfinished nodes again, keeping the writes of
    // the nodes that completed (the failed run's state shows them). A new run of the thread.
    const failed = await ctx.temporal.workflow.getHandle(threadId).query(getStateQuery);
    // The failed step's tasks themselves (Send arguments, answers, completed writes); its writes then apply in task
    // order onto the values the step started from, as LangGraph's pending writes.
    const step = failed.failedStep;
    if (!step?.tasks.some((t) => t.result === undefined)) throw error;
    const run: RunInput = {
      ...runInputOf(ctx, {}, config, threadId),
      input: null,
      command: { rerun: step.tasks },
      previous: { values: step.values, step: failed.metadata.step },
    };
    return startAndWait(ctx, run, threadId, tap);
  }
}

/** Sends the `resume` Update; a thread with no open run is reported as having nothing pending, with its status. */
async function sendResume(
  ctx: HandleContext,
  payload: ResumeInput,
  threadId: string,
  tap: StreamTap | undefined,
): Promise<ThreadState> {
  const handle = ctx.temporal.workflow.getHandle(threadId);
  try {
    const stop = await resendDroppedUpdate(() =>
      executeResumeUpdate(ctx.temporal, handle, resumeUpdate, { args: [payload] }, tap),
    );
    return unpackStop(stop, { threadId, graph: ctx.name });
  } catch (error) {
    throw await resumeError(error, handle, threadId, ctx.address);
  }
}

/** The error a failed resume Update is reported as: a thread with no open run has nothing pending, with its status. */
async function resumeError(
  error: unknown,
  handle: WorkflowHandle,
  threadId: string,
  address: string | undefined,
): Promise<unknown> {
  if (error instanceof WorkflowNotFoundError || isClosedRunError(error)) {
    try {
      return new NoPendingInterruptError(threadId, (await handle.describe()).status.name.toLowerCase());
    } catch (described) {
      // Only a thread the server does not know never started; a server that stopped answering says so.
      if (described instanceof WorkflowNotFoundError) return new NoPendingInterruptError(threadId, 'not started');
      return rebuildError(described, threadId, address);
    }
  }
  return rebuildError(error, threadId, address);
}

/** `updateState()`: the `updateState` Update on a paused thread, else a run that writes the values. */
export async function updateThreadState(
  ctx: HandleContext,
  config: RunConfig,
  values: unknown,
  asNode: string | undefined,
): Promise<{ configurable: { thread_id: string } }> {
  const threadId = threadIdOf(config);
  const parsed = ctx.compiled ? ctx.compiled.parseInput(values, threadId) : (values as Record<string, unknown>);
  checkValueSize(threadId, 'the values of updateState', parsed);
  const handle = ctx.temporal.workflow.getHandle(threadId);
  try {
    // Sent again when the server drops it unseen: a racing resume Signal failed the workflow task that carried it.
    await resendDroppedUpdate(() =>
      handle.executeUpdate(updateStateUpdate, {
        args: [asNode === undefined ? { values: parsed } : { values: parsed, asNode }],
      }),
    );
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError || isClosedRunError(error)))
      throw rebuildError(error, threadId, ctx.address);
    if (asNode !== undefined && ctx.compiled && !ctx.compiled.nodes.has(asNode)) {
      throw new UpdateStateRefusedError(
        `updateState(..., "${asNode}") on thread "${threadId}": node "${asNode}" does not exist. Pass the name of a node of the graph, or omit asNode to write the values alone.`,
        { threadId },
      );
    }
    // Finished (or never started): a run that writes the values, and with asNode pauses before its successors.
    const run: RunInput = {
      ...runInputOf(ctx, {}, config, threadId),
      input: null,
      command: { update: parsed, goto: [], ...(asNode !== undefined ? { asNode } : {}), updateState: true },
    };
    await startAndWait(ctx, run, threadId, undefined);
  }
  return { configurable: { thread_id: threadId } };
}
