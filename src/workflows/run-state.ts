/**
 * The state of one run of a thread, as plain data every part of the engine reads and changes: the superstep's tasks,
 * the values, where the run stands (step, status, pause), and what is waiting to be applied.
 * Determinism: data and pure predicates only; no Temporal API, no clock.
 */
import type { LocalStepsResult } from '../protocol/activities.js';
import type {
  InterruptInfo,
  NodeInterruptInfo,
  RejectedResume,
  SendSpec,
  StepRecord,
  ThreadState,
} from '../protocol/payloads.js';
import type { AcceptedCommand } from '../protocol/resume.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import type { GraphSpec } from '../protocol/spec.js';

/** What a completed task wrote and where it routes. */
export interface TaskResult {
  update: Record<string, unknown> | null;
  next: string[];
  sends?: SendSpec[];
}

/** A subgraph node's child workflow, or a graph the node called with `invoke()` (`inNode`). */
export interface TaskChild {
  workflowId: string;
  /** The interrupts the child reported while paused (ids unchanged). */
  interrupts: InterruptInfo[];
  /** Answers received for those interrupts, waiting to be forwarded. */
  answers: Record<string, unknown>;
  /** True while the child runs (not paused). */
  busy: boolean;
  inNode?: true;
  nodeInterrupts?: NodeInterruptInfo[];
  runId?: string;
  /** Where the child's stream log stood when it last reported a pause. */
  streamFrom?: number;
}

/** A node's `Command({ graph: Command.PARENT })` from a subgraph's run: the run ends after this step with it. */
export interface ParentCommand {
  update: Record<string, unknown> | null;
  goto: string[];
  sends?: SendSpec[];
}

/** Where a task stands in its superstep: one state at a time. */
export type TaskStatus =
  /** To run: not started in this step, or to run again (with an answer, after a continue, after a failed attempt). */
  | { kind: 'ready' }
  /** Its node Activity, or its subgraph's child run, is in flight (a subgraph's paused child run is still in flight). */
  | { kind: 'running' }
  /** Waiting for the answer to its `interrupt()`, or holding the answer that arrived until it runs again. */
  | { kind: 'interrupted'; interrupt: InterruptInfo; answer?: { value: unknown } }
  /** Paused by `throw new NodeInterrupt(value)`: no id, takes no answer; a continue runs it again. */
  | { kind: 'held'; value: unknown }
  /** Paused on a graph it called with `invoke()` (its `child`): answers or a continue run it again. */
  | { kind: 'waiting' }
  /** Completed: what it wrote and where it routes; `parentCommand` when it handed the run to the parent graph. */
  | { kind: 'done'; result: TaskResult; parentCommand?: ParentCommand }
  /**
   * Failed after its retries: the run ends with it, or parks on it (status `error`) until a command runs it again;
   * `reanswer` is the new answer to the interrupt it ran with ({@link Task.answered}), taken at that re-run.
   */
  | { kind: 'failed'; error: unknown; reanswer?: { value: unknown } };

/** One node execution within the current superstep (it survives pauses; re-runs keep its id). */
export interface Task {
  id: string;
  name: string;
  status: TaskStatus;
  /**
   * Set exactly for a task created by a Send (whatever its argument): the argument, which the node gets as its input
   * instead of the thread state. A Send's task also differs in where its writes apply and in never joining a local
   * segment.
   */
  send?: { arg: unknown };
  /** Resume values received so far, in order (the k-th `interrupt()` of a run gets the k-th). */
  resume: unknown[];
  /** `step()` results of this task so far. */
  steps?: StepRecord[];
  /** The last resume this task refused (response schema), shown on the task until an answer is taken. */
  refused?: { name: string; message: string };
  /** Why its run waits for another worker (UNKNOWN_NODE from the last one that took it, level 5), shown on the task. */
  waitingForWorker?: { name: string; message: string };
  /**
   * `interrupt(value, { timeout })`: when the pending interrupt expires (workflow time, ms) and what happens then.
   * Kept across the runs that raise the same interrupt again (a refused answer, a plain continue).
   */
  deadline?: { at: number; onTimeout: 'fail' | { resume: unknown } };
  child?: TaskChild;
  // What its next run needs to know:
  /** Its first attempt failed inside a local segment (the message): that attempt counts against its retry policy. */
  failedInSegment?: string;
  /** Id to give the interrupt it raises on its next run (a plain continue keeps the interrupt's id). */
  keepInterruptId?: string;
  /** Id of the interrupt whose answer it runs with (kept if the node refuses the answer). */
  answeredId?: string;
  /** How many interrupt ids it has been given (level 2: the next id derives from the task id and this count). */
  interruptIds?: number;
  /** That interrupt, whole: while the run is parked on this task's failure, it can be answered again. */
  answered?: InterruptInfo;
  /** Answers for the interrupts of graphs the node called with `invoke()` (`child.inNode`). */
  childAnswers?: Record<string, unknown>;
  /**
   * How many times a `Command({ update })` sent while the node waited on a graph it called with `invoke()` made
   * that graph start anew (its calls then run as new child threads, as LangGraph's new task does).
   */
  childEpoch?: number;
  /** It passes a plain continue (`invoke(null)`) on to its paused child, which keeps its ids. */
  childContinue?: true;
}

