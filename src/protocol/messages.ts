/**
 * Signal, Query and Update definitions shared by the engine and the client. The wire names are the
 * plain words an operator types into the `temporal` CLI.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AwaitStopInput, ChildPausedInput, ResumeInput, ThreadState, UpdateStateInput } from './payloads.js';
import type { ContinuedStop } from './continue-as-new.js';
import type { StopState } from './stop-state.js';

/** The task queue workers poll and clients start runs on when none is given. */
export const DEFAULT_TASK_QUEUE = 'durable-graph';

/** `temporal workflow signal --workflow-id <thread> --name resume --input '{"resume": <value>}'` */
export const resumeSignal = defineSignal<[ResumeInput]>('resume');

/**
 * Validated resume: rejected before anything is written to history; returns the state at the next stop, or, when
 * the run continues as new before it, where to wait for it (`awaitStop` in the next run).
 */
export const resumeUpdate = defineUpdate<StopState | ContinuedStop, [ResumeInput]>('resume');

/**
 * Waits until the thread pauses or ends and returns its state (used with Update-with-Start by invoke()), or, when
 * the run continues as new first, where to wait on.
 */
export const awaitStopUpdate = defineUpdate<StopState | ContinuedStop, [input?: AwaitStopInput]>('awaitStop');

/** `temporal workflow query --workflow-id <thread> --name getState` */
export const getStateQuery = defineQuery<ThreadState>('getState');

/** LangGraph's updateState on a paused thread: writes values (as a node's output with `asNode`); keeps every other pending interrupt. */
export const updateStateUpdate = defineUpdate<StopState, [UpdateStateInput]>('updateState');

/** Internal: a subgraph run tells its parent it paused (workflow to workflow; not for operators). */
export const childPausedSignal = defineSignal<[ChildPausedInput]>('durableGraph.childPaused');

/**
 * Why a Signal under a name the engine does not know was refused (`Resume` for `resume`), with the name it probably
 * meant: the engine records it, and the audit trail reads it the same way from history.
 */
export function unknownSignalRefusal(threadId: string, name: string): string {
  const meant = name.trim().toLowerCase() === resumeSignal.name ? ` Did you mean "${resumeSignal.name}"?` : '';
  return (
    `Signal "${name}" is not one of thread "${threadId}"'s, so nothing was applied.${meant} Answer a pause with ` +
    `the Signal "${resumeSignal.name}" and input {"resume": <value>}.`
  );
}
