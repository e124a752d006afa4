/**
 * Reading a thread's current state: `getState()`'s snapshot (a finished run's result needs no worker; a running
 * or paused one is asked with the `getState` Query), and the shape `invoke()` resolves to.
 */
import { ExternalStorageNotConfiguredError } from '@temporalio/common';
import { rebuildError } from './errors.js';
import { WorkflowNotFoundError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { reviveMessagesDeep, reviveThreadState } from '../graph/message-codec.js';
import { getStateQuery } from '../protocol/messages.js';
import type { InterruptInfo, ThreadState } from '../protocol/payloads.js';
import { takesResumeValue } from '../protocol/pending.js';
import { unpackStop, type StopState } from '../protocol/stop-state.js';
import type { HandleContext } from './run-config.js';
import type { Interrupt, InvokeResult, StateSnapshot } from './types.js';

/** A run's state: a completed run's result (no worker needed), else the `getState` Query. */
export async function readThreadState(
  handle: WorkflowHandle,
  description: Pick<WorkflowExecutionDescription, 'status' | 'type' | 'closeTime'>,
): Promise<ThreadState> {
  if (description.status.name !== 'COMPLETED') return handle.query(getStateQuery);
  return unpackStop((await handle.result()) as StopState, {
    threadId: handle.workflowId,
    graph: description.type,
    ...(description.closeTime ? { createdAt: description.closeTime.toISOString() } : {}),
  });
}

/** `getState()`: the thread's snapshot; with `subgraphs`, a subgraph task's `state` is the child thread's snapshot. */
export async function readSnapshot<State>(
  ctx: HandleContext,
  threadId: string,
  options: { subgraphs?: boolean },
): Promise<StateSnapshot<State>> {
  const handle = ctx.temporal.workflow.getHandle(threadId);
  let state: ThreadState;
  try {
    state = await readThreadState(handle, await handle.describe());
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      // As LangGraph: no metadata, createdAt or status keys at all, not keys holding undefined.
      return {
        values: {} as State,
        next: [],
        tasks: [],
        config: { configurable: { thread_id: threadId } },
        rejectedResumes: [],
      };
    }
    // A state kept in External Storage read by a client without it: say what to configure.
    if (error instanceof ExternalStorageNotConfiguredError) throw rebuildError(error, threadId);
    throw error;
  }
  state = reviveThreadState(ctx.compiled, state);
  // Chat messages in interrupt payloads come back as messages, as invoke()'s __interrupt__ gives them.
  let tasks = state.tasks.map((task) =>
    task.interrupts.length ? { ...task, interrupts: task.interrupts.map(reviveInterrupt) } : task,
  );
  if (options.subgraphs) {
    // A subgraph task's `state` becomes the child thread's own snapshot (recursively).
    tasks = await Promise.all(
      tasks.map(async (task) => {
        const child = (task.state as { configurable?: { thread_id?: string } } | undefined)?.configurable?.thread_id;
        if (!child) return task;
        const name = (await ctx.temporal.workflow.getHandle(child).describe()).type;
        const snapshot = await readSnapshot({ temporal: ctx.temporal, taskQueue: ctx.taskQueue, name }, child, options);
        return { ...task, state: snapshot as unknown as Record<string, unknown> };
      }),
    );
  }
  return {
    values: state.values as State,
    next: state.next,
    tasks,
    metadata: { source: state.metadata.source, step: state.metadata.step, thread_id: threadId },
    config: { configurable: { thread_id: threadId } },
    createdAt: state.createdAt,
    status: state.status,
    ...(state.failures ? { failures: state.failures } : {}),
    rejectedResumes: state.rejectedResumes,
  };
}

/** An interrupt with the chat messages of its payload revived (its keys and their order unchanged). */
function reviveInterrupt<I extends { value?: unknown }>(interrupt: I): I {
  return 'value' in interrupt ? { ...interrupt, value: reviveMessagesDeep(interrupt.value) } : interrupt;
}

/** What `invoke()` resolves to for a run's state: the values, plus `__interrupt__` when it paused. */
export function toInvokeResult<State>(state: ThreadState): InvokeResult<State> {
  const result = { ...state.values } as InvokeResult<State>;
  // Keys in LangGraph's order, and `value` present even when undefined: JSON drops undefined on the way.
  const shown = (i: InterruptInfo): Interrupt => ({
    id: i.id,
    value: reviveMessagesDeep(i.value),
    ...(i.response_schema ? { response_schema: i.response_schema } : {}),
  });
  if (state.status === 'interrupted') result.__interrupt__ = state.interrupts.map(shown);
  // NodeInterrupts are `{ value }` with no id, listed with the others in task order, as LangGraph does.
  if (state.status === 'interrupted' && state.nodeInterrupts?.length) {
    const listed: Array<Partial<InterruptInfo>> = state.tasks.flatMap((t) => t.interrupts);
    result.__interrupt__ = listed.map((i) =>
      takesResumeValue(i) ? shown(i as InterruptInfo) : ({ value: reviveMessagesDeep(i.value) } as Interrupt),
    );
  }
  return result;
}
