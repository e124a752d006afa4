/**
 * Paging through getStateHistory: snapshots of many runs put newest first, filtered and limited as
 * {@link StateHistoryOptions} asks, each linked to the one before it.
 */
import type { RunHistory } from './state-history-events.js';
import type { StateHistoryOptions, StateHistorySnapshot } from './state-history-snapshot.js';
import { supersededSteps, withoutSuperseded } from './continued-steps.js';
import { snapshotsOfRun } from './snapshots-of-run.js';

/**
 * Applies {@link StateHistoryOptions} to snapshots arriving newest first (from any number of runs), and links
 * each to the one before it (`parentConfig`). Pulls at most one snapshot beyond the last it yields, so a
 * `limit` stops the reading of older runs.
 */
export async function* selectSnapshots<S extends StateHistorySnapshot<any>>(
  newestFirst: AsyncIterable<S> | Iterable<S>,
  options: StateHistoryOptions = {},
): AsyncGenerator<S, void, undefined> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  const beforeId = options.before?.configurable?.checkpoint_id;
  let seenBefore = beforeId === undefined;
  const filter = Object.entries(options.filter ?? {}).filter(([, v]) => v !== undefined);
  const wanted = (s: S): boolean => {
    if (!seenBefore) {
      if (s.config.configurable.checkpoint_id === beforeId) seenBefore = true;
      return false;
    }
    return filter.every(([key, value]) => (s.metadata as Record<string, unknown>)[key] === value);
  };
  let count = 0;
  let held: S | undefined;
  for await (const snapshot of newestFirst) {
    if (held) {
      held.parentConfig = snapshot.config;
      if (wanted(held)) {
        yield held;
        if (++count >= limit) return;
      }
    }
    held = snapshot;
  }
  if (held && wanted(held)) yield held;
}

/** All snapshots of the given runs (any order), newest first, with the options applied. */
export async function stateHistoryOf(
  runs: RunHistory[],
  threadId: string,
  options: StateHistoryOptions = {},
): Promise<StateHistorySnapshot[]> {
  const ordered = [...runs].sort((a, b) => startOf(b) - startOf(a));
  let superseded: ReadonlySet<number> = new Set();
  const newestFirst = ordered.flatMap((run) => {
    const all = snapshotsOfRun(run, threadId);
    const snapshots = withoutSuperseded(all, superseded);
    superseded = supersededSteps(run, all);
    return snapshots.reverse();
  });
  const out: StateHistorySnapshot[] = [];
  for await (const snapshot of selectSnapshots(newestFirst, options)) out.push(snapshot);
  return out;
}

function startOf(run: RunHistory): number {
  const started = run.events.find((e) => e.type === 'started');
  return started ? started.at.getTime() : 0;
}