/** A task of node `name` that is ready to run; `send` for a task created by a Send. */
export function readyTask(id: string, name: string, send?: { arg: unknown }): Task {
  return send
    ? { id, name, status: { kind: 'ready' }, send, resume: [] }
    : { id, name, status: { kind: 'ready' }, resume: [] };
}

/** A completed task's result, or undefined. */
export function resultOf(task: Task): TaskResult | undefined {
  return task.status.kind === 'done' ? task.status.result : undefined;
}

/** The interrupt a task waits on with no answer yet, or undefined. */
export function openInterruptOf(task: Task): InterruptInfo | undefined {
  return task.status.kind === 'interrupted' && task.status.answer === undefined ? task.status.interrupt : undefined;
}

/** The task failed after its retries (the run ends, or parks on it). */
export function isFailed(task: Task): boolean {
  return task.status.kind === 'failed';
}

/** The task's subgraph child run is paused (it reported interrupts or NodeInterrupts and got nothing since). */
export function childPaused(task: Task): boolean {
  const child = task.child;
  return child !== undefined && !child.busy && (child.interrupts.length > 0 || !!child.nodeInterrupts?.length);
}

/** The interrupts an accepted resume answered: by a Signal or an Update, at a workflow time, before stop number `stops`. */
export interface LastAnswered {
  via: 'signal' | 'update';
  at: string;
  stops: number;
  interrupts: Array<{ id: string; node: string }>;
}

/** Where a run is stopped: at an interrupt, at a static breakpoint before / after nodes, or parked on a failed node. */
export type PausedAt = 'interrupt' | 'before' | 'after' | 'error';

/** Everything one run knows; the parts of the engine share it. */
export interface RunState {
  /**
   * The engine level the run was recorded at (patches.ts): post-0.1.0 behaviour changes are gated on it. Read
   * lazily: the first read records it (a first execution) or reads it back (a replay), so a run that never reaches a
   * gated behaviour carries no marker. Read it only from the run's main flow and handlers, never in a Query or an
   * Update validator (they may not record anything).
   */
  readonly level: number;
  /** The level when it has been read already, else undefined (reading this records nothing). */
  readonly knownLevel: number | undefined;
  readonly threadId: string;
  /** The graph's name (the Workflow Type). */
  readonly graph: string;
  /** Set once loaded (from the start input, or asked of a worker for a thread started by name). */
  spec?: GraphSpec;
  values: Record<string, unknown>;
  step: number;
  /** The snapshot's `metadata.source`: "update" after an updateState until the next step starts (LangGraph). */
  source: 'input' | 'loop' | 'update';
  status: ThreadStatus;
  /** The current superstep's tasks (empty between steps). */
  tasks: Task[];
  /** Nodes the next step runs, and Sends it runs first. */
  triggers: string[];
  sends: SendSpec[];
  pausedAt?: PausedAt;
  breakpointNodes: string[];
  /** The next step's tasks, given their ids at an 'after' pause so getState lists them with the ids they will run with. */
  upcoming?: Array<{ id: string; name: string; send: boolean }>;
  /** Set by updateState(asNode): stay paused after the current step instead of running on. */
  holdAfterStep: boolean;
  /** True from an updateState(asNode) until a task is launched: the step it completes ends as an "update". */
  completedByUpdate: boolean;
  /**
   * Bumped when updateState(asNode) completes a paused task, to wake the paused superstep: it ends the step when no
   * task is left paused, else waits again on the deadlines of those still paused.
   */
  nudges: number;
  /** True once this run has paused: from then on its end is published too. */
  everPaused: boolean;
  /** Accepted commands that do more than answer interrupts (update, goto, continue), in arrival order. */
  commands: AcceptedCommand[];
  /** How many commands (answers included) were accepted: a run parked on a failed node waits for the next one. */
  accepted: number;
  /** How many times the run stopped (paused or ended): Update callers wait for the next one. */
  stops: number;
  /** Resumes refused while paused, newest last (at most 20). */
  rejected: RejectedResume[];
  /**
   * What the last accepted resume answered, how and when, and at which stop: a resume refused because its interrupt
   * was already answered says so (an Update validator's message only; never part of a command).
   */
  lastAnswered?: LastAnswered;
  /** What a subgraph's node handed to the parent graph (Command.PARENT); the run ends with it. */
  parentCommand?: ThreadState['parentCommand'];
  /** Workflow time (ms) of the last change to the state; formatted only when a snapshot is taken. */
  updatedAt: number;
  /** The values history last recorded as a node's input state (see NodeTask.recordState). */
  recordedValues: Record<string, unknown> | undefined;
  /** The `configurable` keys nodes see: the run's, or those of the last resume that gave some. */
  configurable: Record<string, unknown> | undefined;
  /** Steps a local segment ran that the loop has not taken yet, oldest first. */
  queuedSteps: LocalStepsResult['steps'];
  /** The segment's step the current superstep takes its results from, instead of running its tasks. */
  segmentStep?: LocalStepsResult['steps'][number];
}

