/**
 * Views of a run: the pending interrupts, the status the visibility writes describe, and the `ThreadState` snapshot
 * that the getState Query, Update results and the run's result return.
 * Determinism: pure functions of the run state (time is the state's own `updatedAt`); only Temporal's failure
 * classes, to read a failed task's error.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';
import type { InterruptInfo, ParkedFailure, TaskSnapshot, ThreadState } from '../protocol/payloads.js';
import { canMergeInEngine, mergeBuiltin } from '../protocol/reducers.js';
import { takesResumeValue } from '../protocol/pending.js';
import { packStop, type StopState } from '../protocol/stop-state.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import { stepWrites, toRerunTask } from './plan.js';
import {
  nodeInterruptsOf,
  openChildInterrupts,
  openInterruptOf,
  readyTask,
  type RunState,
  type Task,
} from './run-state.js';

/** A pending interrupt as the engine tracks it: LangGraph's fields plus its node; no id for a NodeInterrupt. */
export interface PendingView extends Omit<InterruptInfo, 'id'> {
  /** Absent for a NodeInterrupt, which takes no resume value. */
  id?: string;
  node: string;
  /** When the interrupt expires (ISO time), if it has a deadline. */
  expiresAt?: string;
  /** Set on an interrupt already answered whose node then failed (the run is parked): the answer it failed with. */
  answered?: { value: unknown };
}

/** What the visibility writes (search attributes, memo, Web UI details) describe. */
export interface StatusView {
  /**
   * The run's engine level (patches.ts): what the visibility writes say is gated on it. Read lazily, as
   * `RunState.level` is: only a write that depends on it records it.
   */
  readonly level: number;
  threadId: string;
  graph: string;
  status: ThreadStatus;
  step: number;
  pending: PendingView[];
  rejected: RunState['rejected'];
  /** Set while paused at a static breakpoint (no interrupt pending; `{}` continues). */
  breakpoint?: { at: 'before' | 'after'; nodes: string[] };
  /** Set while parked on failed nodes (status `error`). */
  failures?: ParkedFailure[];
}

/** A pending interrupt as callers see it: LangGraph's `{ id, value, response_schema? }`, without our bookkeeping. */
export function toInterruptInfo({
  node: _node,
  expiresAt: _expiresAt,
  answered: _answered,
  ...info
}: PendingView & { id: string }): InterruptInfo {
  return info;
}

/** The pending interrupts, in task order: a task's own, those its child reported, and NodeInterrupts. */
export function pendingOf(state: RunState): PendingView[] {
  if (state.status === 'failed') return []; // a failed run cannot be resumed: show no interrupt as pending
  const fromChildren = (t: Task): PendingView[] => openChildInterrupts(t).map((i) => ({ ...i, node: t.name }));
  // A NodeInterrupt has no id: the view carries none, and only its value is shown.
  const held = (t: Task): PendingView[] => nodeInterruptsOf(t).map((i) => ({ value: i.value, node: t.name }));
  return state.tasks.flatMap((t) =>
    t.status.kind === 'failed'
      ? parkedWith(state, t)
      : openInterruptOf(t)
        ? [
            {
              ...openInterruptOf(t)!,
              node: t.name,
              ...(t.deadline ? { expiresAt: new Date(t.deadline.at).toISOString() } : {}),
            },
          ]
        : [...fromChildren(t), ...held(t)],
  );
}

/** While the run is parked on `task`, the interrupt it ran with the answer to: it can be answered again. */
function parkedWith(state: RunState, task: Task): PendingView[] {
  if (state.status !== 'error' || !task.answered) return [];
  return [{ ...task.answered, node: task.name, answered: { value: task.resume[task.resume.length - 1] } }];
}

/** The tasks the run is parked on (status `error`), as callers see them. */
export function failuresOf(state: RunState): ParkedFailure[] {
  if (state.status !== 'error') return [];
  return state.tasks.flatMap((t) =>
    t.status.kind === 'failed'
      ? [
          {
            taskId: t.id,
            node: t.name,
            error: errorOfTask(t.status.error),
            ...(t.answered ? { interrupt: { id: t.answered.id, answer: t.resume[t.resume.length - 1] } } : {}),
          },
        ]
      : [],
  );
}

export function statusViewOf(state: RunState): StatusView {
  const failures = failuresOf(state);
  return {
    get level(): number {
      return state.level;
    },
    threadId: state.threadId,
    graph: state.graph,
    status: state.status,
    step: state.step,
    pending: pendingOf(state),
    rejected: state.rejected,
    ...(state.pausedAt === 'before' || state.pausedAt === 'after'
      ? { breakpoint: { at: state.pausedAt, nodes: state.breakpointNodes } }
      : {}),
    ...(failures.length ? { failures } : {}),
  };
}

