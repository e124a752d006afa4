/**
 * The superstep loop of one run: plan the step's tasks, run them (through the runner, a local segment or a subgraph),
 * pause while a task waits for a human or at a breakpoint, apply the step's writes, route, and stop at END, at the
 * recursion limit or on a failure.
 * Determinism: reads only the run's input, the recorded spec and Activity results; ids come from `uuid4()`; only
 * ApplicationFailures end the run (anything else fails the workflow task, which retries).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  makeContinueAsNewFunc,
  setCurrentDetails,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import type { RunInput, SendSpec } from '../protocol/payloads.js';
import type { StopState } from '../protocol/stop-state.js';
import type { ContinuedStop } from '../protocol/continue-as-new.js';
import { withSpecToSend } from '../protocol/spec-header.js';
import { splitDestinations } from '../protocol/destinations.js';
import { failure } from '../protocol/failures.js';
import { initialValues } from '../protocol/reducers.js';
import type { AcceptedCommand } from '../protocol/resume.js';
import type { ThreadStatus } from '../protocol/search-attributes.js';
import { START, type GraphSpec, type NodeSpec } from '../protocol/spec.js';
import { renderDetails } from './details.js';
import { waitForHuman } from './deadlines.js';
import { loadSpec } from './load-spec.js';
import { EngineChange, reachedLevel } from './patches.js';
import { LocalSegments } from './local-segments.js';
import {
  checkStepWrites,
  fromRerunTask,
  inDeclarationOrder,
  nextTasks,
  nextIds,
  nextTriggers,
  startTriggers,
  stepWrites,
  type JoinState,
} from './plan.js';
import { takeAnswers, takeCommands, takeParked } from './resume.js';
import type { RunContext } from './run-context.js';
import { cancellationOf, parkedFailure, runFailure } from './run-failure.js';
import {
  childPaused,
  isFailed,
  isPaused,
  readyTask,
  resultOf,
  type PausedAt,
  type RunState,
  type Task,
} from './run-state.js';
import { NodeRunner } from './runner.js';
import { pendingOf, statusViewOf, stopOf } from './snapshot.js';
import { StreamLog } from './stream-log.js';
import { Subgraphs } from './subgraphs.js';
import { coordination } from './coordination.js';
import { RunChain, nextRunInput, restoreRun } from './continue-as-new.js';
import { ValuesQueue } from './values.js';
import { StatusPublisher } from './visibility.js';

const DEFAULT_RECURSION_LIMIT = 25;

export class GraphLoop implements RunContext {
  readonly state: RunState;
  readonly input: RunInput;
  /** The chunks stream() reads; recording them issues no commands. */
  readonly stream: StreamLog;
  readonly values: ValuesQueue;
  readonly runner: NodeRunner;
  readonly subgraphs: Subgraphs;
  /** This run's place in the thread's chain of runs (continue-as-new). */
  readonly chain = new RunChain();
  readonly #segments: LocalSegments;
  readonly #publisher = new StatusPublisher();
  #failure?: ApplicationFailure;
  /** The current superstep's count since the last stop, and the join edges' progress (carried on continue-as-new). */
  #position: { supersteps: number; joins: JoinState } = { supersteps: 0, joins: {} };

  constructor(input: RunInput, state: RunState) {
    this.input = input;
    this.state = state;
    this.stream = new StreamLog(() => state.values);
    this.values = new ValuesQueue(state);
    this.subgraphs = new Subgraphs(this);
    this.runner = new NodeRunner(this, this.subgraphs);
    this.#segments = new LocalSegments(this, this.runner);
    // Before any handler runs: a read or a resume may reach a continued run in its first activation.
    if (input.continued) {
      this.stream.startAt(input.continued.streamOffset, restoreRun(state, input.continued));
      // The memo and search attributes came with the run: it goes on publishing from them (level 6).
      const published = input.continued.published;
      if (published && reachedLevel(EngineChange.continuedVisibility, () => state.level, state.knownLevel))
        this.#publisher.takeOver(published);
    }
  }

  get spec(): GraphSpec {
    return this.state.spec!;
  }

  /** Runs the run to its end (or its failure); resolves with the final state. */
  async execute(): Promise<StopState> {
    const { state } = this;
    try {
      const { spec, input } = await loadSpec(state, this.input);
      state.spec = spec;
      // A run that continues the thread's previous run as new goes on where that run stood (see the constructor).
      const carried = this.input.continued;
      let pausedAgain = !!carried?.tasks?.length;
      if (!carried) state.values = { ...initialValues(spec.channels), ...(this.input.previous?.values ?? {}) };
      const command = carried ? undefined : this.input.command;
      const merging = carried
        ? undefined
        : this.values.mergeIntoValues(input ? [input] : command?.update ? [command.update] : []);
      if (merging) await merging;
      if (!carried) this.stream.started(input, command);
      if (carried) {
        // Nothing to start: the triggers, the tasks and the step are the previous run's.
      } else if (command?.asNode) {
        // updateState(asNode) on a finished thread: the update stands for that node's output; pause before its successors.
        const node = spec.nodes.find((n) => n.name === command.asNode);
        if (!node) {
          const nodes = spec.nodes.map((n) => `"${n.name}"`).join(', ');
          throw failure(
            ErrorCode.UPDATE_STATE_REFUSED,
            `updateState(..., "${command.asNode}") on thread "${state.threadId}": node "${command.asNode}" does not exist. Pass one of the graph's nodes (${nodes}) as asNode, or omit it to write the values alone.`,
            { threadId: state.threadId },
          );
        }
        const { next, sends = [] } = splitDestinations(await this.routeFrom(node, []));
        state.triggers = nextTriggers(spec, [{ name: node.name, next }], {});
        state.sends = sends;
        state.step++;
        state.source = 'update';
        if (state.triggers.length || state.sends.length)
          for (const c of await this.#waitAtBreakpoint('after', [node.name])) await this.#applyAtBreakpointAfter(c);
        state.step--; // the loop below counts this step
      } else if (command?.rerun) {
        // invoke(null) after a failed step: that step runs again, from the tasks the failed run left (below).
      } else if (command) {
        // A Command as the input of a run: its goto replaces START's edges (LangGraph).
        state.triggers = inDeclarationOrder(spec, command.goto ?? []);
      } else {
        const routed = spec.branches.some((b) => b.source === START)
          ? await coordination.routeStart({ graph: state.graph, threadId: state.threadId, state: state.values })
          : [];
        const { next, sends = [] } = splitDestinations(routed);
        state.triggers = startTriggers(spec, next);
        state.sends = sends;
      }
      if (!carried) {
        state.step++;
        // updateState on a finished thread: its values show as an "update" until a step starts (LangGraph).
        state.source = command?.asNode !== undefined || command?.updateState ? 'update' : 'loop';
      }
      const limit = this.input.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
      const joins: JoinState = carried ? { ...carried.joins } : {};
      let rerun = command?.rerun;
      for (
        let stopsSeen = state.stops, superstep = carried?.supersteps ?? 0;
        pausedAgain || rerun !== undefined || state.triggers.length > 0 || state.sends.length > 0;
        superstep++
      ) {
        // Counted per invoke, as in LangGraph: every pause and resume starts the count again.
        if (state.stops !== stopsSeen) [stopsSeen, superstep] = [state.stops, 0];
        this.#position = { supersteps: superstep, joins };
        // A long run goes on in a new run with a fresh history (level 4), between supersteps.
        if (!pausedAgain && this.chain.wanted() && this.chain.may(state, this.input, false))
          await this.#continueAsNew();
        if (pausedAgain) {
          // The previous run continued as new while paused: this step's tasks wait where they were.
          pausedAgain = false;
          await this.#runSuperstep([], true);
        } else if (superstep >= limit)
          throw failure(
            ErrorCode.RECURSION_LIMIT,
            `Thread "${state.threadId}" reached the recursion limit of ${limit} supersteps without hitting END. Check the graph for a loop with no exit, or raise recursionLimit.`,
            { threadId: state.threadId, limit },
          );
        else {
          // Sends first, then triggered nodes (LangGraph's task order); the order fixes the order writes apply.
          state.tasks = rerun
            ? rerun.map((t) => fromRerunTask(t, uuid4()))
            : state.queuedSteps.length
              ? this.#segments.queuedTasks()
              : nextTasks(state, uuid4);
          state.upcoming = undefined;
          state.source = 'loop';
          rerun = undefined;
          state.triggers = [];
          state.sends = [];
          if (spec.interruptBefore?.length) await this.#breakpointBefore();
          if (this.#segments.applies()) {
            const rest = await this.#segments.takeStep(limit - superstep, joins);
            if (!rest) await this.#runSuperstep();
            else if (rest.length || state.tasks.some((t) => t.status.kind !== 'done')) await this.#runSuperstep(rest);
          } else {
            // One plain task is awaited right here, as a hand-written workflow awaits its Activity; the superstep's
            // logic (an async call) runs only when the result asks for it (an interrupt, a failure, a parent command).
            const sole = this.runner.runSole(state.tasks.filter((t) => t.status.kind !== 'done'));
            if (!sole) await this.#runSuperstep();
            else {
              await sole;
              if (!this.runner.stepSettled()) await this.#runSuperstep([]);
            }
          }
        }
        if (this.subgraphs.endForParent()) break;
        const problem = checkStepWrites(spec, state.tasks, state.threadId);
        if (problem) throw failure(problem.code, problem.message, { threadId: state.threadId, node: problem.node });
        const mergingStep = this.values.mergeIntoValues(stepWrites(state.tasks), 'node');
        if (mergingStep) await mergingStep;
        this.stream.stepFinished(state.tasks.some((t) => resultOf(t)?.update));
        state.triggers = nextTriggers(
          spec,
          state.tasks.map((t) => ({ name: t.name, next: resultOf(t)?.next ?? [] })),
          joins,
        );
        state.sends = state.tasks.flatMap((t) => resultOf(t)?.sends ?? []);
        const ran = state.tasks.map((t) => t.name);
        state.tasks = [];
        state.step++;
        // A step whose last task was completed by updateState(asNode) stays an "update" (LangGraph's checkpoint).
        if (!state.completedByUpdate) state.source = 'loop';
        state.completedByUpdate = false;
        if (spec.interruptAfter?.length) await this.#breakpointAfter(ran);
        if (state.holdAfterStep) {
          state.holdAfterStep = false;
          if (state.triggers.length || state.sends.length)
            for (const c of await this.#waitAtBreakpoint('after', ran)) await this.#applyAtBreakpointAfter(c);
        }
      }
      this.#stop('completed');
      await condition(allHandlersFinished);
      return stopOf(state);
    } catch (error) {
      // Only deliberate failures end the run; anything else is an engine bug: fail the workflow task so it retries.
      // Local activities (describeGraph, routeStart, applyWrites) fail with an ActivityFailure: end the run with its reason.
      // A cancelled local Activity is the run's cancellation: it ends the run Canceled.
      const ended =
        error instanceof ApplicationFailure
          ? error
          : error instanceof ActivityFailure && !isCancellation(error)
            ? this.failureOf(START, error)
            : undefined;
      if (!ended) throw cancellationOf(error);
      this.#failure = ended;
      this.#stop('failed');
      await condition(allHandlersFinished);
      throw ended;
    }
  }

  /**
   * Runs the current tasks; pauses while any holds an unanswered interrupt; returns when all completed.
   * @param pausedAgain the tasks are paused already: the previous run continued as new while they waited.
   */
  async #runSuperstep(initial?: Task[], pausedAgain = false): Promise<void> {
    const { state, runner } = this;
    // A task completed by updateState(asNode) at a breakpoint does not run.
    let toRun = initial ?? state.tasks.filter((t) => t.status.kind !== 'done');
    for (;;) {
      const sole = runner.runSole(toRun);
      if (sole) await sole;
      else if (toRun.length > 0 || state.tasks.some((t) => t.status.kind === 'running')) {
        for (const task of toRun) runner.launch(task);
        // Until every task has finished, or is a subgraph whose child run is paused.
        await condition(() => state.tasks.every((t) => t.status.kind !== 'running' || childPaused(t)));
      } // else nothing to run or wait for, so no condition to evaluate
      const failed = state.tasks.find((t) => t.status.kind === 'failed');
      const parking = failed !== undefined && this.#parksOnFailure();
      if (failed?.status.kind === 'failed' && !parking) throw this.failureOf(failed.name, failed.status.error);
      // A subgraph's node handed the run to the parent graph (Command.PARENT): the run ends after this step.
      if (!parking && state.tasks.some((t) => t.status.kind === 'done' && t.status.parentCommand)) return;
      if (!parking && !state.tasks.some(isPaused)) return;
      const answered = () =>
        state.tasks.some(
          (t) =>
            (t.status.kind === 'interrupted' && t.status.answer !== undefined) ||
            Object.keys(t.child?.answers ?? {}).length > 0,
        );
      if (parking) await this.#park();
      else if (pausedAgain || (!answered() && state.commands.length === 0)) {
        if (pausedAgain) setCurrentDetails(renderDetails(statusViewOf(state)));
        else {
          state.pausedAt = 'interrupt';
          this.#stop('interrupted');
        }
        for (;;) {
          // An answer that reached the previous run while it was handing over.
          if (pausedAgain && (answered() || state.commands.length > 0)) break;
          pausedAgain = false;
          const nudges = state.nudges;
          // A long pause (many reads, or a long history) goes on in a new run with a fresh history (level 4).
          const mayContinue = this.chain.may(state, this.input, true);
          const handOver = () => mayContinue && this.chain.wanted();
          await waitForHuman(
            state,
            () => answered() || state.commands.length > 0 || state.nudges !== nudges || handOver(),
          );
          if (answered() || state.commands.length > 0) break;
          if (handOver()) await this.#continueAsNew();
          // updateState(asNode) completed a paused task. The last one: the step can end. Otherwise the run stays
          // paused on the others, with no resume and stop of its own (no visibility writes, no second
          // __interrupt__ chunk); the wait starts again so that their deadlines alone are armed.
          if (!state.tasks.some(isPaused)) break;
        }
        this.#resumeRunning();
      }
      const plan = takeCommands(state, uuid4);
      for (const command of plan.childCommands) await this.subgraphs.sendToChild(command);
      // An update sent with the command is applied before the nodes re-run, so they see it (LangGraph).
      if (plan.writes.length) await this.values.mergeIntoValues(plan.writes);
      takeAnswers(state, plan.toRun);
      takeParked(state, plan.toRun);
      toRun = plan.toRun;
    }
  }

  /**
   * Hands the run over to a new run of the thread (continue-as-new) and never returns: ends this run's stream log
   * (readers go on in the next run at the same offset), makes the waiting Updates return a "continued" marker, waits
   * for every handler to finish (a Signal or Update taken meanwhile is part of what is carried), then continues as
   * new with where the run stands. The spec travels as a header, as at the thread's start.
   */
  async #continueAsNew(): Promise<never> {
    const { state } = this;
    this.chain.continuing = true;
    const streamOffset = this.stream.continued();
    await condition(allHandlersFinished);
    // Known here: the run read its level to decide it may continue as new.
    const carry = state.level >= EngineChange.continuedVisibility;
    const next = nextRunInput(this.input, state, {
      ...this.#position,
      streamOffset,
      published: carry ? this.#publisher.carried() : undefined,
    });
    type Run = (run: RunInput) => Promise<StopState>;
    if (!carry) return continueAsNew<Run>(withSpecToSend(next, this.spec));
    // Temporal gives the next run this run's search attributes, but only the memo it started with: pass it as it is.
    return makeContinueAsNewFunc<Run>({ memo: workflowInfo().memo ?? {} })(withSpecToSend(next, this.spec));
  }

  /**
   * Whether a failed node parks the run rather than ending it: from engine level 2, unless the graph opted out
   * (`onNodeFailure: 'fail'`) or this run is called by another (a subgraph, or a graph a node invoked), whose
   * caller parks instead.
   */
  #parksOnFailure(): boolean {
    return (
      this.state.level >= EngineChange.parkOnNodeFailure &&
      this.spec.onNodeFailure !== 'fail' &&
      this.input.onNodeFailure !== 'fail' &&
      this.input.parent === undefined
    );
  }

  /**
   * Parked on failed nodes (status `error`): waits for the next accepted command (a continue, an answer, a goto or
   * update), which runs them again, or for updateState(asNode) to stand in for the last of them. Pending interrupts
   * of other tasks keep their deadlines.
   */
  async #park(): Promise<void> {
    const { state } = this;
    const seen = state.accepted;
    state.pausedAt = 'error';
    this.#stop('error');
    for (;;) {
      const nudges = state.nudges;
      await waitForHuman(state, () => state.accepted !== seen || state.nudges !== nudges);
      if (state.accepted !== seen || !state.tasks.some(isFailed)) break;
    }
    this.#resumeRunning();
  }

  /** Static breakpoint before nodes (compile({ interruptBefore })): pause until a command continues. */
  async #breakpointBefore(): Promise<void> {
    const { state } = this;
    const before = this.spec.interruptBefore;
    if (!before?.length) return;
    const nodes = [...new Set(state.tasks.map((t) => t.name).filter((n) => before.includes(n)))];
    if (nodes.length === 0) return;
    for (const command of await this.#waitAtBreakpoint('before', nodes)) {
      if (command.update) await this.values.mergeIntoValues([command.update]);
      for (const name of command.goto) state.tasks.push(readyTask(uuid4(), name));
      // A resume sent at the breakpoint is the first interrupt()'s answer in those nodes (LangGraph).
      if (command.breakpointResume)
        for (const task of state.tasks)
          if (nodes.includes(task.name) && task.resume.length === 0) task.resume.push(command.breakpointResume.value);
    }
  }

  /** Static breakpoint after nodes (compile({ interruptAfter })): the step is done; pause before the next one (also after the last node, as LangGraph). */
  async #breakpointAfter(ran: string[]): Promise<void> {
    const after = this.spec.interruptAfter;
    if (!after?.length) return;
    const nodes = [...new Set(ran.filter((n) => after.includes(n)))];
    if (nodes.length === 0) return;
    for (const command of await this.#waitAtBreakpoint('after', nodes)) await this.#applyAtBreakpointAfter(command);
  }

  async #applyAtBreakpointAfter(command: AcceptedCommand): Promise<void> {
    if (command.update) await this.values.mergeIntoValues([command.update]);
    this.state.triggers = inDeclarationOrder(this.spec, [...this.state.triggers, ...command.goto]);
  }

  async #waitAtBreakpoint(at: Exclude<PausedAt, 'interrupt'>, nodes: string[]): Promise<AcceptedCommand[]> {
    const { state } = this;
    // The next step's task ids, now rather than when it starts: the same uuid4() calls in the same order.
    if (at === 'after') state.upcoming = nextIds(state, uuid4);
    state.pausedAt = at;
    state.breakpointNodes = nodes;
    this.#stop('interrupted');
    await condition(() => state.commands.length > 0);
    state.breakpointNodes = [];
    this.#resumeRunning();
    return state.commands.splice(0);
  }

  #resumeRunning(): void {
    this.stream.resumed();
    this.state.pausedAt = undefined;
    this.state.status = 'running';
    this.touch();
    this.publish();
  }

  #stop(status: ThreadStatus): void {
    const { state } = this;
    state.status = status;
    state.stops++;
    this.stream.stopped(status, pendingOf(state));
    this.touch();
    if (status === 'interrupted' || status === 'error') state.everPaused = true;
    // A run that never paused has nothing to take back from the list of paused threads: skip the two writes.
    if (status === 'interrupted' || state.everPaused) this.publish();
    else setCurrentDetails(renderDetails(statusViewOf(state)));
    // A subgraph's pause is the parent's pause.
    if (status === 'interrupted') this.subgraphs.reportPause();
  }

  /**
   * Resolves with the state at the next stop after stop number `after`. Not async (nor are the Update handlers that
   * return it): each async layer costs the SDK two more promises.
   */
  waitForStop(after: number): Promise<StopState | ContinuedStop> {
    return condition(() => this.state.stops > after || this.chain.continuing).then(() =>
      this.state.stops > after ? this.currentStop() : this.#continuedStop(after),
    );
  }

  /** What a waiting Update returns when the run continues as new first: wait for stop `after` in the next run. */
  #continuedStop(after: number): ContinuedStop {
    return { continuedAsNew: { runId: workflowInfo().runId, afterStop: after } };
  }

  /** The state at the current stop; the run's failure when it ended failed or is parked on a failed node. */
  currentStop(): StopState {
    if (this.#failure) throw this.#failure;
    if (this.state.status === 'error') {
      const failed = this.state.tasks.flatMap((t) =>
        t.status.kind === 'failed'
          ? [{ node: t.name, error: t.status.error, ...(t.answered ? { interruptId: t.answered.id } : {}) }]
          : [],
      );
      throw parkedFailure(this.state.threadId, this.state.step, failed);
    }
    return stopOf(this.state);
  }

  touch(): void {
    this.state.updatedAt = Date.now();
  }

  publish(): void {
    const view = statusViewOf(this.state);
    // compile({ publishPauses: false }): no search attributes, no memo; the Web UI's current details only.
    if ((this.state.spec ?? this.input.spec)?.publishPauses === false) return setCurrentDetails(renderDetails(view));
    // What the memo and search attributes say depends on the level: the first write records it (patches.ts).
    void this.state.level;
    this.#publisher.publish(view);
  }

  failureOf(node: string, error: unknown): ApplicationFailure {
    return runFailure(this.state.threadId, this.state.step, node, error);
  }

  async routeFrom(node: NodeSpec, writes: Record<string, unknown>[]): Promise<Array<string | SendSpec>> {
    if (node.branches === 0) return [];
    const state = await this.values.mergeOnto(this.state.values, writes);
    return coordination.routeStart({
      graph: this.state.graph,
      threadId: this.state.threadId,
      state,
      source: node.name,
    });
  }
}