/**
 * The state of a run that has not started: no values, step -1, nothing pending. `level` is the run's engine level,
 * or the function that records or reads it back, called once, at the first read of {@link RunState.level}.
 */
export function newRunState(at: {
  level: number | (() => number);
  threadId: string;
  graph: string;
  now: number;
}): RunState {
  let level = typeof at.level === 'number' ? at.level : undefined;
  const readLevel = at.level;
  return {
    get level(): number {
      return (level ??= typeof readLevel === 'number' ? readLevel : readLevel());
    },
    get knownLevel(): number | undefined {
      return level;
    },
    threadId: at.threadId,
    graph: at.graph,
    values: {},
    step: -1,
    source: 'input',
    status: 'running',
    tasks: [],
    triggers: [],
    sends: [],
    breakpointNodes: [],
    holdAfterStep: false,
    completedByUpdate: false,
    nudges: 0,
    everPaused: false,
    commands: [],
    accepted: 0,
    stops: 0,
    rejected: [],
    updatedAt: at.now,
    recordedValues: undefined,
    configurable: undefined,
    queuedSteps: [],
  };
}

/**
 * Whether `task` is paused, so that its superstep cannot end until the task runs again: its node raised an
 * `interrupt()` (answered or not: an answer waits on the task until the loop runs it again) or threw a NodeInterrupt,
 * or a graph it runs (its subgraph's child run, or a graph its node called with `invoke()`) is paused on interrupts or
 * NodeInterrupts. While any task is paused and none has an answer, the run is paused.
 *
 * Not the same list as {@link completableByUpdate} (what updateState(asNode) may complete): that one leaves out
 * answered interrupts and paused child runs, and adds the tasks held at a breakpoint before their node.
 */
export function isPaused(task: Task): boolean {
  return task.status.kind === 'interrupted' || !!task.child?.interrupts.length || nodeInterruptsOf(task).length > 0;
}

/** The NodeInterrupts a task is paused by: its own, or those its subgraph's child run reported. */
export function nodeInterruptsOf(task: Task): NodeInterruptInfo[] {
  return task.status.kind === 'held' ? [{ value: task.status.value }] : (task.child?.nodeInterrupts ?? []);
}

/** The interrupts a subgraph task's child reported that have no answer waiting to be forwarded. */
export function openChildInterrupts(task: Task): InterruptInfo[] {
  return task.child ? task.child.interrupts.filter((i) => !(i.id in task.child!.answers)) : [];
}

/**
 * The tasks `updateState(values, asNode)` may complete without running their node (`values` counts as that node's
 * output) while the run is paused: at an interrupt, the tasks with an unanswered `interrupt()` or a NodeInterrupt of
 * their own; at a static breakpoint before nodes, every task of the step not done yet (none has run); parked on a
 * failed node, the failed tasks too (the values stand in for the output the node could not produce). Not an
 * answered interrupt (its answer is already on its way), nor a subgraph whose child run is paused (the child's run
 * would go on without its parent).
 */
export function completableByUpdate(state: RunState): Task[] {
  return state.tasks.filter(
    (t) =>
      t.status.kind !== 'done' &&
      (openInterruptOf(t) !== undefined ||
        t.status.kind === 'held' ||
        state.pausedAt === 'before' ||
        (state.pausedAt === 'error' && t.status.kind === 'failed')),
  );
}
