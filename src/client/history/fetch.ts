/**
 * Reads a thread's state history from Temporal: every run of the thread's Workflow Id (Visibility list plus
 * `describe` for the current run, since Visibility is eventually consistent), newest first, each run's
 * history fetched only when the caller iterates that far.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { reviveStateMessages, type HasFields } from '../../graph/message-codec.js';
import { visibilityString } from '../../protocol/search-attributes.js';
import type { GraphSpec } from '../../protocol/spec.js';
import { supersededSteps, withoutSuperseded } from './continued-steps.js';
import { decodeRunHistory } from './decode.js';
import {
  runIdOfCheckpoint,
  selectSnapshots,
  snapshotsOfRun,
  type StateHistoryOptions,
  type StateHistorySnapshot,
} from './state-history.js';

/** A run of a thread, as Visibility or `describe` report it. */
export interface ThreadRun {
  runId: string;
  startTime: Date;
  closeTime?: Date;
}

/**
 * The thread's snapshots, newest first, across all its runs (see `snapshotsOfRun`).
 * @param graph when given, its chat-message fields come back as message objects (values and task results).
 */
export async function* readStateHistory(
  client: Client,
  threadId: string,
  options: StateHistoryOptions = {},
  graph?: HasFields & { readonly spec?: GraphSpec },
): AsyncGenerator<StateHistorySnapshot, void, undefined> {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new TypeError(`getStateHistory: limit must be a non-negative integer, got ${String(options.limit)}.`);
  }
  if (options.limit === 0) return;
  let runs = await listThreadRuns(client, threadId);
  // A checkpoint id names its run: skip the newer runs without fetching their histories.
  const beforeRun = runIdOfCheckpoint(options.before?.configurable?.checkpoint_id);
  const index = beforeRun === undefined ? -1 : runs.findIndex((r) => r.runId === beforeRun);
  if (index > 0) runs = runs.slice(index);
  const revive = (s: StateHistorySnapshot): StateHistorySnapshot =>
    graph
      ? {
          ...s,
          values: reviveStateMessages(graph, s.values),
          tasks: s.tasks.map((t) => (t.result ? { ...t, result: reviveStateMessages(graph, t.result) } : t)),
        }
      : s;
  yield* selectSnapshots(snapshotsNewestFirst(client, threadId, runs, revive, graph?.spec), options);
}

async function* snapshotsNewestFirst(
  client: Client,
  threadId: string,
  runs: ThreadRun[],
  revive: (snapshot: StateHistorySnapshot) => StateHistorySnapshot,
  spec?: GraphSpec,
): AsyncGenerator<StateHistorySnapshot, void, undefined> {
  let superseded: ReadonlySet<number> = new Set();
  for (const run of runs) {
    const history = await client.workflow.getHandle(threadId, run.runId).fetchHistory();
    const runHistory = {
      runId: run.runId,
      events: await decodeRunHistory(history, client.options.loadedDataConverter, threadId),
    };
    const all = snapshotsOfRun(runHistory, threadId, spec);
    const snapshots = withoutSuperseded(all, superseded);
    superseded = supersededSteps(runHistory, all);
    for (let i = snapshots.length - 1; i >= 0; i--) yield revive(snapshots[i]!);
  }
}

/**
 * Every run of the thread, newest first. Visibility may lag behind a run that has just started (or just
 * closed), so the current run comes from `describe` too. Runs of one Workflow Id never overlap: the start
 * time orders them.
 */
export async function listThreadRuns(client: Client, threadId: string): Promise<ThreadRun[]> {
  const runs = new Map<string, ThreadRun>();
  const add = (run: { runId: string; startTime: Date; closeTime?: Date | undefined }) => {
    runs.set(
      run.runId,
      run.closeTime
        ? { runId: run.runId, startTime: run.startTime, closeTime: run.closeTime }
        : { runId: run.runId, startTime: run.startTime },
    );
  };
  for await (const info of client.workflow.list({ query: `WorkflowId = ${visibilityString(threadId)}` })) {
    if (info.workflowId === threadId) add(info);
  }
  try {
    add(await client.workflow.getHandle(threadId).describe());
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return [...runs.values()].sort(
    (a, b) =>
      b.startTime.getTime() - a.startTime.getTime() ||
      // Same millisecond: a run still open is the newer one.
      (a.closeTime ? 1 : 0) - (b.closeTime ? 1 : 0) ||
      (b.closeTime?.getTime() ?? 0) - (a.closeTime?.getTime() ?? 0),
  );
}
