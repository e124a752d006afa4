/**
 * A thread's state at a stop as history records it (the results of the `resume`, `awaitStop` and `updateState`
 * Updates, and a run's result): {@link ThreadState} without what its reader already knows (thread id, graph, the
 * time of the event) or can derive (the pending interrupts from the tasks, the next nodes from the tasks not done),
 * and without empty lists. The getState Query, which history does not record, returns the whole ThreadState.
 * Plain JSON; sandbox-safe.
 */
import type { InterruptInfo, NodeInterruptInfo, TaskSnapshot, ThreadState } from './payloads.js';
import { pendingOfTasks, splitPending } from './pending.js';

export interface StopState {
  status: ThreadState['status'];
  values: Record<string, unknown>;
  step: number;
  stops: number;
  /** Absent: `"loop"`. */
  source?: 'input' | 'update';
  /** Absent: none. */
  tasks?: TaskSnapshot[];
  /** Absent: the names of the tasks without a result (none once the run completed). */
  next?: string[];
  /** Absent: the interrupts of the tasks that take a resume value, in task order. */
  interrupts?: InterruptInfo[];
  /** Absent: the tasks' interrupts that take none (NodeInterrupts), with their task's node. */
  nodeInterrupts?: Array<NodeInterruptInfo & { node: string }>;
  /** Absent on an interrupted stop: `"interrupt"` (a stop at a breakpoint says `"before"` or `"after"`). */
  pausedAt?: ThreadState['pausedAt'];
  /** Absent: none. */
  rejectedResumes?: ThreadState['rejectedResumes'];
  parentCommand?: ThreadState['parentCommand'];
  failedStep?: ThreadState['failedStep'];
}

/** What a reader of a stop knows without it: the thread, its graph, and when the stop was recorded. */
export interface StopContext {
  threadId: string;
  graph: string;
  /** ISO time of the stop (its event's time); the reader's clock when it has none. */
  createdAt?: string;
}

/** The stop as history records it. */
export function packStop(state: ThreadState): StopState {
  const stop: StopState = { status: state.status, values: state.values, step: state.metadata.step, stops: state.stops };
  if (state.metadata.source !== 'loop') stop.source = state.metadata.source;
  if (state.tasks.length) stop.tasks = state.tasks;
  // Derived fields are written only where the derivation would not give them back.
  const derived = derive(state.status, state.tasks);
  if (!sameJson(state.next, derived.next)) stop.next = state.next;
  if (!sameJson(state.interrupts, derived.interrupts)) stop.interrupts = state.interrupts;
  if (!sameJson(state.nodeInterrupts ?? [], derived.nodeInterrupts)) stop.nodeInterrupts = state.nodeInterrupts ?? [];
  if (state.pausedAt && !(state.status === 'interrupted' && state.pausedAt === 'interrupt'))
    stop.pausedAt = state.pausedAt;
  if (state.rejectedResumes.length) stop.rejectedResumes = state.rejectedResumes;
  if (state.parentCommand) stop.parentCommand = state.parentCommand;
  if (state.failedStep) stop.failedStep = state.failedStep;
  return stop;
}

/** The whole ThreadState of a recorded stop. */
export function unpackStop(stop: StopState, context: StopContext): ThreadState {
  const tasks = stop.tasks ?? [];
  const derived = derive(stop.status, tasks);
  const nodeInterrupts = stop.nodeInterrupts ?? derived.nodeInterrupts;
  const pausedAt = stop.pausedAt ?? (stop.status === 'interrupted' ? 'interrupt' : undefined);
  const state: ThreadState = {
    threadId: context.threadId,
    graph: context.graph,
    status: stop.status,
    values: stop.values,
    next: stop.next ?? derived.next,
    tasks,
    interrupts: stop.interrupts ?? derived.interrupts,
    ...(nodeInterrupts.length ? { nodeInterrupts } : {}),
    ...(stop.parentCommand ? { parentCommand: stop.parentCommand } : {}),
    metadata: { source: stop.source ?? 'loop', step: stop.step },
    createdAt: context.createdAt ?? new Date().toISOString(),
    ...(pausedAt ? { pausedAt } : {}),
    stops: stop.stops,
    rejectedResumes: stop.rejectedResumes ?? [],
    ...(stop.failedStep ? { failedStep: stop.failedStep } : {}),
  };
  return state;
}

/** Whether `value` looks like a recorded stop (any client can write history, so readers check). */
export function isStopState(value: unknown): value is StopState {
  const stop = value as Partial<StopState> | null | undefined;
  return (
    !!stop &&
    typeof stop === 'object' &&
    typeof stop.status === 'string' &&
    typeof stop.values === 'object' &&
    stop.values !== null &&
    typeof stop.step === 'number' &&
    typeof stop.stops === 'number' &&
    (stop.tasks === undefined || Array.isArray(stop.tasks))
  );
}

function derive(status: ThreadState['status'], tasks: TaskSnapshot[]) {
  return {
    next: status === 'completed' ? [] : tasks.filter((t) => !('result' in t)).map((t) => t.name),
    interrupts: splitPending(tasks.flatMap((t) => t.interrupts)).interrupts,
    nodeInterrupts: pendingOfTasks(tasks).nodeInterrupts,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
