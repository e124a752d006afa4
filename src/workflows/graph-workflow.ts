/**
 * The graph engine: one Workflow Execution runs one run of one thread, superstep by superstep.
 * Determinism: it reads only its input, the recorded spec and Activity results; ids come from
 * `uuid4()` (seeded by Temporal); user code (nodes, routers, custom reducers, schemas) runs only in
 * Activities. Any change to the order of commands issued here must be guarded with `patched()`.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  startChild,
  getExternalWorkflowHandle,
  isCancellation,
  setCurrentDetails,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
  type ActivityInterfaceFor,
} from '@temporalio/workflow';
import { ErrorCode, NoPendingInterruptError, InvalidResumeError } from '../errors.js';
import type { GraphActivities, LocalStepsResult } from '../protocol/activities.js';
import { failure, isErrorCode, toFailure } from '../protocol/failures.js';
import { awaitStopUpdate, childPausedSignal, getStateQuery, resumeSignal, resumeUpdate, updateStateUpdate } from '../protocol/messages.js';
import type { ChildPausedInput, InterruptInfo, NodeInterruptInfo, NodeResult, NodeTask, RejectedResume, RerunTask, ResumeInput, RunInput, SendSpec, StepRecord, ThreadState, UpdateStateInput } from '../protocol/payloads.js';
import { canMergeInEngine, initialValues, mergeBuiltin } from '../protocol/reducers.js';
import { splitDestinations } from '../protocol/destinations.js';
import { matchCommand, type AcceptedCommand, type CommandMatch } from '../protocol/resume.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import { END, SPEC_VERSION, START, type GraphSpec, type NodeSpec } from '../protocol/spec.js';
import { EngineLevel } from './patches.js';
import { StatusPublisher, renderDetails, type PendingView, type StatusView } from './pause.js';
import { checkResponse } from './response-schema.js';
import { StreamLog } from './stream-log.js';
import { inDeclarationOrder, nextTriggers, startTriggers, type JoinState } from './superstep.js';

const DEFAULT_RECURSION_LIMIT = 25;

/** One node execution within the current superstep (it survives pauses; re-runs keep its id). */
interface Task {
  id: string;
  name: string;
  /** Set when the task's first attempt failed inside a local segment (engine level 8): its message. */
  failedInSegment?: string;
  /** Set for a task created by a Send: the node's input instead of the thread state. */
  input?: unknown;
  /** Resume values received so far, in order. */
  resume: unknown[];
  interrupt?: InterruptInfo;
  /** Answer received for the pending interrupt, waiting for the task to re-run. */
  answer?: { value: unknown };
  /** Id to give the interrupt this task raises on its next run (a re-run that must keep the id). */
  keepInterruptId?: string;
  /** Id of the interrupt whose answer this task is running with. */
  answeredId?: string;
  result?: { update: Record<string, unknown> | null; next: string[]; sends?: SendSpec[] };
  error?: unknown;
  /** `step()` results of this task so far. */
  steps?: StepRecord[];
  /** The last resume this task refused (response schema). */
  refused?: { name: string; message: string };
  /** True while its Activity (or child workflow) runs. */
  inFlight?: boolean;
  /** How many pauses of its superstep came before this task completed. */
  batch?: number;
  /** `interrupt(value, { timeout })`: when the pending interrupt expires (workflow time, ms) and what happens then. */
  deadline?: { at: number; onTimeout: 'fail' | { resume: unknown } };
  /** Set while the node is paused by `throw new NodeInterrupt(value)` (R6): no id, no answer; a plain continue re-runs it. */
  nodeInterrupt?: NodeInterruptInfo;
  /** Set when the node (of a subgraph's run) returned `Command({ graph: Command.PARENT })`: the run ends after this step. */
  parentCommand?: { update: Record<string, unknown> | null; goto: string[]; sends?: SendSpec[] };
  /** Set for a subgraph node: its child workflow, the interrupts it reported, answers to forward. */
  child?: { workflowId: string; interrupts: InterruptInfo[]; answers: Record<string, unknown>; busy: boolean; inNode?: true; nodeInterrupts?: NodeInterruptInfo[]; runId?: string; streamFrom?: number };
  /** Answers for the interrupts of graphs the node called with `invoke()` (`child.inNode`), for its next execution. */
  childAnswers?: Record<string, unknown>;
  /**
   * Engine level 9: how many times a `Command({ update })` sent while the node waited on a graph it called with
   * `invoke()` made that graph start anew (its calls then run as new child threads, as LangGraph's new task does).
   */
  childEpoch?: number;
  /** Engine level 9: the node's next execution passes a plain continue (`invoke(null)`) on to its paused child (R25). */
  childContinue?: true;
}

const coordination = proxyLocalActivities<Pick<GraphActivities, 'describeGraph' | 'routeStart' | 'applyWrites'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

/** Runs one run of a thread. Exported as the default workflow: the Workflow Type is the graph's name. */
export async function graphWorkflow(run: RunInput = {}): Promise<ThreadState> {
  return new GraphRun(run ?? {}).execute();
}

class GraphRun {
  readonly #run: RunInput;
  readonly #threadId: string;
  readonly #graph: string;
  readonly #publisher = new StatusPublisher();
  /** The chunks stream() reads; recording them issues no commands. */
  readonly #stream = new StreamLog(() => this.#values);
  #spec?: GraphSpec;
  #values: Record<string, unknown> = {};
  #step: number;
  /** The snapshot's `metadata.source`: "update" after an updateState until the next step starts (LangGraph). */
  #source: 'input' | 'loop' | 'update' = 'input';
  #status: ThreadStatus = 'running';
  #tasks: Task[] = [];
  #triggers: string[] = [];
  #sends: SendSpec[] = [];
  #pausedAt?: 'interrupt' | 'before' | 'after';
  #breakpointNodes: string[] = [];
  /**
   * The next step's tasks, given their ids at an 'after' pause (engine level 6) so getState lists them with the
   * ids they will run with; the step's tasks take them when it starts (#nextTasks).
   */
  #upcoming?: Array<{ id: string; name: string; send: boolean }>;
  /** Set by updateState(asNode): stay paused after the current step instead of running on. */
  #holdAfterStep = false;
  /** True from an updateState(asNode) until a task is launched: the step it completes ends as an "update". */
  #completedByUpdate = false;
  /** Bumped when a handler changes the paused tasks, to wake the superstep loop. */
  #nudges = 0;
  /** True once this run has paused: from then on its end is published too. */
  #everPaused = false;
  /** The last queued merge (created with the first one: a run whose merges all run in the engine makes no promise). */
  #valuesLock?: Promise<unknown>;
  /** Number of pauses in the current superstep (tasks remember the batch they completed in). */
  #batch = 0;
  /** Accepted commands that do more than answer interrupts (update, goto, continue), in arrival order. */
  #commands: AcceptedCommand[] = [];
  #stops = 0;
  #failure?: ApplicationFailure;
  #rejected: RejectedResume[] = [];
  /** What a subgraph's node handed to the parent graph (Command.PARENT); the run ends with it. */
  #parentCommand?: ThreadState['parentCommand'];
  /** Workflow time (ms) of the last change to the state; formatted only when a snapshot is taken. */
  #updatedAt = Date.now();
  readonly #nodeActivities = new Map<string, ActivityInterfaceFor<GraphActivities>>();
  /** The values history last recorded as a node's input state (see NodeTask.recordState). */
  #recordedValues: Record<string, unknown> | undefined;
  /** The `configurable` keys nodes see: the run's, or those of the last resume that gave some. */
  #configurable: Record<string, unknown> | undefined;
  /** Merges queued behind #valuesLock (engine level 7 merges synchronously only when there are none). */
  #mergesInFlight = 0;
  /** Steps a local segment ran (engine level 8) that the loop has not taken yet, oldest first. */
  #queuedSteps: LocalStepsResult['steps'] = [];
  /** The segment's step the current superstep takes its results from, instead of running its tasks. */
  #segmentStep?: LocalStepsResult['steps'][number];

  constructor(run: RunInput) {
    this.#run = run;
    this.#configurable = run.configurable;
    const info = workflowInfo();
    this.#threadId = info.workflowId;
    this.#graph = info.workflowType;
    this.#step = run.previous ? run.previous.step + 1 : -1;
    this.#installHandlers();
    this.#stream.install();
  }