/** The thread's state as getState shows it (LangGraph's snapshot, plus status, stops and refused resumes). */
export function snapshotOf(state: RunState): ThreadState {
  const { spec, status } = state;
  const pending = pendingOf(state);
  // While paused, values include the writes of sibling tasks that already completed (as LangGraph shows them).
  const siblingWrites = spec ? stepWrites(state.tasks) : [];
  const values =
    spec && siblingWrites.length && canMergeInEngine(spec.channels, siblingWrites)
      ? mergeBuiltin(spec.channels, state.values, siblingWrites)
      : state.values;
  const next = state.tasks.length
    ? state.tasks.filter((t) => t.status.kind !== 'done').map((t) => t.name)
    : [...state.sends.map((s) => s.node), ...state.triggers];
  // Paused after a step: the next step's tasks, not started yet, as LangGraph lists them.
  const upcoming: Task[] =
    state.tasks.length === 0 && status === 'interrupted' && state.pausedAt === 'after'
      ? (state.upcoming ?? []).map(({ id, name }) => readyTask(id, name))
      : [];
  return {
    threadId: state.threadId,
    graph: state.graph,
    status,
    values,
    // A failed run lists the nodes invoke(null) runs again (LangGraph shows the failed node in next).
    next: status === 'completed' ? [] : next,
    tasks: [...upcoming, ...state.tasks].map((t) => taskSnapshot(t, status)),
    interrupts: pending.filter(takesResumeValue).map(toInterruptInfo),
    ...(pending.some((p) => !takesResumeValue(p))
      ? { nodeInterrupts: pending.filter((p) => !takesResumeValue(p)).map((p) => ({ node: p.node, value: p.value })) }
      : {}),
    ...(state.parentCommand ? { parentCommand: state.parentCommand } : {}),
    metadata: { source: state.source, step: state.step },
    createdAt: new Date(state.updatedAt).toISOString(),
    ...(state.pausedAt && state.pausedAt !== 'error' && status === 'interrupted' ? { pausedAt: state.pausedAt } : {}),
    ...(status === 'error' ? { failures: failuresOf(state) } : {}),
    stops: state.stops,
    rejectedResumes: [...state.rejected],
    ...(status === 'failed' && state.tasks.length
      ? { failedStep: { values: state.values, tasks: state.tasks.map(toRerunTask) } }
      : {}),
  };
}

/** The thread's state as history records it at a stop: Update results and the run's result. */
export function stopOf(state: RunState): StopState {
  return packStop(snapshotOf(state));
}

function taskSnapshot(t: Task, status: ThreadStatus): TaskSnapshot {
  const snapshot: TaskSnapshot = {
    id: t.id,
    name: t.name,
    interrupts:
      status === 'failed'
        ? []
        : t.status.kind === 'failed'
          ? status === 'error' && t.answered
            ? [{ ...t.answered }]
            : []
          : openInterruptOf(t)
            ? [{ ...openInterruptOf(t)! }]
            : // LangGraph shows a NodeInterrupt as { value } with no id key; TaskSnapshot documents it.
              [
                ...openChildInterrupts(t).map((i) => ({ ...i })),
                ...nodeInterruptsOf(t).map((i) => ({ value: i.value }) as InterruptInfo),
              ],
  };
  if (t.status.kind === 'done') snapshot.result = t.status.result.update;
  if (t.refused) snapshot.error = t.refused;
  if (t.waitingForWorker && t.status.kind === 'running') snapshot.error = t.waitingForWorker;
  if (t.status.kind === 'failed' && (status === 'failed' || status === 'error'))
    snapshot.error = errorOfTask(t.status.error);
  if (t.child && !t.child.inNode) snapshot.state = { configurable: { thread_id: t.child.workflowId } }; // none for a graph called inside a node
  return snapshot;
}

/** A failed task's error as LangGraph shows it on the task: the user's error name (the failure's type) and message. */
export function errorOfTask(error: unknown): { name: string; message: string } {
  const cause =
    error instanceof ActivityFailure || error instanceof ChildWorkflowFailure ? (error.cause ?? error) : error;
  if (cause instanceof ApplicationFailure) return { name: cause.type ?? 'Error', message: cause.message };
  return cause instanceof Error
    ? { name: cause.name, message: cause.message }
    : { name: 'Error', message: String(cause) };
}
