/**
 * `updateState` on a paused thread: values written as they are (every pending interrupt stays pending), or as a
 * paused node's output (that task completes without running again; other paused tasks stay paused).
 * Determinism: the Update's validator decides from the run state alone; a custom reducer runs in a local Activity.
 */
import { ErrorCode } from '../errors.js';
import { splitDestinations } from '../protocol/destinations.js';
import { failure } from '../protocol/failures.js';
import type { UpdateStateInput } from '../protocol/payloads.js';
import type { StopState } from '../protocol/stop-state.js';
import type { RunContext } from './run-context.js';
import { completableByUpdate, type RunState } from './run-state.js';
import { stopOf } from './snapshot.js';

/** Why an updateState cannot apply now, or undefined when it can. */
export function updateStateProblem(state: RunState, { values, asNode }: UpdateStateInput): string | undefined {
  if (state.status !== 'interrupted' && state.status !== 'error') {
    return `updateState on thread "${state.threadId}" needs the thread paused or finished; it is ${state.status}. Wait for it to pause (getState) and try again.`;
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    return `updateState on thread "${state.threadId}" needs an object of state fields, got ${JSON.stringify(values)}.`;
  if (asNode === undefined) return undefined;
  const completable = completableByUpdate(state).map((t) => t.name);
  if (!completable.includes(asNode)) {
    const exists = state.spec?.nodes.some((n) => n.name === asNode);
    return (
      `updateState(..., "${asNode}") on thread "${state.threadId}": ` +
      (exists ? `"${asNode}" is not paused now.` : `Node "${asNode}" does not exist.`) +
      ` It can stand in for a paused node (${completable.map((p) => `"${p}"`).join(', ') || 'none'}), or be omitted to write the values alone.`
    );
  }
  return undefined;
}

/** Applies a validated updateState (see {@link updateStateProblem}); returns the thread's state after it. */
export async function updateState(run: RunContext, { values, asNode }: UpdateStateInput): Promise<StopState> {
  const { state } = run;
  if (asNode === undefined) {
    // Values alone: every pending interrupt stays pending, with its id (LangGraph would clear it).
    await run.values.mergeIntoValues([values]);
  } else {
    // As the paused node's output: that task completes without running again; other paused tasks stay paused
    // (LangGraph would drop them).
    const task = completableByUpdate(state).find((t) => t.name === asNode)!;
    const node = run.spec.nodes.find((n) => n.name === asNode)!;
    const routed = await run.routeFrom(node, [values]);
    // Its routes may run in a local Activity, while another message (a resume) takes the task: refuse then.
    if (!completableByUpdate(state).includes(task)) {
      throw failure(
        ErrorCode.UPDATE_STATE_REFUSED,
        `updateState(..., "${asNode}") on thread "${state.threadId}": node "${asNode}" was resumed while the update was applied; nothing was written. Read the state (getState) and try again.`,
        { threadId: state.threadId },
      );
    }
    task.status = { kind: 'done', result: { update: values, ...splitDestinations(routed) } };
    if (state.pausedAt === 'interrupt' || state.pausedAt === 'error') state.holdAfterStep = true; // as in LangGraph, invoke(null) continues from here
    state.completedByUpdate = true;
    state.nudges++;
  }
  state.source = 'update';
  run.touch();
  run.publish();
  return stopOf(state);
}