  #installHandlers(): void {
    setHandler(getStateQuery, () => this.#snapshot(), { description: 'The thread state: values, next nodes, tasks with their pending interrupts.' });
    setHandler(resumeSignal, (payload: ResumeInput) => this.#applyCommand(this.#match(payload), 'signal', payload), {
      description: 'Resume a paused thread. Input: {"resume": <value>} or {"resume": {"<interruptId>": <value>}}.',
    });
    const resume = (payload: ResumeInput): Promise<ThreadState> => {
      const stop = this.#stops;
      this.#stream.noteResume();
      this.#applyCommand(this.#match(payload), 'update', payload);
      return this.#waitForStop(stop);
    };
    setHandler(
      resumeUpdate,
      // Engine level 10: no async wrapper (two promises fewer); older threads keep the microtask timing they had.
      (payload: ResumeInput) => (this.#soleTaskLevel ? resume(payload) : (async () => resume(payload))()),
      {
        validator: (payload: ResumeInput) => {
          const match = this.#match(payload);
          if (!match.ok) throw this.#resumeError(match);
        },
        description: 'Resume a paused thread and wait for its next stop; rejected (nothing recorded) when the value does not fit.',
      },
    );
    setHandler(childPausedSignal, ({ taskId, interrupts, streamFrom, nodeInterrupts }: ChildPausedInput) => {
      const task = this.#tasks.find((t) => t.id === taskId && t.child);
      if (!task) return; // a late report from a child of an earlier step
      task.child!.streamFrom = streamFrom;
      task.child!.interrupts = interrupts;
      if (nodeInterrupts?.length) task.child!.nodeInterrupts = nodeInterrupts;
      else delete task.child!.nodeInterrupts;
      task.child!.busy = false;
    });
    setHandler(updateStateUpdate, (input: UpdateStateInput) => this.#updateState(input), {
      validator: (input: UpdateStateInput) => {
        const problem = this.#updateStateProblem(input);
        if (problem) throw failure(ErrorCode.UPDATE_STATE_REFUSED, problem, { threadId: this.#threadId });
      },
      description: 'Write state values on a paused thread (asNode: as that paused node\'s output). Pending interrupts are never dropped.',
    });
    setHandler(
      awaitStopUpdate,
      ({ afterStop }) => {
        const wait = () => (afterStop === undefined && this.#status !== 'running' ? this.#snapshot() : this.#waitForStop(afterStop ?? this.#stops));
        return this.#soleTaskLevel ? Promise.resolve(wait()) : (async () => wait())();
      },
      { description: 'Wait until the thread pauses or ends; returns its state.' },
    );
  }

  async execute(): Promise<ThreadState> {
    try {
      const { spec, input } = await this.#loadSpec();
      this.#spec = spec;
      this.#values = { ...initialValues(spec.channels), ...(this.#run.previous?.values ?? {}) };
      const command = this.#run.command;
      const merging = this.#mergeIntoValues(input ? [input] : command?.update ? [command.update] : []);
      if (merging) await merging;
      this.#stream.started(input, command);
      if (command?.asNode) {
        // updateState(asNode) on a finished thread: the update stands for that node's output; pause before its successors.
        const node = spec.nodes.find((n) => n.name === command.asNode);
        if (!node) throw failure(ErrorCode.UPDATE_STATE_REFUSED, `updateState(..., "${command.asNode}") on thread "${this.#threadId}": node "${command.asNode}" does not exist.`, { threadId: this.#threadId });
        const { next, sends = [] } = splitDestinations(await this.#routeFrom(node, []));
        this.#triggers = nextTriggers(spec, [{ name: node.name, next }], {});
        this.#sends = sends;
        this.#step++;
        this.#source = 'update';
        if (this.#triggers.length || this.#sends.length) for (const c of await this.#waitAtBreakpoint('after', [node.name])) await this.#applyAtBreakpointAfter(c);
        this.#step--; // the loop below counts this step
      } else if (command?.rerun) {
        // invoke(null) after a failed step: that step runs again, from the tasks the failed run left (below).
      } else if (command) {
        // A Command as the input of a run (LangGraph R22): its goto replaces START's edges.
        this.#triggers = inDeclarationOrder(spec, command.goto ?? []);
      } else {
        const routed = spec.branches.some((b) => b.source === START)
          ? await coordination.routeStart({ graph: this.#graph, threadId: this.#threadId, state: this.#values })
          : [];
        const { next, sends = [] } = splitDestinations(routed);
        this.#triggers = startTriggers(spec, next);
        this.#sends = sends;
      }
      this.#step++;
      // updateState on a finished thread: its values show as an "update" until a step starts (LangGraph).
      this.#source = command?.asNode !== undefined || command?.updateState ? 'update' : 'loop';
      const limit = this.#run.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
      const joins: JoinState = {};
      let rerun = command?.rerun;
      for (let stopsSeen = this.#stops, superstep = 0; rerun !== undefined || this.#triggers.length > 0 || this.#sends.length > 0; superstep++) {
        // Counted per invoke, as in LangGraph: every pause and resume starts the count again.
        if (this.#stops !== stopsSeen) [stopsSeen, superstep] = [this.#stops, 0];
        if (superstep >= limit) throw failure(ErrorCode.RECURSION_LIMIT, `Thread "${this.#threadId}" reached the recursion limit of ${limit} supersteps without hitting END. Check the graph for a loop with no exit, or raise recursionLimit.`, { threadId: this.#threadId, limit });
        // Sends first, then triggered nodes (LangGraph's task order); the order fixes the order writes apply.
        this.#tasks = rerun ? rerun.map(rerunTask) : this.#queuedSteps.length ? this.#queuedTasks() : this.#nextTasks();
        this.#upcoming = undefined;
        this.#source = 'loop';
        rerun = undefined;
        if (superstep === 0 && command?.done?.length && !command.rerun) {
          // Completed before the failure that ended the last run: counted in this step, not run again.
          for (const name of command.done) this.#tasks.push({ id: uuid4(), name, resume: [], result: { update: null, next: [] } });
        }
        this.#triggers = [];
        this.#sends = [];
        this.#batch = 0;
        if (!this.#lean || spec.interruptBefore?.length) await this.#breakpointBefore();
        // Engine level 8: from a local segment (no extra promise on the task-by-task path of older levels).
        if (this.#segmentStep || this.#segmentFits()) await this.#runStep(limit - superstep, joins);
        else {
          // Engine level 12: one plain task is awaited right here, as a hand-written workflow awaits its Activity;
          // the superstep's logic runs only when the result asks for it (an interrupt, a failure, a parent command).
          // The same few lines as #runSuperstep's sole branch: the await must stay in its caller, as a shared async
          // helper would add back the promises this saves.
          const sole = this.#directStepLevel ? this.#soleTask(this.#tasks.filter((t) => !t.result)) : undefined;
          if (sole) {
            const run = this.#startSole(sole);
            let result: NodeResult | undefined;
            try {
              if (run) result = await run;
            } catch (error) {
              this.#soleFailed(sole, error);
            }
            this.#endSole(sole, result);
            if (!this.#stepSettled()) await this.#runSuperstep([]);
          } else await this.#runSuperstep();
        }
        if (this.#endForParent()) break;
        this.#checkStepWrites();
        const mergingStep = this.#mergeIntoValues(this.#stepWrites(), 'node');
        if (mergingStep) await mergingStep;
        this.#stream.stepFinished(this.#tasks.some((t) => t.result?.update));
        this.#triggers = nextTriggers(spec, this.#tasks.map((t) => ({ name: t.name, next: t.result?.next ?? [] })), joins);
        this.#sends = this.#tasks.flatMap((t) => t.result?.sends ?? []);
        const ran = this.#tasks.map((t) => t.name);
        this.#tasks = [];
        this.#step++;
        // A step whose last task was completed by updateState(asNode) stays an "update" (LangGraph's checkpoint).
        if (!this.#completedByUpdate) this.#source = 'loop';
        this.#completedByUpdate = false;
        if (!this.#lean || spec.interruptAfter?.length) await this.#breakpointAfter(ran);
        if (this.#holdAfterStep) {
          this.#holdAfterStep = false;
          if (this.#triggers.length || this.#sends.length) for (const command of await this.#waitAtBreakpoint('after', ran)) await this.#applyAtBreakpointAfter(command);
        }
      }
      this.#stop('completed');
      await condition(allHandlersFinished);
      return this.#snapshot();
    } catch (error) {
      // Only deliberate failures end the run; anything else is an engine bug: fail the workflow task so it retries.
      // Local activities (describeGraph, routeStart, applyWrites) fail with an ActivityFailure: end the run with its reason.
      const ended = error instanceof ApplicationFailure ? error : error instanceof ActivityFailure ? this.#failureOf(START, error) : undefined;
      if (!ended) throw error;
      this.#failure = ended;
      this.#stop('failed');
      await condition(allHandlersFinished);
      throw ended;
    }
  }

  async #loadSpec(): Promise<{ spec: GraphSpec; input: Record<string, unknown> | null }> {
    let spec = this.#run.spec;
    let input = this.#run.input ?? null;
    if (!spec) {
      // Started by name (CLI, another SDK): ask a worker for the shape and record it in history.
      ({ spec, input } = await coordination.describeGraph({ graph: this.#graph, threadId: this.#threadId, input }));
    }
    if (spec.specVersion > SPEC_VERSION) {
      throw failure(ErrorCode.UNKNOWN_GRAPH, `Thread "${this.#threadId}" was started with graph spec version ${spec.specVersion}, newer than this worker understands (${SPEC_VERSION}). Upgrade durable-graph on the workers.`, { threadId: this.#threadId });
    }
    if (spec.name !== this.#graph) {
      throw failure(ErrorCode.UNKNOWN_GRAPH, `Thread "${this.#threadId}" has Workflow Type "${this.#graph}" but its graph spec is named "${spec.name}". Start it with the graph's name as the Workflow Type.`, { threadId: this.#threadId, graph: this.#graph, known: [] });
    }
    return { spec, input };
  }

  /**
   * Runs the current superstep from a local segment (engine level 8): from the step it recorded, or in a new
   * segment (`budget` supersteps left before the recursion limit); task by task if the segment itself failed.
   * Tasks a segment left failed run alone, with their node's retry policy; its interrupt pauses as a node's would.
   */
  async #runStep(budget: number, joins: JoinState): Promise<void> {
    const step = this.#segmentStep ?? (await this.#runSegment(budget, joins));
    this.#segmentStep = undefined;
    if (!step) return this.#runSuperstep();
    const failed: Task[] = [];
    for (const done of step.tasks) {
      const task = this.#tasks.find((t) => t.id === done.id && t.name === done.name);
      if (!task) throw new Error(`Engine bug: thread "${this.#threadId}" step ${this.#step}: a local segment returned task "${done.name}" (${done.id}), which the step does not have.`);
      if (done.result) this.#takeResult(task, done.result);
      else {
        task.failedInSegment = done.failed?.message ?? 'the node failed';
        failed.push(task);
      }
    }
    // The failed task's re-run records the step's input state, as no receipt may have.
    if (failed.length) this.#recordedValues = undefined;
    if (failed.length || this.#tasks.some((t) => !t.result)) await this.#runSuperstep(failed);
  }

  /** Engine level 8: the current tasks can start a local segment (all fresh runs of `local: true` nodes, no Send). */
  #segmentFits(): boolean {
    const spec = this.#spec!;
    if ((spec.engineLevel ?? 1) < EngineLevel.LOCAL_SEGMENTS || this.#tasks.length === 0) return false;
    return this.#tasks.every((t) => {
      const node = spec.nodes.find((n) => n.name === t.name);
      return node?.local === true && !node.subgraph && t.input === undefined && !t.result && t.resume.length === 0 && !t.steps?.length && !t.child && !t.childAnswers && t.keepInterruptId === undefined;
    });
  }

  /**
   * Runs the current tasks and the local supersteps after them in one local Activity; returns the current step's
   * outcome and queues the later steps. If the segment itself fails (not a node: the Activity), returns undefined and
   * the step runs task by task.
   */
  async #runSegment(budget: number, joins: JoinState): Promise<LocalStepsResult['steps'][number] | undefined> {
    const spec = this.#spec!;
    const tasks = this.#tasks.map((t) => ({ id: t.id, name: t.name }));
    const recordState = this.#recordedValues !== this.#values;
    this.#recordedValues = this.#values;
    this.#completedByUpdate = false;
    const local = spec.nodes.filter((n) => n.local === true);
    const activities = proxyLocalActivities<Pick<GraphActivities, 'runLocalSteps'>>({
      startToCloseTimeout: Math.max(...local.map((n) => n.timeoutMs)) * budget,
      summary: 'local steps',
      retry: { maximumAttempts: 1 },
    });
    let result: LocalStepsResult;
    try {
      result = await activities.runLocalSteps({
        graph: this.#graph,
        threadId: this.#threadId,
        spec,
        step: this.#step,
        state: this.#values,
        tasks,
        joins: { ...joins },
        maxSteps: budget,
        ...(recordState ? { recordState: true as const } : {}),
        ...(this.#configurable ? { configurable: this.#configurable } : {}),
      });
    } catch (error) {
      // A cancelled run ends as a cancelled node would (its tasks fail); any other failure of the segment itself
      // (a timeout, a worker problem) runs the step task by task.
      if (isCancellation(error)) {
        for (const task of this.#tasks) task.error = error;
        return { tasks: [] };
      }
      this.#recordedValues = undefined;
      return undefined;
    }
    const [first, ...rest] = result.steps;
    if (!first || first.tasks.length !== tasks.length || first.tasks.some((t, i) => t.id !== tasks[i]!.id)) {
      throw new Error(`Engine bug: thread "${this.#threadId}" step ${this.#step}: a local segment returned other tasks than it was given.`);
    }
    this.#queuedSteps = rest;
    return first;
  }

  /** The tasks of the next step a local segment ran, with the ids it gave them (recorded in its result). */
  #queuedTasks(): Task[] {
    const step = this.#queuedSteps.shift()!;
    const names = step.tasks.map((t) => t.name);
    if (this.#sends.length || names.join('\u0000') !== this.#triggers.join('\u0000')) {
      throw new Error(`Engine bug: thread "${this.#threadId}" step ${this.#step}: a local segment ran ${JSON.stringify(names)} where the engine expects ${JSON.stringify([...this.#sends.map((x) => x.node), ...this.#triggers])}.`);
    }
    this.#segmentStep = step;
    return step.tasks.map((t) => ({ id: t.id, name: t.name, resume: [] }));
  }

  /** Runs the current tasks; pauses while any holds an unanswered interrupt; returns when all completed. */
  async #runSuperstep(initial?: Task[]): Promise<void> {
    let toRun = initial ?? this.#tasks.filter((t) => !t.result); // a task completed by updateState(asNode) at a breakpoint does not run
    for (;;) {
      const sole = this.#soleTask(toRun);
      if (sole) {
        const run = this.#startSole(sole);
        let result: NodeResult | undefined;
        try {
          if (run) result = await run;
        } catch (error) {
          this.#soleFailed(sole, error);
        }
        this.#endSole(sole, result);
      } else if (toRun.length > 0 || !this.#directStepLevel || this.#tasks.some((t) => t.inFlight)) {
        for (const task of toRun) this.#launch(task);
        // Until every task has finished, or is a subgraph whose child run is paused.
        await condition(() => this.#tasks.every((t) => !t.inFlight || (t.child !== undefined && !t.child.busy && (t.child.interrupts.length > 0 || !!t.child.nodeInterrupts?.length))));
      } // else (engine level 12): nothing to run or wait for, so no condition to evaluate
      const failed = this.#tasks.find((t) => t.error !== undefined);
      if (failed) throw this.#failureOf(failed.name, failed.error);
      // A subgraph's node handed the run to the parent graph (Command.PARENT): the run ends after this step.
      if (this.#tasks.some((t) => t.parentCommand)) return;
      if (!this.#tasks.some(holdsPause)) return;
      const answered = () => this.#tasks.some((t) => t.answer !== undefined || Object.keys(t.child?.answers ?? {}).length > 0);
      if (!answered() && this.#commands.length === 0) {
        this.#pausedAt = 'interrupt';
        this.#batch++;
        this.#stop('interrupted');
        const nudges = this.#nudges;
        await this.#waitForHuman(() => answered() || this.#commands.length > 0 || this.#nudges !== nudges);
        this.#resumeRunning();
      }
      // Answers for a subgraph's interrupts go to its child run, which resumes where it paused (R40).
      for (const task of this.#tasks) if (task.child && !task.child.inNode && Object.keys(task.child.answers).length) await this.#forwardToChild(task);
      toRun = [];
      const writes: Record<string, unknown>[] = [];
      for (const command of this.#commands.splice(0)) {
        if (command.update) writes.push(command.update);
        for (const name of command.goto) {
          // Command({ goto }) as input: the node runs in this superstep, beside the resumed ones (LangGraph R28).
          const task: Task = { id: uuid4(), name, resume: [] };
          this.#tasks.push(task);
          toRun.push(task);
        }
        if (!command.proceed) continue;
        // No resume: the paused tasks run again; a plain continue keeps their interrupt ids (R25), an edit does not (R29).
        const keepIds = !command.update && command.goto.length === 0;
        for (const task of this.#tasks) {
          // A NodeInterrupt takes no answer: its node runs again from its first line (and throws again while its condition holds, R6).
          if (!task.nodeInterrupt || toRun.includes(task)) continue;
          delete task.nodeInterrupt;
          toRun.push(task);
        }
        for (const task of this.#tasks) {
          if (!task.interrupt || task.answer !== undefined || toRun.includes(task)) continue;
          if (keepIds) task.keepInterruptId = task.interrupt.id;
          delete task.interrupt;
          toRun.push(task);
        }
        // A paused subgraph gets the same command: its paused node re-runs there (same id on a plain continue,
        // a new one with the update, R25/R29), with the update's fields that the subgraph shares.
        for (const task of this.#tasks) {
          if (!task.child || (task.child.interrupts.length === 0 && !task.child.nodeInterrupts?.length) || Object.keys(task.child.answers).length > 0) continue;
          if (task.child.inNode) {
            // A graph called inside the node: the node runs again from its top. From engine level 9 its invoke()
            // passes a plain continue on to the paused child (its paused node re-runs, same id, R25), and after an
            // update starts that graph anew in a new child thread (LangGraph's re-run is a new task: the child runs
            // from its start with the input the node passes now, new ids, R29). Before: the child stays as it is.
            if ((this.#spec!.engineLevel ?? 1) >= EngineLevel.CHILD_IN_NODE_RERUN) {
              if (command.update) task.childEpoch = (task.childEpoch ?? 0) + 1;
              else task.childContinue = true;
            }
            if (!toRun.includes(task)) toRun.push(task);
            continue;
          }
          const spec = this.#spec!.nodes.find((n) => n.name === task.name)!.subgraph!;
          const update = command.update ? Object.fromEntries(Object.entries(command.update).filter(([key]) => key in spec.channels)) : undefined;
          await this.#signalChild(task, update && Object.keys(update).length ? { update } : {});
        }
      }
      // An update sent with the command is applied before the nodes re-run, so they see it (LangGraph R27).
      if (writes.length) await this.#mergeIntoValues(writes);
      for (const task of this.#tasks) {
        const child = task.child;
        if (child?.inNode && Object.keys(child.answers).length) {
          // A graph called inside the node (R41): the node runs again from its top and hands the answers to that graph's run.
          task.childAnswers = child.answers;
          child.interrupts = child.interrupts.filter((i) => i.id === undefined || !(i.id in child.answers));
          child.answers = {};
          if (!toRun.includes(task)) toRun.push(task);
        }
        if (task.answer === undefined) continue;
        task.resume.push(task.answer.value);
        task.answeredId = task.interrupt!.id; // reused only if the node refuses the answer (response schema)
        delete task.answer;
        delete task.interrupt;
        if (!toRun.includes(task)) toRun.push(task);
      }
    }
  }

  /**
   * Checks what the superstep's tasks produced against the recorded shape: every destination must be a node
   * of the spec the thread started with (router code comes from the deployed worker and may have changed),
   * and a field without a reducer takes at most one write per step (LangGraph's LastValue rule).
   */
  #checkStepWrites(): void {
    const spec = this.#spec!;
    const known = new Set(spec.nodes.map((n) => n.name));
    for (const task of this.#tasks) {
      const unknown = [...(task.result?.next ?? []), ...(task.result?.sends ?? []).map((s) => s.node)].filter((d) => d !== END && !known.has(d));
      if (unknown.length) {
        throw failure(
          ErrorCode.UNKNOWN_NODE,
          `Node "${task.name}" in thread "${this.#threadId}" routed to ${unknown.map((u) => `"${u}"`).join(', ')}, which the graph shape this thread started with does not have: the deployed router code has changed under a running thread. Deploy code whose routes match the recorded shape until the thread finishes, or start a new run.`,
          { threadId: this.#threadId, node: task.name },
        );
      }
    }
    const writers = new Map<string, string[]>();
    for (const task of this.#tasks) {
      for (const key of Object.keys(task.result?.update ?? {})) {
        if ((spec.channels[key]?.reducer ?? 'last') !== 'last') continue;
        writers.set(key, [...(writers.get(key) ?? []), task.name]);
      }
    }
    for (const [key, nodes] of writers) {
      if (nodes.length > 1) {
        throw failure(
          ErrorCode.CONFLICTING_WRITES,
          `Nodes ${nodes.map((n) => `"${n}"`).join(', ')} wrote state field "${key}" in the same step of thread "${this.#threadId}", but it has no reducer, so it can take one value per step. Give "${key}" a reducer (e.g. withReducer(schema, appendReducer)), or write it from one node.`,
          { threadId: this.#threadId, node: nodes[1]! },
        );
      }
    }
  }

  /** Why an updateState cannot apply now, or undefined when it can. */
  #updateStateProblem({ values, asNode }: UpdateStateInput): string | undefined {
    if (this.#status !== 'interrupted') {
      return `updateState on thread "${this.#threadId}" needs the thread paused or finished; it is ${this.#status}. Wait for it to pause (getState) and try again.`;
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return `updateState on thread "${this.#threadId}" needs an object of state fields, got ${JSON.stringify(values)}.`;
    if (asNode === undefined) return undefined;
    const paused = this.#pausedTasks().map((t) => t.name);
    if (!paused.includes(asNode)) {
      const exists = this.#spec?.nodes.some((n) => n.name === asNode);
      return (
        `updateState(..., "${asNode}") on thread "${this.#threadId}": ` +
        (exists ? `"${asNode}" is not paused now.` : `Node "${asNode}" does not exist.`) +
        ` It can stand in for a paused node (${paused.map((p) => `"${p}"`).join(', ') || 'none'}), or be omitted to write the values alone.`
      );
    }
    return undefined;
  }

  /** Tasks waiting for a human: an unanswered interrupt, or a node held at a breakpoint before it. */
  #pausedTasks(): Task[] {
    return this.#tasks.filter((t) => !t.result && ((t.interrupt && t.answer === undefined) || t.nodeInterrupt || this.#pausedAt === 'before'));
  }

  async #updateState({ values, asNode }: UpdateStateInput): Promise<ThreadState> {
    if (asNode === undefined) {
      // Values alone: every pending interrupt stays pending, with its id (LangGraph would clear it, R31).
      await this.#mergeIntoValues([values]);
    } else {
      // As the paused node's output: that task completes without running again (R32); other paused tasks stay paused (not R33's drop).
      const task = this.#pausedTasks().find((t) => t.name === asNode)!;
      const node = this.#spec!.nodes.find((n) => n.name === asNode)!;
      task.result = { update: values, ...splitDestinations(await this.#routeFrom(node, [values])) };
      delete task.interrupt;
      delete task.nodeInterrupt;
      delete task.answer;
      if (this.#pausedAt === 'interrupt') this.#holdAfterStep = true; // as in LangGraph, invoke(null) continues from here
      this.#completedByUpdate = true;
      this.#nudges++;
    }
    this.#source = 'update';
    this.#touch();
    this.#publish();
    return this.#snapshot();
  }

  /** Static breakpoint before nodes (compile({ interruptBefore })): pause until a command continues. */
  async #breakpointBefore(): Promise<void> {
    const before = this.#spec!.interruptBefore;
    if (!before?.length) return;
    const nodes = [...new Set(this.#tasks.map((t) => t.name).filter((n) => before.includes(n)))];
    if (nodes.length === 0) return;
    for (const command of await this.#waitAtBreakpoint('before', nodes)) {
      if (command.update) await this.#mergeIntoValues([command.update]);
      for (const name of command.goto) this.#tasks.push({ id: uuid4(), name, resume: [] });
      // A resume sent at the breakpoint is the first interrupt()'s answer in those nodes (LangGraph R23).
      if (command.breakpointResume) for (const task of this.#tasks) if (nodes.includes(task.name) && task.resume.length === 0) task.resume.push(command.breakpointResume.value);
    }
  }

  /** Static breakpoint after nodes (compile({ interruptAfter })): the step is done; pause before the next one. */
  async #breakpointAfter(ran: string[]): Promise<void> {
    const after = this.#spec!.interruptAfter;
    if (!after?.length) return;
    const nodes = [...new Set(ran.filter((n) => after.includes(n)))];
    if (nodes.length === 0) return;
    // Pauses after the last node too, with nothing next (LangGraph R5): from engine level 3, the level that came with
    // it; threads started before it completed there.
    const nothingNext = this.#triggers.length === 0 && this.#sends.length === 0;
    if (nothingNext && (this.#spec!.engineLevel ?? 1) < EngineLevel.WRITES_IN_COMPLETION_BATCHES) return;
    for (const command of await this.#waitAtBreakpoint('after', nodes)) await this.#applyAtBreakpointAfter(command);
  }

  async #applyAtBreakpointAfter(command: AcceptedCommand): Promise<void> {
    if (command.update) await this.#mergeIntoValues([command.update]);
    this.#triggers = inDeclarationOrder(this.#spec!, [...this.#triggers, ...command.goto]);
  }

  async #waitAtBreakpoint(at: 'before' | 'after', nodes: string[]): Promise<AcceptedCommand[]> {
    // The next step's task ids, now rather than when it starts: the same uuid4() calls in the same order (#nextTasks).
    if (at === 'after' && (this.#spec!.engineLevel ?? 1) >= EngineLevel.NEXT_TASKS_AT_AFTER_PAUSE) this.#upcoming = this.#nextIds();
    this.#pausedAt = at;
    this.#breakpointNodes = nodes;
    this.#stop('interrupted');
    await condition(() => this.#commands.length > 0);
    this.#breakpointNodes = [];
    this.#resumeRunning();
    return this.#commands.splice(0);
  }

  /**
   * The tasks of the step about to start: Sends first, then triggered nodes (LangGraph's task order; it fixes the
   * order writes apply). Those listed while paused after the last step (#upcoming) keep the ids shown; a node a
   * Command({ goto }) added at that pause gets a new one.
   */
  #nextTasks(): Task[] {
    return this.#nextIds().map(({ id, name, send }, i) => (send ? { id, name, input: this.#sends[i]!.arg, resume: [] } : { id, name, resume: [] }));
  }

  /** Ids for the next step's tasks (Sends, then triggered nodes): those already listed (#upcoming) keep theirs. */
  #nextIds(): Array<{ id: string; name: string; send: boolean }> {
    const shown = this.#upcoming ?? [];
    const sendIds = shown.filter((t) => t.send).map((t) => t.id);
    const nodeIds = new Map(shown.filter((t) => !t.send).map((t) => [t.name, t.id]));
    return [
      ...this.#sends.map((send, i) => ({ id: sendIds[i] ?? uuid4(), name: send.node, send: true })),
      ...this.#triggers.map((name) => ({ id: nodeIds.get(name) ?? uuid4(), name, send: false })),
    ];
  }

  #resumeRunning(): void {
    this.#stream.resumed();
    this.#pausedAt = undefined;
    this.#status = 'running';
    this.#touch();
    this.#publish();
  }

  /**
   * Waits for `ready`, or for the earliest deadline of a pending interrupt (a durable timer, only when one
   * has a deadline): then the expired interrupts get their onTimeout answer, or the run fails.
   */
  async #waitForHuman(ready: () => boolean): Promise<void> {
    for (;;) {
      const timed = this.#tasks.filter((t) => t.deadline && t.interrupt && t.answer === undefined);
      if (timed.length === 0) return condition(ready);
      const next = Math.min(...timed.map((t) => t.deadline!.at));
      if (next > Date.now() && (await condition(ready, next - Date.now()))) return;
      for (const task of timed) {
        if (task.deadline!.at > Date.now()) continue;
        const { onTimeout } = task.deadline!;
        if (onTimeout === 'fail') {
          throw failure(
            ErrorCode.INTERRUPT_TIMEOUT,
            `Interrupt "${task.interrupt!.id}" in node "${task.name}" of thread "${this.#threadId}" expired with no resume (interrupt(value, { timeout }) with onTimeout 'fail'). Start a new run, or give the interrupt a longer timeout or an onTimeout: { resume } default.`,
            { threadId: this.#threadId, node: task.name },
          );
        }
        task.answer = { value: onTimeout.resume };
        delete task.deadline;
      }
      if (ready()) return;
    }
  }

  /**
   * Engine level 10: the one task to run when it is alone in flight and a plain node (no subgraph, no graph
   * invoked in it): its run is awaited directly (by the superstep; from level 12 by the run loop), as a condition
   * costs the SDK about five promises and is evaluated on every activation. Undefined otherwise (the superstep
   * waits on its condition).
   */
  #soleTask(toRun: Task[]): Task | undefined {
    if (toRun.length !== 1 || !this.#soleTaskLevel) return undefined;
    const task = toRun[0]!;
    if (task.child || this.#spec!.nodes.find((n) => n.name === task.name)?.subgraph) return undefined;
    return this.#tasks.every((t) => t === task || !t.inFlight) ? task : undefined;
  }

  /**
   * Starts the sole task's run (see {@link #soleTask}); undefined when it cannot run (`task.error` says why).
   * Throws only the run's cancellation (see {@link #soleFailed}).
   */
  #startSole(task: Task): Promise<NodeResult> | undefined {
    task.inFlight = true;
    this.#completedByUpdate = false;
    try {
      return this.#startNode(task);
    } catch (error) {
      this.#soleFailed(task, error);
      return undefined;
    }
  }

  /** The sole task's run failed: the task keeps the error, except a cancellation, which ends the run. */
  #soleFailed(task: Task, error: unknown): void {
    // Cancelling the workflow ends the run as the superstep's condition would: Canceled, not a failed node.
    if (isCancellation(error)) throw cancellationOf(error);
    task.error = error;
  }

  /** The sole task's run is over: its result (if any) is taken and it is no longer in flight. */
  #endSole(task: Task, result: NodeResult | undefined): void {
    if (result) this.#takeResult(task, result);
    task.inFlight = false;
  }

  /** Every task of the step completed: no failure, pause or parent command for the superstep's logic to handle. */
  #stepSettled(): boolean {
    return this.#tasks.every((t) => t.result !== undefined && t.error === undefined && !t.parentCommand && !holdsPause(t));
  }

  #launch(task: Task): void {
    task.inFlight = true;
    this.#completedByUpdate = false;
    const node = this.#spec!.nodes.find((n) => n.name === task.name);
    const run = node?.subgraph ? this.#runChild(task, node.subgraph) : this.#runTask(task);
    if (this.#lean) {
      const ended = () => {
        task.inFlight = false;
      };
      void run.then(ended, ended);
    } else {
      void run.finally(() => {
        task.inFlight = false;
      });
    }
  }

  /** A subgraph node: a child workflow of the subgraph's type, given the parent's state; its final values are the node's update. */
  async #runChild(task: Task, spec: GraphSpec): Promise<void> {
    const workflowId = `${this.#threadId}/${task.name}/${task.id.slice(0, 8)}`;
    task.child = { workflowId, interrupts: [], answers: {}, busy: true };
    // A Send's argument is the child's input (LangGraph); otherwise the parent state's shared fields.
    const source = task.input !== undefined && typeof task.input === 'object' && task.input !== null ? (task.input as Record<string, unknown>) : this.#values;
    const input = Object.fromEntries(Object.entries(source).filter(([key]) => key in spec.channels));
    const run: RunInput = { input, spec, parent: { workflowId: this.#threadId, runId: workflowInfo().runId, taskId: task.id, node: task.name } };
    let final: ThreadState;
    try {
      // startChild then result(): the same command as executeChild, and the run id once the child has started.
      const handle = await startChild<(run: RunInput) => Promise<ThreadState>>(spec.name, { workflowId, args: [run], staticSummary: `subgraph "${spec.name}" of node "${task.name}" in thread ${this.#threadId}` });
      task.child.runId = handle.firstExecutionRunId;
      this.#stream.subgraphRunning({ ns: `${task.name}:${task.id}`, workflowId, runId: handle.firstExecutionRunId, from: 0 });
      final = await handle.result();
    } catch (error) {
      task.error = error instanceof ChildWorkflowFailure ? error.cause ?? error : error;
      return;
    }
    task.child.interrupts = [];
    delete task.child.nodeInterrupts;
    task.child.busy = false;
    if (final.parentCommand) return this.#applyParentCommand(task, spec, final.parentCommand);
    // The child's output is written to the parent fields it shares with the parent (LangGraph subgraph semantics).
    const update = Object.fromEntries(Object.entries(final.values).filter(([key]) => key in this.#spec!.channels));
    const node = this.#spec!.nodes.find((n) => n.name === task.name)!;
    let routed: Array<string | SendSpec>;
    try {
      routed = await this.#routeFrom(node, [update]);
    } catch (error) {
      task.error = error; // ends the run with the node named, instead of an unhandled rejection
      return;
    }
    task.result = { update: Object.keys(update).length ? update : null, ...splitDestinations(routed) };
    this.#stream.taskFinished(task.name, { kind: 'update', update: task.result.update });
    this.#touch();
  }

  /**
   * A node returned `Command({ graph: Command.PARENT })`. In a subgraph's run the task completes and the run
   * ends after this step (#endForParent); a thread that is not a subgraph has no parent graph: its run fails.
   */
  #takeParentCommand(task: Task, result: Extract<NodeResult, { kind: 'parent' }>): void {
    if (!this.#run.parent) {
      task.error = failure(
        ErrorCode.NO_PARENT_GRAPH,
        `Node "${task.name}" in thread "${this.#threadId}" returned Command({ graph: Command.PARENT }), but graph "${this.#graph}" runs here on its own, not as a subgraph: there is no parent graph. ` +
          `Return Command({ goto, update }) without graph, or add "${this.#graph}" to another graph with addNode().`,
        { threadId: this.#threadId, node: task.name },
      );
      return;
    }
    task.parentCommand = { update: result.update, goto: result.goto, ...(result.sends ? { sends: result.sends } : {}) };
    task.result = { update: null, next: [] };
    task.batch = this.#batch;
    this.#touch();
  }

  /**
   * Ends a subgraph's run at the step where a node returned `Command({ graph: Command.PARENT })`, as LangGraph:
   * the step's other writes are not applied, and the run's result carries the command to the parent.
   */
  #endForParent(): boolean {
    const senders = this.#tasks.filter((t) => t.parentCommand);
    if (senders.length === 0) return false;
    if (senders.length > 1) {
      throw failure(
        ErrorCode.MULTIPLE_PARENT_COMMANDS,
        `Nodes ${senders.map((t) => `"${t.name}"`).join(', ')} in thread "${this.#threadId}" each returned Command({ graph: Command.PARENT }) in the same step; the parent graph can take one. Return it from one node, or merge the updates first.`,
        { threadId: this.#threadId, node: senders[1]!.name },
      );
    }
    this.#parentCommand = { ...senders[0]!.parentCommand!, node: senders[0]!.name };
    this.#tasks = [];
    this.#triggers = [];
    this.#sends = [];
    return true;
  }

  /**
   * The child run ended with `Command({ graph: Command.PARENT })` from its node `command.node` (LangGraph): the
   * command's update is this subgraph node's output (the child's other writes are not), and its goto runs in the
   * next step beside the node's own edges. A goto or field the parent graph does not have fails the step.
   */
  async #applyParentCommand(task: Task, child: GraphSpec, command: NonNullable<ThreadState['parentCommand']>): Promise<void> {
    const spec = this.#spec!;
    const where = `Node "${command.node}" of subgraph "${child.name}" (node "${task.name}" of thread "${this.#threadId}") returned Command({ graph: Command.PARENT })`;
    const known = new Set(spec.nodes.map((n) => n.name));
    const missing = [...command.goto, ...(command.sends ?? []).map((s) => s.node)].filter((g) => g !== END && !known.has(g));
    const fields = Object.keys(command.update ?? {}).filter((key) => !(key in spec.channels));
    if (missing.length || fields.length) {
      const problem = missing.length
        ? `with goto ${missing.map((m) => `"${m}"`).join(', ')}, but parent graph "${this.#graph}" has no such node (nodes: ${[...known].join(', ')}). Fix the goto, or add the node to the parent graph.`
        : `with an update of field(s) ${fields.map((f) => `"${f}"`).join(', ')}, which parent graph "${this.#graph}" does not have (fields: ${Object.keys(spec.channels).join(', ')}). Update only fields of the parent's state.`;
      task.error = failure(ErrorCode.INVALID_PARENT_COMMAND, `${where} ${problem}`, { threadId: this.#threadId, node: task.name });
      return;
    }
    const node = spec.nodes.find((n) => n.name === task.name)!;
    let routed: Array<string | SendSpec>;
    try {
      routed = await this.#routeFrom(node, command.update ? [command.update] : []);
    } catch (error) {
      task.error = error;
      return;
    }
    task.result = { update: command.update, ...splitDestinations([...routed, ...command.goto, ...(command.sends ?? [])]) };
    this.#stream.taskFinished(task.name, { kind: 'update', update: command.update });
    this.#touch();
  }

  /**
   * The destinations of `node`'s conditional edges, evaluated on the thread state with `writes` (the node's
   * output) applied, for a node whose output did not come from its own Activity (updateState asNode, a subgraph).
   */
  async #routeFrom(node: NodeSpec, writes: Record<string, unknown>[]): Promise<Array<string | SendSpec>> {
    if (node.branches === 0) return [];
    const state = await this.#mergeOnto(this.#values, writes);
    return coordination.routeStart({ graph: this.#graph, threadId: this.#threadId, state, source: node.name });
  }

  async #forwardToChild(task: Task): Promise<void> {
    const child = task.child!;
    const answers = child.answers;
    child.answers = {};
    child.interrupts = child.interrupts.filter((i) => !(i.id in answers));
    await this.#signalChild(task, { resume: answers });
  }

  /** Sends a command to a paused subgraph's child run; the task counts as running until the child reports again or ends. */
  async #signalChild(task: Task, command: ResumeInput): Promise<void> {
    const child = task.child!;
    if (command.resume === undefined) {
      child.interrupts = []; // the child re-runs its paused nodes and reports anew
      delete child.nodeInterrupts;
    }
    child.busy = true;
    // Its chunks after this resume start where its log stood at the pause (a child that reported it).
    if (child.runId !== undefined && child.streamFrom !== undefined) {
      this.#stream.subgraphRunning({ ns: `${task.name}:${task.id}`, workflowId: child.workflowId, runId: child.runId, from: child.streamFrom });
    }
    try {
      await getExternalWorkflowHandle(child.workflowId).signal(resumeSignal, command);
    } catch (error) {
      throw failure(ErrorCode.NODE_FAILED, `Subgraph node "${task.name}" in thread "${this.#threadId}": its child run ${child.workflowId} could not be resumed (${(error as Error).message}); it may have been terminated. Start a new run.`, { threadId: this.#threadId, node: task.name });
    }
  }

  async #runTask(task: Task): Promise<void> {
    let result: NodeResult;
    try {
      const run = this.#startNode(task);
      if (!run) return;
      result = await run;
    } catch (error) {
      task.error = error;
      return;
    }
    this.#takeResult(task, result);
  }

  /**
   * Schedules the Activity that runs `task`'s node; undefined when the task already failed (a local segment used
   * its only attempt: `task.error` is set). Not async, so that a caller can await the Activity itself (engine
   * level 10) rather than one more async layer: each layer is two more promises.
   */
  #startNode(task: Task): Promise<NodeResult> | undefined {
    const nodeTask: NodeTask = {
      graph: this.#graph,
      node: task.name,
      threadId: this.#threadId,
      taskId: task.id,
      step: this.#step,
      state: this.#values,
      resume: task.resume,
      specHash: this.#spec!.hash,
    };
    // Optional fields only when used, so the Activity input of plain graphs stays what it always was.
    if (task.input !== undefined) nodeTask.input = task.input;
    if (task.steps?.length) nodeTask.steps = task.steps;
    if (this.#configurable) nodeTask.configurable = this.#configurable;
    if (task.child?.inNode) {
      task.child.busy = true; // running until the node returns, not a paused child
      if (task.childAnswers) nodeTask.childAnswers = task.childAnswers;
      if (task.childContinue) nodeTask.childContinue = true;
    }
    if (task.childEpoch) nodeTask.childEpoch = task.childEpoch;
    const local = this.#runsLocally(task);
    // A regular Activity's input records the state in history; a local run is asked to when nothing has yet.
    if (local && this.#recordedValues !== this.#values) nodeTask.recordState = true;
    this.#recordedValues = this.#values;
    // The attempt a local segment made counts against the node's retry policy.
    const segmentFailure = task.failedInSegment;
    delete task.failedInSegment;
    const attemptsUsed = segmentFailure !== undefined ? 1 : 0;
    if (segmentFailure !== undefined && this.#spec!.nodes.find((n) => n.name === task.name)!.retryPolicy.maxAttempts === 1) {
      task.error = ApplicationFailure.create({ message: segmentFailure, type: 'Error' });
      return undefined;
    }
    return this.#activitiesFor(task.name, local, attemptsUsed).runNode(nodeTask);
  }

  /** What a node run produced, taken into its task (from its own Activity, or from a local segment's step). */
  #takeResult(task: Task, result: NodeResult): void {
    this.#stream.taskFinished(task.name, result.kind === 'parent' ? { kind: 'update', update: result.update, ...(result.custom ? { custom: result.custom } : {}) } : result);
    const keepId = task.keepInterruptId;
    const answeredId = task.answeredId;
    delete task.keepInterruptId;
    delete task.answeredId;
    delete task.childAnswers;
    delete task.childContinue;
    if (result.kind === 'interrupt' && result.child) {
      // A graph the node called with invoke() paused: its interrupts are the node's, ids unchanged (R41).
      task.child = { workflowId: result.child.workflowId, interrupts: result.child.interrupts, answers: {}, busy: false, inNode: true };
      if (result.steps) task.steps = result.steps;
      this.#touch();
      return;
    }
    if (task.child?.inNode) delete task.child;
    if (result.kind === 'parent') return this.#takeParentCommand(task, result);
    if (result.kind === 'interrupt' && result.nodeInterrupt) {
      // NodeInterrupt (R6): a pause with no id (so no uuid4() call) that no resume value answers.
      if (result.steps) task.steps = result.steps;
      delete task.deadline;
      task.nodeInterrupt = { value: result.value };
      this.#touch();
      return;
    }
    if (result.kind === 'interrupt') {
      if (result.steps) task.steps = result.steps;
      // A refused answer, or a plain re-run of the same interrupt (invoke(null)), does not restart the clock.
      const sameDeadline = result.rejected !== undefined || (keepId !== undefined && result.index === task.resume.length) ? task.deadline : undefined;
      if (result.deadline) task.deadline = sameDeadline ?? { at: Date.now() + result.deadline.timeoutMs, onTimeout: result.deadline.onTimeout };
      else delete task.deadline;
      if (result.rejected !== undefined) {
        // The node refused its answer (response schema): the same interrupt stays pending, with the reason.
        task.resume.pop();
        task.refused = { name: 'ZodError', message: result.rejected };
        task.interrupt = { id: answeredId ?? keepId ?? newInterruptId(), value: result.value };
      } else {
        delete task.refused; // the answer was taken; any earlier refusal is over
        // A new id per interrupt; it stays the same for as long as this interrupt is pending.
        const sameInterrupt = keepId !== undefined && result.index === task.resume.length;
        task.interrupt = { id: sameInterrupt ? keepId : newInterruptId(), value: result.value };
      }
      if (result.responseSchema) task.interrupt.response_schema = result.responseSchema;
    } else {
      task.result = result.sends ? { update: result.update, next: result.next, sends: result.sends } : { update: result.update, next: result.next };
      task.batch = this.#batch;
      delete task.refused;
    }
    this.#touch();
  }

  /**
   * Whether `task` runs as a local Activity: when its node says `local: true`, or when it re-runs after its pause
   * on a thread at engine level 4 or later and its node does not say `local: false`.
   */
  #runsLocally(task: Task): boolean {
    const node = this.#spec!.nodes.find((n) => n.name === task.name) as NodeSpec;
    if (node.local !== undefined) return node.local;
    // A node that called a graph with invoke() waits for that child thread again: not inside a workflow task.
    if (task.child?.inNode || task.childAnswers) return false;
    const rerun = task.resume.length > 0 || task.keepInterruptId !== undefined;
    return rerun && (this.#spec!.engineLevel ?? 1) >= EngineLevel.LOCAL_RERUN_AFTER_PAUSE;
  }

  /** The Activity proxy for node `name`, local or regular; `attemptsUsed` attempts of its retry policy are spent. */
  #activitiesFor(name: string, local: boolean, attemptsUsed = 0): ActivityInterfaceFor<GraphActivities> {
    const node = this.#spec!.nodes.find((n) => n.name === name) as NodeSpec;
    const key = `${local ? 'local:' : ''}${name}${attemptsUsed ? `:-${attemptsUsed}` : ''}`;
    let activities = this.#nodeActivities.get(key);
    if (activities) return activities;
    const { maxAttempts } = node.retryPolicy;
    const retry = {
      // 0 is unlimited; otherwise at least the one attempt left.
      maximumAttempts: maxAttempts > 0 ? Math.max(1, maxAttempts - attemptsUsed) : maxAttempts,
      initialInterval: node.retryPolicy.initialInterval,
      backoffCoefficient: node.retryPolicy.backoffFactor,
      maximumInterval: node.retryPolicy.maxInterval,
      nonRetryableErrorTypes: node.retryPolicy.nonRetryableErrors,
    };
    activities = local
      ? proxyLocalActivities<GraphActivities>({ startToCloseTimeout: node.timeoutMs, summary: name, retry })
      : proxyActivities<GraphActivities>({
          startToCloseTimeout: node.timeoutMs,
          // Only when the recorded spec has one, so threads started before it existed keep their commands.
          ...(node.heartbeatTimeoutMs ? { heartbeatTimeout: node.heartbeatTimeoutMs } : {}),
          summary: name,
          retry,
        });
    this.#nodeActivities.set(key, activities);
    return activities;
  }

  /** The failure that ends the run when a node (or START's routing, `node` = START) failed after its retries. */
  #failureOf(node: string, error: unknown): ApplicationFailure {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
      // Already one of ours (unknown graph or node, invalid update...): keep its code and message.
      return ApplicationFailure.create({ type: cause.type, message: cause.message, nonRetryable: true, details: cause.details as unknown[], cause });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    const kind = cause instanceof ApplicationFailure && cause.type ? ` (${cause.type})` : '';
    const what =
      node === START
        ? 'Starting the run (input and conditional edges from START)'
        : node === 'merge:input'
          ? 'Merging the input through the custom reducers'
          : node.startsWith('merge:')
            ? `Merging the writes of step ${node.slice(6)} through the custom reducers`
            : `Node "${node}"`;
    return failure(
      ErrorCode.NODE_FAILED,
      `${what} failed in thread "${this.#threadId}" at step ${this.#step}${kind}: ${message}. ` +
        `Its retries are exhausted and the run has ended; the state before this step is in the run's history ` +
        `(\`temporal workflow show --workflow-id ${this.#threadId}\`).`,
      node === START || node.startsWith('merge:') ? { threadId: this.#threadId } : { threadId: this.#threadId, node },
      cause instanceof Error ? cause : undefined,
    );
  }

  /** Merges writes into the current values, in order; custom reducers run on the worker. */
  /**
   * Merges writes into the thread's values. Serialised: a handler (updateState) and the superstep loop may
   * both merge while a custom reducer's local Activity is in flight; each merge starts from the previous
   * one's result, so no write is lost.
   */
  #mergeIntoValues(writes: Record<string, unknown>[], source: 'input' | 'node' = 'input'): Promise<void> | undefined {
    // Engine level 7: built-in reducers with no merge in flight merge right here, with no promise (see #lean).
    if (this.#lean && this.#mergesInFlight === 0 && canMergeInEngine(this.#spec!.channels, writes)) {
      if (writes.length) this.#values = mergeBuiltin(this.#spec!.channels, this.#values, writes);
      return undefined;
    }
    this.#mergesInFlight++;
    const run = (this.#valuesLock ?? Promise.resolve()).then(async () => {
      try {
        this.#values = await this.#mergeOnto(this.#values, writes, source);
      } finally {
        this.#mergesInFlight--;
      }
    });
    this.#valuesLock = run.catch(() => undefined);
    return run;
  }

  /**
   * Engine level 7: fewer promises per superstep (every promise a workflow creates costs the SDK a stack capture):
   * merges with built-in reducers run synchronously, breakpoint checks are skipped when the graph has none, and a
   * task's end is tracked without a `finally` chain.
   */
  get #lean(): boolean {
    return (this.#spec?.engineLevel ?? 1) >= EngineLevel.FEWER_PROMISES;
  }

  /**
   * The writes of the current superstep, in the order they apply: task order, except that with engine level
   * 3 writes of tasks that completed before a pause come before those completed after it (as LangGraph keeps
   * them as pending writes, so the paused result and the final state agree).
   */
  #stepWrites(): Record<string, unknown>[] {
    const level = this.#spec!.engineLevel ?? 1;
    const ordered =
      level >= EngineLevel.WRITES_IN_TASK_PATH_ORDER
        ? [...this.#tasks].sort(byTaskPath)
        : level >= EngineLevel.WRITES_IN_COMPLETION_BATCHES
          ? [...this.#tasks].sort((a, b) => (a.batch ?? 0) - (b.batch ?? 0))
          : this.#tasks;
    return ordered.flatMap((t) => (t.result?.update ? [t.result.update] : []));
  }

  async #mergeOnto(values: Record<string, unknown>, writes: Record<string, unknown>[], source: 'input' | 'node' = 'input'): Promise<Record<string, unknown>> {
    if (writes.length === 0) return values;
    const channels = this.#spec!.channels;
    if (!canMergeInEngine(channels, writes)) {
      try {
        return await coordination.applyWrites({ graph: this.#graph, threadId: this.#threadId, values, writes });
      } catch (error) {
        throw this.#failureOf(source === 'node' ? `merge:${this.#step}` : 'merge:input', error);
      }
    }
    return mergeBuiltin(channels, values, writes);
  }

  #match(payload: unknown): CommandMatch {
    const all = this.#pending();
    // NodeInterrupts (R6) keep the thread paused but take no resume value: they are matched apart.
    const pending = all.filter(hasId);
    const nodeInterrupts = all.filter((p) => p.id === undefined).map((p) => ({ node: p.node, value: p.value }));
    // Paused at an interrupt whose answers have all arrived (not yet applied) is not a breakpoint: a further
    // resume has nothing to answer and is refused, never queued and silently dropped.
    const pausedAt = this.#pausedAt === 'interrupt' && all.length === 0 ? undefined : this.#pausedAt;
    const view = { pending, pausedAt, nodes: this.#spec?.nodes.map((n) => n.name) ?? [], ...(nodeInterrupts.length ? { nodeInterrupts } : {}) };
    const match = matchCommand(payload, view, this.#threadId);
    if (!match.ok) return match;
    for (const answer of match.answers) {
      const task = this.#tasks.find((t) => t.interrupt?.id === answer.id || t.child?.interrupts.some((i) => i.id === answer.id));
      const info = task?.interrupt?.id === answer.id ? task.interrupt : task?.child?.interrupts.find((i) => i.id === answer.id);
      const problem = info?.response_schema ? checkResponse(info.response_schema, answer.value) : undefined;
      if (problem) {
        return { ok: false, reason: 'invalid', message: `Resume for interrupt "${answer.id}" (node "${task!.name}", thread "${this.#threadId}") does not match its response schema: ${problem}.` };
      }
    }
    return match;
  }

  #applyCommand(match: CommandMatch, via: 'signal' | 'update', payload?: ResumeInput): void {
    if (!match.ok) {
      this.#rejected.push({ at: new Date().toISOString(), via, reason: match.message });
      if (this.#rejected.length > 20) this.#rejected.shift();
      // A refused answer to a schema-checked interrupt is also shown on its task (LangGraph R45).
      const schemaTask = /^Resume for interrupt "([0-9a-f]{32})"/.exec(match.message);
      const task = schemaTask ? this.#tasks.find((t) => t.interrupt?.id === schemaTask[1]) : undefined;
      if (task) task.refused = { name: 'ZodError', message: match.message };
      this.#publish();
      return;
    }
    for (const answer of match.answers) {
      const task = this.#tasks.find((t) => t.interrupt?.id === answer.id && t.answer === undefined);
      if (task) task.answer = { value: answer.value };
      const parent = this.#tasks.find((t) => t.child?.interrupts.some((i) => i.id === answer.id));
      if (parent) parent.child!.answers[answer.id] = answer.value;
    }
    if (match.update || match.goto.length || match.proceed || match.breakpointResume) this.#commands.push(match);
    // The resuming call's config keys replace the run's for the nodes that run from now on (LangGraph: per call).
    if (payload?.configurable) this.#configurable = Object.keys(payload.configurable).length ? payload.configurable : undefined;
  }

  #resumeError(match: Extract<CommandMatch, { ok: false }>): ApplicationFailure {
    const error =
      match.reason === 'no_pending'
        ? new NoPendingInterruptError(this.#threadId, this.#status)
        : new InvalidResumeError(match.message, { threadId: this.#threadId, pendingIds: this.#pending().filter(hasId).map((p) => p.id) });
    return toFailure(error) as ApplicationFailure;
  }

  /**
   * Resolves with the state at the next stop after stop number `after`. From engine level 10 not async (nor are
   * the Update handlers that return it): each async layer costs the SDK two more promises.
   */
  #waitForStop(after: number): Promise<ThreadState> {
    if (!this.#soleTaskLevel) return this.#waitForStopAsync(after);
    return condition(() => this.#stops > after).then(() => {
      if (this.#failure) throw this.#failure;
      return this.#snapshot();
    });
  }

  /** #waitForStop before engine level 10 (kept for the microtask timing of older threads' Update completions). */
  async #waitForStopAsync(after: number): Promise<ThreadState> {
    await condition(() => this.#stops > after);
    if (this.#failure) throw this.#failure;
    return this.#snapshot();
  }

  /** Engine level 12 or later: a sole plain task is awaited in the run loop itself. */
  get #directStepLevel(): boolean {
    return this.#reachesLevel(EngineLevel.DIRECT_STEP);
  }

  /** Engine level 10 or later (see {@link #reachesLevel}). */
  get #soleTaskLevel(): boolean {
    return this.#reachesLevel(EngineLevel.AWAIT_SOLE_TASK);
  }

  /**
   * The thread's engine level is `level` or later. Known from the start input's spec, so that a handler that runs
   * before the spec is loaded behaves the same way on replay; a thread started by name (no spec in its input) keeps
   * the older way until the spec is loaded.
   */
  #reachesLevel(level: number): boolean {
    return ((this.#spec ?? this.#run.spec)?.engineLevel ?? 1) >= level;
  }

  #stop(status: ThreadStatus): void {
    this.#status = status;
    this.#stops++;
    this.#stream.stopped(status, this.#pending());
    this.#touch();
    if (status === 'interrupted') this.#everPaused = true;
    // A run that never paused has nothing to take back from the list of paused threads: skip the two writes.
    if (status === 'interrupted' || this.#everPaused || (this.#spec?.engineLevel ?? 1) < EngineLevel.QUIET_END_WITHOUT_PAUSE) this.#publish();
    else setCurrentDetails(renderDetails(this.#statusView()));
    const parent = this.#run.parent;
    if (parent && status === 'interrupted') {
      // A subgraph's pause is the parent's pause: report the pending interrupts, ids unchanged.
      const pending = this.#pending();
      const interrupts = pending.filter(hasId).map(toInterruptInfo);
      const nodeInterrupts = pending.filter((p) => p.id === undefined).map((p) => ({ value: p.value }));
      // If the parent is gone (terminated), nobody is waiting for the report: ignore the failure.
      getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(childPausedSignal, { taskId: parent.taskId, interrupts, streamFrom: this.#stream.end, ...(nodeInterrupts.length ? { nodeInterrupts } : {}) }).catch(() => undefined);
    }
  }

  #touch(): void {
    this.#updatedAt = Date.now();
  }

  #pending(): PendingView[] {
    if (this.#status === 'failed') return []; // a failed run cannot be resumed: show no interrupt as pending
    const fromChildren = (t: Task): PendingView[] => openChildInterrupts(t).map((i) => ({ ...i, node: t.name }));
    // A NodeInterrupt has no id (R6): the view carries none, and only its value is shown.
    const held = (t: Task): PendingView[] => nodeInterruptsOf(t).map((i) => ({ value: i.value, node: t.name }));
    return this.#tasks.flatMap((t) =>
      t.interrupt && t.answer === undefined ? [{ ...t.interrupt, node: t.name, ...(t.deadline ? { expiresAt: new Date(t.deadline.at).toISOString() } : {}) }] : [...fromChildren(t), ...held(t)],
    );
  }

  #publish(): void {
    // compile({ publishPauses: false }): no search attributes, no memo; the Web UI's current details only.
    if ((this.#spec ?? this.#run.spec)?.publishPauses === false) return setCurrentDetails(renderDetails(this.#statusView()));
    // Engine level 11: the memo describes an open pause only; a run's end does not rewrite the status (see patches.ts).
    this.#publisher.publish(this.#statusView(), this.#reachesLevel(EngineLevel.MEMO_ONLY_WHILE_PAUSED));
  }

  #statusView(): StatusView {
    return {
      threadId: this.#threadId,
      graph: this.#graph,
      status: this.#status,
      step: this.#step,
      pending: this.#pending(),
      rejected: this.#rejected,
      ...(this.#pausedAt === 'before' || this.#pausedAt === 'after' ? { breakpoint: { at: this.#pausedAt, nodes: this.#breakpointNodes } } : {}),
    };
  }

  #snapshot(): ThreadState {
    const pending = this.#pending();
    // While paused, values include the writes of sibling tasks that already completed (as LangGraph shows them).
    const siblingWrites = this.#spec ? this.#stepWrites() : [];
    const values =
      this.#spec && siblingWrites.length && canMergeInEngine(this.#spec.channels, siblingWrites)
        ? mergeBuiltin(this.#spec.channels, this.#values, siblingWrites)
        : this.#values;
    const next = this.#tasks.length ? this.#tasks.filter((t) => !t.result).map((t) => t.name) : [...this.#sends.map((s) => s.node), ...this.#triggers];
    // Paused after a step (engine level 6): the next step's tasks, not started yet, as LangGraph lists them (R5, R32).
    const upcoming: Task[] = this.#tasks.length === 0 && this.#status === 'interrupted' && this.#pausedAt === 'after' ? (this.#upcoming ?? []).map(({ id, name }) => ({ id, name, resume: [] })) : [];
    return {
      threadId: this.#threadId,
      graph: this.#graph,
      status: this.#status,
      values,
      next: this.#status === 'completed' || this.#status === 'failed' ? [] : next,
      tasks: [...upcoming, ...this.#tasks].map((t) => {
        const snapshot: ThreadState['tasks'][number] = {
          id: t.id,
          name: t.name,
          interrupts:
            this.#status === 'failed'
              ? []
              : t.interrupt && t.answer === undefined
                ? [{ ...t.interrupt }]
                : // LangGraph shows a NodeInterrupt as { value } with no id key (R6); TaskSnapshot documents it.
                  [...openChildInterrupts(t).map((i) => ({ ...i })), ...nodeInterruptsOf(t).map((i) => ({ value: i.value }) as InterruptInfo)],
        };
        if (t.result) snapshot.result = t.result.update;
        if (t.refused) snapshot.error = t.refused;
        if (t.child && !t.child.inNode) snapshot.state = { configurable: { thread_id: t.child.workflowId } }; // none for a graph called inside a node (R11)
        return snapshot;
      }),
      interrupts: pending.filter(hasId).map(toInterruptInfo),
      ...(pending.some((p) => p.id === undefined) ? { nodeInterrupts: pending.filter((p) => p.id === undefined).map((p) => ({ node: p.node, value: p.value })) } : {}),
      ...(this.#parentCommand ? { parentCommand: this.#parentCommand } : {}),
      metadata: { source: this.#source, step: this.#step, specHash: this.#spec?.hash ?? '' },
      createdAt: new Date(this.#updatedAt).toISOString(),
      ...(this.#pausedAt && this.#status === 'interrupted' ? { pausedAt: this.#pausedAt } : {}),
      stops: this.#stops,
      rejectedResumes: [...this.#rejected],
      ...(this.#status === 'failed' && this.#tasks.length ? { failedStep: { values: this.#values, tasks: this.#tasks.map(toRerunTask) } } : {}),
    };
  }
}

/**
 * LangGraph's order for applying a superstep's writes (its tasks sorted by path): nodes triggered by edges or a
 * goto first, by node name, then `Send` tasks in the order they were sent. Stable, so it is the same on replay.
 */
function byTaskPath(a: Task, b: Task): number {
  const aSend = a.input !== undefined;
  const bSend = b.input !== undefined;
  if (aSend !== bSend) return aSend ? 1 : -1;
  if (aSend) return 0;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A task of a failed step as the next run needs it: its Send argument, answers and step() results, or its result. */
function toRerunTask(task: Task): RerunTask {
  const rerun: RerunTask = { node: task.name };
  if (task.input !== undefined) rerun.arg = task.input;
  if (task.result) return { ...rerun, result: task.result, batch: task.batch ?? 0 };
  if (task.resume.length) rerun.resume = task.resume;
  if (task.steps?.length) rerun.steps = task.steps;
  return rerun;
}

/** The failed step's task in the new run: a completed one keeps its result, the others run again with what they had. */
function rerunTask(rerun: RerunTask): Task {
  const task: Task = { id: uuid4(), name: rerun.node, resume: [...(rerun.resume ?? [])] };
  if (rerun.arg !== undefined) task.input = rerun.arg;
  if (rerun.steps?.length) task.steps = rerun.steps;
  if (rerun.result) [task.result, task.batch] = [rerun.result, rerun.batch ?? 0];
  return task;
}

/** The interrupts a subgraph task's child reported that have no answer waiting to be forwarded. */
function openChildInterrupts(task: Task): InterruptInfo[] {
  return task.child ? task.child.interrupts.filter((i) => !(i.id in task.child!.answers)) : [];
}

/** A pending interrupt as callers see it: LangGraph's `{ id, value, response_schema? }`, without our bookkeeping. */
function toInterruptInfo({ node: _node, expiresAt: _expiresAt, ...info }: PendingView & { id: string }): InterruptInfo {
  return info;
}

/** True for a pending interrupt that takes a resume value (all but a NodeInterrupt, R6). */
function hasId(view: PendingView): view is PendingView & { id: string } {
  return view.id !== undefined;
}

/** The NodeInterrupts a task is paused by: its own, or those its subgraph's child run reported. */
/** The task waits for a human: its interrupt, its child run's interrupts, or a NodeInterrupt (its own or its child's). */
function holdsPause(task: Task): boolean {
  return !!task.interrupt || !!task.child?.interrupts.length || nodeInterruptsOf(task).length > 0;
}

function nodeInterruptsOf(task: Task): NodeInterruptInfo[] {
  return task.nodeInterrupt ? [task.nodeInterrupt] : (task.child?.nodeInterrupts ?? []);
}

/** A fresh 32-hex interrupt id (LangGraph's format), deterministic under replay. */
function newInterruptId(): string {
  return uuid4().replace(/-/g, '');
}

/** The workflow's own cancellation behind a cancelled Activity, rethrown so that the run ends Canceled. */
function cancellationOf(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause instanceof CancelledFailure ? error.cause : error;
}
