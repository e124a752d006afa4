/**
 * A step paused across a continue-as-new is recorded by both runs: the run that handed over shows it paused, the run
 * that took over shows it paused too, then what became of its tasks. getStateHistory shows it once, from the newer run.
 */
import type { RunHistory } from './state-history-events.js';
import type { StateHistorySnapshot } from './state-history-snapshot.js';

/** Whether the run took over from the one before it (a continue-as-new) rather than starting on new input. */
export function continuesPreviousRun(run: RunHistory): boolean {
  const started = run.events.find((e) => e.type === 'started');
  return started?.type === 'started' && started.input.continued !== undefined;
}

/**
 * The steps of `newer`'s loop snapshots when it continued the run before it, whose own loop snapshots of those steps
 * it supersedes; none otherwise (a rewind or a new input may repeat step numbers: those are different checkpoints).
 */
export function supersededSteps(newer: RunHistory, newerSnapshots: StateHistorySnapshot[]): ReadonlySet<number> {
  if (!continuesPreviousRun(newer)) return new Set();
  return new Set(newerSnapshots.filter((s) => s.metadata.source === 'loop').map((s) => s.metadata.step));
}

/** The older run's snapshots without the loop snapshots its continuation superseded. */
export function withoutSuperseded(
  older: StateHistorySnapshot[],
  superseded: ReadonlySet<number>,
): StateHistorySnapshot[] {
  return older.filter((s) => !(s.metadata.source === 'loop' && superseded.has(s.metadata.step)));
}
