/**
 * Starting runs of a thread. A thread is one Workflow Id; each run is a Workflow run of it. A new run continues from
 * the last run's final state, and is refused while a run is in progress (or, unless asked, while one is paused).
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandleWithStartDetails,
} from '@temporalio/client';
import { ThreadBusyError } from '../errors.js';
import { MEMO_KEY, type ThreadMemo } from '../protocol/memo.js';
import { awaitStopUpdate, getStateQuery } from '../protocol/messages.js';
import type { RunInput, ThreadState } from '../protocol/payloads.js';
import { pendingOfTasks } from '../protocol/pending.js';
import { runMetadata } from '../protocol/run-metadata.js';
import { unpackStop } from '../protocol/stop-state.js';
import { supportsEagerStart } from './eager-start.js';
import { rebuildError } from './errors.js';
import { runInputOf, threadIdOf, type HandleContext } from './run-config.js';
import { readThreadState } from './state.js';
import { executeUpdateWithStart, type StreamTap } from './stream.js';
import type { RunConfig } from './types.js';

/** How long a refusal of new input waits for a worker to say whether a thread with no memo is paused. */
const BUSY_QUERY_MS = 3_000;

/**
 * `start()`: starts a run and returns at once with the Temporal handle. A plain start (not Update-with-Start, which the
 * server refuses to start eagerly) so that it can start eagerly on a worker sharing the client's connection.
 */
export async function startRun(
  ctx: HandleContext,
  input: unknown,
  config: RunConfig,
): Promise<WorkflowHandleWithStartDetails> {
  const threadId = threadIdOf(config);
  const run = runInputOf(ctx, input ?? {}, config, threadId);
  const eager = supportsEagerStart(ctx.temporal.connection) ? { requestEagerStart: true } : {};
  try {
    return await ctx.temporal.workflow.start(ctx.name, {
      workflowId: threadId,
      taskQueue: ctx.taskQueue,
      args: [run],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...runMetadata(ctx.name, threadId, run),
      ...eager,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const next = { ...run, previous: await previousRun(ctx, threadId) };
    return ctx.temporal.workflow.start(ctx.name, {
      workflowId: threadId,
      taskQueue: ctx.taskQueue,
      args: [next],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      ...runMetadata(ctx.name, threadId, next),
      ...eager,
    });
  }
}

/**
 * Starts a run with `awaitStop` as an Update-with-Start and returns the state at its first stop (pause or end).
 * With a tap (`stream()`), the run's chunks are read while it goes.
 */
export async function startAndWait(
  ctx: HandleContext,
  run: RunInput,
  threadId: string,
  tap: StreamTap | undefined,
): Promise<ThreadState> {
  const attempt = (input: RunInput, reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE') =>
    executeUpdateWithStart(
      ctx.temporal,
      awaitStopUpdate,
      {
        // No argument: a new run's first stop (the run is running until then); nothing more to record.
        args: [],
        startWorkflowOperation: new WithStartWorkflowOperation(ctx.name, {
          workflowId: threadId,
          taskQueue: ctx.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: reuse,
          ...runMetadata(ctx.name, threadId, input),
        }),
      },
      tap,
    );
  try {
    try {
      return unpackStop(await attempt(run, 'REJECT_DUPLICATE'), { threadId, graph: ctx.name });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // The thread exists: continue from its last state if its last run has ended.
      const previous = await previousRun(ctx, threadId);
      try {
        const resumed = await attempt({ ...run, previous: run.previous ?? previous }, 'ALLOW_DUPLICATE');
        return unpackStop(resumed, { threadId, graph: ctx.name });
      } catch (raced) {
        // Another caller started the next run between our look and our start.
        if (raced instanceof WorkflowExecutionAlreadyStartedError) throw new ThreadBusyError(threadId, 'running');
        throw raced;
      }
    }
  } catch (error) {
    throw rebuildError(error, threadId, ctx.address);
  }
}

/** Final state of the thread's last run; refuses when a run is still in progress. */
async function previousRun(
  ctx: HandleContext,
  threadId: string,
): Promise<{ values: Record<string, unknown>; step: number }> {
  const handle = ctx.temporal.workflow.getHandle(threadId);
  const description = await handle.describe();
  if (description.status.name === 'RUNNING') {
    const memo = description.memo?.[MEMO_KEY] as Partial<ThreadMemo> | undefined;
    // The memo names what a paused thread waits for, so the error can say how to answer it.
    if (memo) {
      const pending =
        (memo.status === 'interrupted' || memo.status === 'error') && memo.interrupts
          ? { interrupts: memo.interrupts, nodeInterrupts: memo.nodeInterrupts, breakpoint: memo.breakpoint }
          : undefined;
      throw new ThreadBusyError(threadId, memo.status ?? 'running', pending);
    }
    // No memo: running, or paused in a graph compiled with publishPauses: false; a worker's answer tells which.
    const state = await ctx.temporal.connection
      .withDeadline(Date.now() + BUSY_QUERY_MS, () => readThreadState(handle, description))
      .catch(() => undefined);
    if (state?.status !== 'interrupted') throw new ThreadBusyError(threadId, 'running');
    const { interrupts, nodeInterrupts } = pendingOfTasks(state.tasks);
    throw new ThreadBusyError(threadId, 'interrupted', {
      interrupts: interrupts.map(({ id, node }) => ({ id, node })),
      nodeInterrupts: nodeInterrupts.map(({ node }) => ({ node })),
      ...(state.pausedAt === 'before' || state.pausedAt === 'after'
        ? { breakpoint: { at: state.pausedAt, nodes: state.next } }
        : {}),
    });
  }
  const state = await readThreadState(handle, description);
  // A paused run that was abandoned stopped mid-step: the next run starts from the step it paused in.
  const midStep = state.status === 'interrupted' || state.status === 'error';
  return { values: state.values, step: midStep ? state.metadata.step - 1 : state.metadata.step };
}

/** Ends the paused run of a thread on purpose (recorded as a termination with the reason), keeping its state for the next run. */
export async function abandonPausedRun(ctx: HandleContext, threadId: string): Promise<void> {
  const handle = ctx.temporal.workflow.getHandle(threadId);
  const description = await handle.describe().catch(() => undefined);
  if (!description || description.status.name !== 'RUNNING') return;
  const state = await handle.query(getStateQuery);
  if (state.status !== 'interrupted' && state.status !== 'error') throw new ThreadBusyError(threadId, state.status);
  // Name what was pending: interrupt ids, NodeInterrupts (no id) by node, else the breakpoint.
  const held = (state.nodeInterrupts ?? []).map((i) => `NodeInterrupt in node "${i.node}"`);
  const failed = (state.failures ?? []).map((f) => `the failed node "${f.node}"`);
  const ids =
    [...state.interrupts.map((i) => i.id), ...held, ...failed].join(', ') ||
    `a breakpoint (next: ${state.next.map((n) => `"${n}"`).join(', ')})`;
  await handle.terminate(
    `durable-graph: new input abandoned the pending interrupt(s) ${ids} (abandonPendingInterrupts)`,
  );
}
