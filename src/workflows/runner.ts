/**
 * Runs nodes: schedules each task's node Activity (local or regular, with the node's retry policy and timeouts),
 * takes its result into the task, and keeps the fast path for a superstep with one plain task in one place.
 * Determinism: Activity proxies are built from the recorded spec; interrupt ids derive from task ids (level 2) or
 * come from `uuid4()`.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  scheduleActivity,
  scheduleLocalActivity,
  sleep,
  uuid4,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import { ErrorCode } from '../errors.js';
import { unpackNodeResult, type WireNodeResult } from '../protocol/node-result-wire.js';
import type { NodeResult, NodeTask } from '../protocol/payloads.js';
import type { NodeSpec } from '../protocol/spec.js';
import { interruptId } from './interrupt-id.js';
import { EngineChange } from './patches.js';
import type { RunContext } from './run-context.js';
import { cancellationOf } from './run-failure.js';
import { isPaused, type Task } from './run-state.js';
import type { Subgraphs } from './subgraphs.js';

export class NodeRunner {
  readonly #run: RunContext;
  readonly #subgraphs: Subgraphs;
  readonly #optionsByKey = new Map<string, ActivityOptions>();

  constructor(run: RunContext, subgraphs: Subgraphs) {
    this.#run = run;
    this.#subgraphs = subgraphs;
  }

  /**
   * The fast path for a superstep whose one task to run is alone in flight and a plain node (no subgraph, no graph
   * invoked in it): runs it and resolves once the task has its next status (done, paused or failed), for the caller
   * (the loop, or the superstep after a resume) to await as a hand-written workflow awaits its Activity. Waiting on
   * a condition instead costs the SDK about five promises and is evaluated on every activation.
   *
   * Undefined when the tasks do not fit (the superstep launches them and waits on its condition). Not async: the
   * caller awaits the Activity's own promise, with one `then` that takes its result; an async layer would cost two
   * more promises per node. Rejects only with the run's cancellation.
   */
  runSole(toRun: Task[]): Promise<void> | undefined {
    const task = this.#soleTask(toRun);
    if (!task) return undefined;
    task.status = { kind: 'running' };
    this.#run.state.completedByUpdate = false;
    let run: Promise<NodeResult> | undefined;
    try {
      run = this.#startNode(task);
    } catch (error) {
      this.#soleFailed(task, error);
    }
    if (!run) return Promise.resolve(); // it failed before it started
    return run.then(
      (result) => this.takeResult(task, result),
      (error: unknown) => this.#soleFailed(task, error),
    );
  }

  /** The one task {@link runSole} runs, if the tasks fit. */
  #soleTask(toRun: Task[]): Task | undefined {
    if (toRun.length !== 1) return undefined;
    const task = toRun[0]!;
    if (task.child || this.#node(task.name).subgraph) return undefined;
    return this.#run.state.tasks.every((t) => t === task || t.status.kind !== 'running') ? task : undefined;
  }

  /** The sole task's run failed: the task keeps the error, except a cancellation, which ends the run. */
  #soleFailed(task: Task, error: unknown): void {
    // Cancelling the workflow ends the run as the superstep's condition would: Canceled, not a failed node.
    if (isCancellation(error)) throw cancellationOf(error);
    task.status = { kind: 'failed', error };
  }

  /** Every task of the step completed: no failure, pause or parent command for the superstep's logic to handle. */
  stepSettled(): boolean {
    return this.#run.state.tasks.every((t) => t.status.kind === 'done' && !t.status.parentCommand && !isPaused(t));
  }

  /**
   * Starts `task` (its node's Activity, or a subgraph's child run): it is running until its run gives it its next
   * status (done, failed, or paused). Neither path rejects: a failure lands on the task.
   */
  launch(task: Task): void {
    task.status = { kind: 'running' };
    this.#run.state.completedByUpdate = false;
    const node = this.#node(task.name);
    void (node.subgraph ? this.#subgraphs.runChild(task, node.subgraph) : this.#runTask(task));
  }

  async #runTask(task: Task): Promise<void> {
    let result: NodeResult;
    try {
      const run = this.#startNode(task);
      if (!run) return;
      result = await run;
    } catch (error) {
      task.status = { kind: 'failed', error };
      return;
    }
    this.takeResult(task, result);
  }

  /**
   * Schedules the Activity that runs `task`'s node; undefined when the task already failed (a local segment used
   * its only attempt: the task failed). Not async, so that a caller can await the Activity itself rather than
   * one more async layer: each layer is two more promises.
   */
  #startNode(task: Task): Promise<NodeResult> | undefined {
    const { state } = this.#run;
    const local = this.#runsLocally(task);
    // A regular Activity's id is the task id; a local Activity's id is the SDK's, so its input carries the task id.
    const nodeTask: NodeTask = local
      ? { taskId: task.id, step: state.step, state: state.values }
      : { step: state.step, state: state.values };
    // Optional fields only when used, so the Activity input of plain graphs stays small.
    if (task.resume.length) nodeTask.resume = task.resume;
    if (task.send) nodeTask.input = task.send.arg;
    if (task.steps?.length) nodeTask.steps = task.steps;
    if (state.configurable) nodeTask.configurable = state.configurable;
    if (task.child?.inNode) {
      task.child.busy = true; // running until the node returns, not a paused child
      if (task.childAnswers) nodeTask.childAnswers = task.childAnswers;
      if (task.childContinue) nodeTask.childContinue = true;
    }
    if (task.childEpoch) nodeTask.childEpoch = task.childEpoch;
    // A regular Activity's input records the state in history; a local run is asked to when nothing has yet.
    if (local && state.recordedValues !== state.values) nodeTask.recordState = true;
    state.recordedValues = state.values;
    // The attempt a local segment made counts against the node's retry policy.
    const segmentFailure = task.failedInSegment;
    delete task.failedInSegment;
    const attemptsUsed = segmentFailure !== undefined ? 1 : 0;
    if (segmentFailure !== undefined && this.#node(task.name).retryPolicy.maxAttempts === 1) {
      task.status = { kind: 'failed', error: ApplicationFailure.create({ message: segmentFailure, type: 'Error' }) };
      return undefined;
    }
    // The node's Activity Type is its name: the Web UI lists the run's nodes by name.
    const options = this.#options(task.name, local, attemptsUsed);
    const run = local
      ? scheduleLocalActivity<WireNodeResult>(task.name, [nodeTask], options)
      : scheduleActivity<WireNodeResult>(task.name, [nodeTask], { ...options, activityId: task.id });
    return run.then(unpackNodeResult, (error: unknown) => this.#awaitCapableWorker(task, nodeTask, error, 1));
  }

  /**
   * The node's run failed. When the worker that took it lacks the node (UNKNOWN_NODE: it runs other code than the
   * thread's graph shape), from level 5 the step waits, then runs the node again as a regular Activity (any worker
   * of the thread's version may take it, where a local one stays on this worker), round after round, until a worker
   * that has the node runs it. Other failures are the task's, as before.
   */
  async #awaitCapableWorker(task: Task, nodeTask: NodeTask, error: unknown, round: number): Promise<NodeResult> {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    const lacking = cause instanceof ApplicationFailure && cause.type === ErrorCode.UNKNOWN_NODE;
    if (!lacking || this.#run.state.level < EngineChange.versionTolerantNodes) {
      delete task.waitingForWorker;
      throw error;
    }
    task.waitingForWorker = { name: ErrorCode.UNKNOWN_NODE, message: cause.message };
    await sleep(Math.min(1000 * 2 ** (round - 1), 60_000));
    // The task id travels in the input: the Activity id of each round is new.
    const again: NodeTask = { ...nodeTask, taskId: task.id };
    delete again.recordState;
    const run = scheduleActivity<WireNodeResult>(task.name, [again], {
      ...this.#options(task.name, false, 0),
      activityId: `${task.id}.${round}`,
    });
    return run.then(
      (result) => {
        delete task.waitingForWorker;
        return unpackNodeResult(result);
      },
      (next: unknown) => this.#awaitCapableWorker(task, again, next, round + 1),
    );
  }

  /** What a node run produced, taken into its task (from its own Activity, or from a local segment's step). */
  takeResult(task: Task, result: NodeResult): void {
    const { stream } = this.#run;
    stream.taskFinished(
      task.name,
      result.kind === 'parent'
        ? { kind: 'update', update: result.update, ...(result.custom ? { custom: result.custom } : {}) }
        : result,
    );
    const keepId = task.keepInterruptId;
    const answeredId = task.answeredId;
    delete task.keepInterruptId;
    delete task.answeredId;
    delete task.childAnswers;
    delete task.childContinue;
    if (result.kind === 'interrupt' && result.child) {
      // A graph the node called with invoke() paused: its interrupts are the node's, ids unchanged.
      task.child = {
        workflowId: result.child.workflowId,
        interrupts: result.child.interrupts,
        answers: {},
        busy: false,
        inNode: true,
      };
      if (result.steps) task.steps = result.steps;
      task.status = { kind: 'waiting' };
      this.#run.touch();
      return;
    }
    if (task.child?.inNode) delete task.child;
    if (result.kind === 'parent') return this.#subgraphs.takeParentCommand(task, result);
    if (result.kind === 'interrupt' && result.nodeInterrupt) {
      // NodeInterrupt: a pause with no id (so no uuid4() call) that no resume value answers.
      if (result.steps) task.steps = result.steps;
      delete task.deadline;
      task.status = { kind: 'held', value: result.value };
      this.#run.touch();
      return;
    }
    if (result.kind === 'interrupt') {
      if (result.steps) task.steps = result.steps;
      // The same interrupt raised again by a plain re-run (invoke(null)): it keeps its id, and its clock.
      const sameInterrupt = keepId !== undefined && result.index === task.resume.length;
      // A refused answer does not restart the clock either.
      const sameDeadline = result.rejected !== undefined || sameInterrupt ? task.deadline : undefined;
      if (result.deadline)
        task.deadline = sameDeadline ?? {
          at: Date.now() + result.deadline.timeoutMs,
          onTimeout: result.deadline.onTimeout,
        };
      else delete task.deadline;
      let id: string;
      if (result.rejected !== undefined) {
        // The node refused its answer (response schema): the same interrupt stays pending, with the reason.
        task.resume.pop();
        task.refused = { name: 'ZodError', message: result.rejected };
        id = answeredId ?? keepId ?? this.#newInterruptId(task);
      } else {
        delete task.refused; // the answer was taken; any earlier refusal is over
        // A new id per interrupt; it stays the same for as long as this interrupt is pending.
        id = sameInterrupt ? keepId! : this.#newInterruptId(task);
      }
      const interrupt = {
        id,
        value: result.value,
        ...(result.responseSchema ? { response_schema: result.responseSchema } : {}),
      };
      task.status = { kind: 'interrupted', interrupt };
    } else {
      const { update, next, sends } = result;
      task.status = { kind: 'done', result: sends ? { update, next, sends } : { update, next } };
      delete task.refused;
    }
    this.#run.touch();
  }

  /**
   * The id of a new interrupt of `task`: derived from the task's id and how many ids it was given before (level 2),
   * so the same run of the task replayed after a reset gets the same id, and a re-run after an edit a new one; or
   * a fresh uuid4 (0.1.0's ids).
   */
  #newInterruptId(task: Task): string {
    if (this.#run.state.level < EngineChange.parkOnNodeFailure) return uuid4().replace(/-/g, '');
    const given = task.interruptIds ?? 0;
    task.interruptIds = given + 1;
    return interruptId(task.id, given);
  }

  /**
   * Whether `task` runs as a local Activity: when its node says `local: true`, or when it re-runs after its pause
   * and its node does not say `local: false` (the re-run mostly replays memoised steps and returns the answer, so it
   * runs inside the workflow task that took the resume: one workflow task and two events fewer per resume).
   */
  #runsLocally(task: Task): boolean {
    const node = this.#node(task.name);
    if (node.local !== undefined) return node.local;
    // A node that called a graph with invoke() waits for that child thread again: not inside a workflow task.
    if (task.child?.inNode || task.childAnswers) return false;
    return task.resume.length > 0 || task.keepInterruptId !== undefined;
  }

  /**
   * The options of node `name`'s Activity, local (no heartbeat: a local Activity cannot heartbeat) or regular;
   * `attemptsUsed` attempts of its retry policy are spent.
   */
  #options(name: string, local: boolean, attemptsUsed: number): ActivityOptions {
    const key = `${local ? 'local:' : ''}${name}${attemptsUsed ? `:-${attemptsUsed}` : ''}`;
    let options = this.#optionsByKey.get(key);
    if (!options) {
      const node = this.#node(name);
      options = { startToCloseTimeout: node.timeoutMs, retry: retryOf(node, attemptsUsed) };
      if (!local) options.heartbeatTimeout = node.heartbeatTimeoutMs;
      this.#optionsByKey.set(key, options);
    }
    return options;
  }

  #node(name: string): NodeSpec {
    return this.#run.spec.nodes.find((n) => n.name === name)!;
  }
}

/** The node's retry policy as Temporal's, with `attemptsUsed` attempts already spent. */
function retryOf(node: NodeSpec, attemptsUsed: number): RetryPolicy {
  const { maxAttempts } = node.retryPolicy;
  return {
    // 0 is unlimited; otherwise at least the one attempt left.
    maximumAttempts: maxAttempts > 0 ? Math.max(1, maxAttempts - attemptsUsed) : maxAttempts,
    initialInterval: node.retryPolicy.initialInterval,
    backoffCoefficient: node.retryPolicy.backoffFactor,
    maximumInterval: node.retryPolicy.maxInterval,
    nonRetryableErrorTypes: node.retryPolicy.nonRetryableErrors,
  };
}
