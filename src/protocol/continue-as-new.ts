/**
 * Continue-as-new on the wire: what a run hands to the run that continues it (Temporal's continue-as-new: same
 * Workflow Id, a new Run Id, a fresh history), and what the engine's waiting Updates return when the run continues
 * as new before the stop they wait for. Plain JSON; sandbox-safe.
 */
import type { RejectedResume, SendSpec } from './payloads.js';

/**
 * Where a run stood when it continued as new (`RunInput.continued`): everything the next run needs to go on as if
 * nothing happened. Written by the engine only; not an input for other starters.
 */
export interface ContinuedRun {
  values: Record<string, unknown>;
  step: number;
  source: 'input' | 'loop' | 'update';
  /** How many times the thread stopped so far: a caller waiting for stop N keeps waiting for it in the next run. */
  stops: number;
  /** Supersteps run since the last stop, counted against the recursion limit (per invoke, as in LangGraph). */
  supersteps: number;
  /** The next step's nodes and Sends (between supersteps). */
  triggers: string[];
  sends: SendSpec[];
  /** Waiting edges' arrivals (plan.ts `JoinState`). */
  joins: Record<string, string[]>;
  /** The stream log's end: the next run's first chunk gets this offset, so readers go on without a gap. */
  streamOffset: number;
  /**
   * The superstep's tasks while paused on interrupts (the engine's own task records, src/workflows/run-state.ts):
   * ids, interrupt ids, answers received, deadlines and `step()` results unchanged. Absent between supersteps.
   */
  tasks?: Array<Record<string, unknown>>;
  /** Accepted commands not applied yet (they arrived while the run was continuing). */
  commands?: Array<Record<string, unknown>>;
  configurable?: Record<string, unknown>;
  everPaused: boolean;
  accepted: number;
  rejected: RejectedResume[];
  /** How many runs of this chain came before this one (1 for the first continuation). */
  generation: number;
}

/**
 * The result of a `resume` or `awaitStop` Update whose run continued as new before the stop the caller waits for:
 * wait in the next run (`awaitStop` with `afterStop`), which the run named here continued into.
 */
export interface ContinuedStop {
  continuedAsNew: { runId: string; afterStop: number };
}

/** Whether an Update's result says its run continued as new (any client can write history, so readers check). */
export function isContinuedStop(value: unknown): value is ContinuedStop {
  const marker = (value as Partial<ContinuedStop> | null | undefined)?.continuedAsNew;
  return (
    typeof marker === 'object' &&
    marker !== null &&
    typeof marker.runId === 'string' &&
    typeof marker.afterStop === 'number'
  );
}
