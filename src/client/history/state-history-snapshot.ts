/**
 * What getStateHistory returns: LangGraph-style snapshots, the options that page through them, and the
 * checkpoint ids that name them.
 */
import type { TaskSnapshot } from '../../protocol/payloads.js';

/** The config that names one snapshot; pass it as `before` to page through history. */
export interface CheckpointConfig {
  configurable: { thread_id: string; checkpoint_id: string };
}

/** One entry of {@link GraphHandle.getStateHistory}: the thread as it was at the start of a superstep. */
export interface StateHistorySnapshot<State = Record<string, unknown>> {
  values: State;
  /** Nodes of this superstep (`["__start__"]` for the input snapshot, `[]` for the final one). */
  next: string[];
  /**
   * The superstep's tasks with what eventually became of them: the interrupt the task last raised (with its id)
   * and, once it completed, its `result`; `error` when it failed.
   */
  tasks: TaskSnapshot[];
  /** `source` is `"update"` for an `updateState`; `step` is the engine's step, which an edit does not advance. */
  metadata: { source: 'input' | 'loop' | 'update'; step: number; thread_id: string };
  config: CheckpointConfig;
  /** The snapshot before this one (possibly in the previous run); absent on the thread's first snapshot. */
  parentConfig?: CheckpointConfig;
  createdAt: string;
  /** durable-graph extra: the Temporal Run Id of the run this snapshot belongs to. */
  runId: string;
}

/** Options of {@link GraphHandle.getStateHistory}. */
export interface StateHistoryOptions {
  /** Yield at most this many snapshots (after `before` and `filter`). @default no limit */
  limit?: number;
  /** Yield only snapshots older than this one (a snapshot's `config`, e.g. the last one of the previous page). */
  before?: { configurable: { checkpoint_id?: string } };
  /** Yield only snapshots whose metadata has these values, e.g. `{ source: 'input' }`. */
  filter?: { source?: 'input' | 'loop' | 'update'; step?: number };
}

/**
 * The id of a snapshot: the run it belongs to and its step (an `update` snapshot adds `:u<event id>`).
 * Stable: the same history always gives the same ids.
 */
export function checkpointIdOf(runId: string, step: number): string {
  return `${runId}:${step}`;
}

/** The run id part of a checkpoint id made by {@link checkpointIdOf}, or undefined for anything else. */
export function runIdOfCheckpoint(checkpointId: string | undefined): string | undefined {
  const match = checkpointId === undefined ? null : /^(.+):(-?\d+)(?::u\d+)?$/.exec(checkpointId);
  return match ? match[1] : undefined;
}
