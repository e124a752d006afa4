/**
 * Local segments: a superstep whose tasks are all fresh `local: true` nodes runs, with the supersteps after it whose
 * tasks are all `local: true` nodes, in ONE local Activity (`runLocalSteps`) instead of one per node. The segment
 * stops at END, a non-local node, a Send, a breakpoint, the recursion limit, an interrupt or a failed node (which the
 * engine then runs alone with its retry policy), or after as many steps as its timeout covers. The engine takes the segment's steps one by one (task ids of later
 * steps come from the recorded result), so values, stream chunks, step counts and getStateHistory are those of the
 * node-by-node run.
 * Determinism: the segment's result is recorded (a local Activity marker); later steps are rebuilt from it.
 */
import { isCancellation, proxyLocalActivities } from '@temporalio/workflow';
import { OwnActivity, type GraphActivities, type LocalStepsResult } from '../protocol/activities.js';
import { unpackNodeResult } from '../protocol/node-result-wire.js';
import { segmentSteps, type JoinState } from './plan.js';
import type { RunContext } from './run-context.js';
import { cancellationOf } from './run-failure.js';
import { readyTask, type Task } from './run-state.js';
import type { NodeRunner } from './runner.js';

type SegmentStep = LocalStepsResult['steps'][number];

/**
 * The most a segment's local Activity may take: a node that hangs inside a segment holds its thread this long at most
 * before the engine runs the step task by task. A segment that could take longer (a long chain of slow nodes, or a
 * loop) is given fewer steps, and another segment goes on where it stops: 12 steps of nodes with the default
 * 10-minute timeout.
 */
const MAX_SEGMENT_TIMEOUT_MS = 2 * 60 * 60_000;

export class LocalSegments {
  readonly #run: RunContext;
  readonly #runner: NodeRunner;

  constructor(run: RunContext, runner: NodeRunner) {
    this.#run = run;
    this.#runner = runner;
  }

  /** The current superstep comes from a segment: one already run, or a new one the current tasks can start. */
  applies(): boolean {
    return this.#run.state.segmentStep !== undefined || this.#fits();
  }

  /**
   * Takes the current superstep's results from a segment (the step it recorded, or a new segment that may take at
   * most `budget` supersteps, those left before the recursion limit). Returns the tasks to run alone (a node the
   * segment left failed runs with its own retry policy), or undefined when the segment itself failed and the whole
   * step runs task by task.
   */
  async takeStep(budget: number, joins: JoinState): Promise<Task[] | undefined> {
    const { state } = this.#run;
    const step = state.segmentStep ?? (await this.#runSegment(budget, joins));
    state.segmentStep = undefined;
    if (!step) return undefined;
    const failed: Task[] = [];
    for (const done of step.tasks) {
      const task = state.tasks.find((t) => t.id === done.id && t.name === done.name);
      if (!task)
        throw new Error(
          `Engine bug: thread "${state.threadId}" step ${state.step}: a local segment returned task "${done.name}" (${done.id}), which the step does not have.`,
        );
      if (done.result) this.#runner.takeResult(task, unpackNodeResult(done.result));
      else {
        task.failedInSegment = done.failed?.message ?? 'the node failed';
        failed.push(task);
      }
    }
    // The failed task's re-run records the step's input state, as no receipt may have.
    if (failed.length) state.recordedValues = undefined;
    return failed;
  }

  /** The tasks of the next step a segment ran, with the ids it gave them (recorded in its result). */
  queuedTasks(): Task[] {
    const { state } = this.#run;
    const step = state.queuedSteps.shift()!;
    const names = step.tasks.map((t) => t.name);
    if (state.sends.length || names.join('\u0000') !== state.triggers.join('\u0000')) {
      throw new Error(
        `Engine bug: thread "${state.threadId}" step ${state.step}: a local segment ran ${JSON.stringify(names)} where the engine expects ${JSON.stringify([...state.sends.map((x) => x.node), ...state.triggers])}.`,
      );
    }
    state.segmentStep = step;
    return step.tasks.map((t) => readyTask(t.id, t.name));
  }

  /** The current tasks can start a segment: all fresh runs of `local: true` nodes, no Send. */
  #fits(): boolean {
    const { state, spec } = this.#run;
    if (state.tasks.length === 0) return false;
    return state.tasks.every((t) => {
      const node = spec.nodes.find((n) => n.name === t.name);
      return (
        node?.local === true &&
        !node.subgraph &&
        !t.send &&
        t.status.kind === 'ready' &&
        t.resume.length === 0 &&
        !t.steps?.length &&
        !t.child &&
        !t.childAnswers &&
        t.keepInterruptId === undefined
      );
    });
  }

  /**
   * Runs the current tasks and the local supersteps after them in one local Activity; returns the current step's
   * outcome and queues the later steps. If the segment itself fails (not a node: the Activity), returns undefined.
   */
  async #runSegment(budget: number, joins: JoinState): Promise<SegmentStep | undefined> {
    const { state, spec } = this.#run;
    const tasks = state.tasks.map((t) => ({ id: t.id, name: t.name }));
    const recordState = state.recordedValues !== state.values;
    state.recordedValues = state.values;
    state.completedByUpdate = false;
    // Each step takes at most its slowest node's timeout (a node runs once in a segment; its tasks run at once);
    // the slowest local node of the graph bounds every step, whichever nodes a router or goto picks.
    const slowest = Math.max(...spec.nodes.filter((n) => n.local === true).map((n) => n.timeoutMs));
    const fit = Math.max(1, Math.floor(MAX_SEGMENT_TIMEOUT_MS / slowest));
    const steps = segmentSteps(
      spec,
      tasks.map((t) => t.name),
      Math.min(budget, fit),
    );
    const activities = proxyLocalActivities<GraphActivities>({
      startToCloseTimeout: slowest * steps,
      retry: { maximumAttempts: 1 },
    });
    let result: LocalStepsResult;
    try {
      result = await activities[OwnActivity.runLocalSteps]({
        graph: state.graph,
        threadId: state.threadId,
        spec,
        step: state.step,
        state: state.values,
        tasks,
        joins: { ...joins },
        maxSteps: steps,
        ...(recordState ? { recordState: true as const } : {}),
        ...(state.configurable ? { configurable: state.configurable } : {}),
      });
    } catch (error) {
      // A cancelled run ends Canceled; any other failure of the segment itself (a timeout, a worker problem) runs the
      // step task by task.
      if (isCancellation(error)) throw cancellationOf(error);
      state.recordedValues = undefined;
      return undefined;
    }
    const [first, ...rest] = result.steps;
    if (!first || first.tasks.length !== tasks.length || first.tasks.some((t, i) => t.id !== tasks[i]!.id)) {
      throw new Error(
        `Engine bug: thread "${state.threadId}" step ${state.step}: a local segment returned other tasks than it was given.`,
      );
    }
    state.queuedSteps = rest;
    return first;
  }
}
