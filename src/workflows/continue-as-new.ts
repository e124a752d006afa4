/**
 * Long runs: when a run's history grows long (Temporal suggests continue-as-new: event count, history size, or the
 * run's Updates nearing their per-run limit), the run hands where it stands to a new run of the same thread (same
 * Workflow Id, a new Run Id, a fresh history) at a safe point: between supersteps, or while paused on interrupts.
 * This file decides when, and turns the run state into the next run's input and back.
 * Determinism: decided from `workflowInfo()` (recorded with each workflow task) and the Updates the run handled (they
 * replay); the engine level is read only once a continue-as-new is wanted (patches.ts `reachedLevel`).
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ContinuedRun, PublishedVisibility, RunInput } from '../protocol/payloads.js';
import type { JoinState } from '../protocol/triggers.js';
import { EngineChange, reachedLevel } from './patches.js';
import type { RunState, Task } from './run-state.js';

/**
 * Updates one run takes before it continues as new even when the server does not suggest it (servers before the
 * Update-count suggestion): below the server's default limit of 2,000 Updates per run, which streaming reads and
 * `invoke()` waits count against.
 */
export const UPDATES_PER_RUN = 1_800;

/** One run's place in its thread's chain of runs: the Updates it handled, and whether it is handing over. */
export class RunChain {
  /** Updates this run's handlers took (reads, resumes, waits, state edits). */
  updates = 0;
  /** Set once the run hands over: waiting Updates return a "continued" marker, and new ones at once. */
  continuing = false;
  /** The run's level is below continue-as-new: it never continues as new. */
  #declined = false;

  /** Counts one Update taken by a handler. */
  readonly counted = (): void => {
    this.updates++;
  };

  /** Temporal suggests continuing as new, or the run took {@link UPDATES_PER_RUN} Updates. Pure: for conditions. */
  wanted(): boolean {
    return !this.#declined && (workflowInfo().continueAsNewSuggested || this.updates >= UPDATES_PER_RUN);
  }

  /**
   * Whether the run may continue as new now: a run at level 4 or later (read here, in the run's main flow), not a
   * subgraph's child run (its parent follows its Run Id), with nothing in flight the next run could not take over.
   * `paused`: the run waits on interrupts (else it is between supersteps).
   */
  may(state: RunState, input: RunInput, paused: boolean): boolean {
    if (this.#declined || input.parent !== undefined || !carryable(state, paused)) return false;
    if (reachedLevel(EngineChange.continueAsNew, () => state.level, state.knownLevel)) return true;
    this.#declined = true;
    return false;
  }
}

/**
 * Nothing in flight that a new run could not take over: between supersteps, no task and no queued local step; while
 * paused, only interrupts and NodeInterrupts of the run's own nodes (a subgraph's child run, or a graph a node
 * called, would be cut from its parent) beside completed tasks.
 */
function carryable(state: RunState, paused: boolean): boolean {
  if (state.queuedSteps.length > 0 || state.segmentStep !== undefined) return false;
  if (!paused) return state.tasks.length === 0;
  return (
    state.pausedAt === 'interrupt' &&
    state.tasks.every(
      (t) =>
        t.child === undefined &&
        (t.status.kind === 'done' || t.status.kind === 'interrupted' || t.status.kind === 'held'),
    )
  );
}

/** The next run's input: the run's own options, and where it stands. */
export function nextRunInput(
  input: RunInput,
  state: RunState,
  at: { supersteps: number; joins: JoinState; streamOffset: number; published?: PublishedVisibility | undefined },
): RunInput {
  const continued: ContinuedRun = {
    values: state.values,
    step: state.step,
    source: state.source,
    stops: state.stops,
    supersteps: at.supersteps,
    triggers: state.triggers,
    sends: state.sends,
    joins: at.joins,
    streamOffset: at.streamOffset,
    everPaused: state.everPaused,
    accepted: state.accepted,
    rejected: state.rejected,
    generation: (input.continued?.generation ?? 0) + 1,
  };
  if (state.tasks.length) continued.tasks = state.tasks as unknown as Array<Record<string, unknown>>;
  if (state.commands.length) continued.commands = state.commands as unknown as Array<Record<string, unknown>>;
  if (state.configurable) continued.configurable = state.configurable;
  if (at.published) continued.published = at.published;
  const next: RunInput = { continued };
  if (input.recursionLimit !== undefined) next.recursionLimit = input.recursionLimit;
  if (input.onNodeFailure !== undefined) next.onNodeFailure = input.onNodeFailure;
  return next;
}

/** Takes the state a run continued as new with into this run's state; whether it was paused on interrupts. */
export function restoreRun(state: RunState, continued: ContinuedRun): boolean {
  state.values = continued.values;
  state.step = continued.step;
  state.source = continued.source;
  state.stops = continued.stops;
  state.triggers = continued.triggers;
  state.sends = continued.sends;
  state.everPaused = continued.everPaused;
  state.accepted = continued.accepted;
  state.rejected = continued.rejected;
  state.configurable = continued.configurable;
  state.tasks = (continued.tasks ?? []) as unknown as Task[];
  state.commands = (continued.commands ?? []) as unknown as RunState['commands'];
  const paused = state.tasks.length > 0;
  if (paused) {
    state.status = 'interrupted';
    state.pausedAt = 'interrupt';
  }
  return paused;
}
