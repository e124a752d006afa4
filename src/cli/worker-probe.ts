/**
 * Is a worker running this thread right now? Asked before a resume Update, which only a worker can take: with none,
 * the Update would wait (and, admitted by the server, be applied whenever a worker comes back). The task queue's
 * poller list alone cannot tell: the server lists a worker that stopped for minutes after it left. So an empty list
 * answers "no" at once, and so does a list whose pollers were all last seen long ago (a live worker polls again
 * at least every minute, when its long poll expires); otherwise a Query the SDK answers itself
 * (`__temporal_workflow_metadata`: nothing recorded, no user code) must come back within a second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcCancelledError, isGrpcDeadlineError } from '@temporalio/client';
import type { GraphClient, ThreadVersion } from '../client.js';

/** How long a live worker gets to answer the probe Query. A cached thread answers in milliseconds. */
export const PROBE_QUERY_MS = 1_000;

/** Pollers last seen longer ago than this are gone: a live worker's long poll expires, and it polls again, each minute. */
export const STALE_POLLER_MS = 90_000;

/**
 * How long a server that has just come back (a restart) may list no worker: it learns of its workers only as they
 * poll again, which each does when its retry backoff (at most about 10 s, plus jitter) ends.
 */
export const WORKER_RETURN_MS = 15_000;

/** What the probe found. */
export type WorkerPresence =
  | { present: true }
  | { present: 'unknown'; why: string }
  | {
      present: false;
      /** Pollers the server still lists (a worker that stopped stays listed for a few minutes), newest first. */
      listed: Array<{ identity: string; lastAccessTime: string | null }>;
      /** Whether the thread was asked (a Query that no worker answered), rather than judged by the list alone. */
      queried: boolean;
    };

/**
 * Probes the thread's workflow task queue, then the thread itself; never throws. With `version` (the thread is pinned
 * to it: {@link pinnedVersion}), only that version's workers count: the server gives the thread's tasks to no other.
 */
export async function probeWorker(
  client: GraphClient,
  thread: { threadId: string; runId: string; taskQueue: string },
  version?: PinnedVersion,
): Promise<WorkerPresence> {
  const polling = await listPollers(client, thread.taskQueue, version);
  if (!Array.isArray(polling)) return polling;
  const listed = polling;
  if (listed.length === 0) return { present: false, listed, queried: false };
  const seenAt = (p: (typeof listed)[number]) => (p.lastAccessTime ? Date.parse(p.lastAccessTime) : Date.now());
  listed.sort((a, b) => seenAt(b) - seenAt(a));
  if (Date.now() - seenAt(listed[0]!) > STALE_POLLER_MS) return { present: false, listed, queried: false };

  const deadline = Date.now() + PROBE_QUERY_MS;
  try {
    await client.temporal.connection.withDeadline(deadline, () =>
      client.temporal.workflow.getHandle(thread.threadId, thread.runId).query('__temporal_workflow_metadata'),
    );
    return { present: true };
  } catch (error) {
    // The client wraps the transport error ("Failed to query Workflow"): look at its cause too.
    const cause = error instanceof Error ? error.cause : undefined;
    const timedOut =
      [error, cause].some((e) => isGrpcDeadlineError(e) || isGrpcCancelledError(e)) || Date.now() >= deadline;
    // Any other answer (even an error) came from a worker, or from a server that will decide about the Update itself.
    if (!timedOut) return { present: true };
    return { present: false, listed, queried: true };
  }
}

/**
 * {@link probeWorker} for a server that has just come back: a worker not seen yet gets {@link WORKER_RETURN_MS} to
 * poll again (probed each second; `onWaiting` called once) before the answer is "no worker".
 */
export async function probeReturningWorker(
  client: GraphClient,
  thread: { threadId: string; runId: string; taskQueue: string },
  onWaiting: () => void,
  version?: PinnedVersion,
): Promise<WorkerPresence> {
  const deadline = Date.now() + WORKER_RETURN_MS;
  let presence = await probeWorker(client, thread, version);
  if (presence.present === false) onWaiting();
  while (presence.present === false && Date.now() < deadline) {
    await sleep(1_000);
    presence = await probeWorker(client, thread, version);
  }
  return presence;
}

/** A Worker Deployment version a thread is pinned to. */
export interface PinnedVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * The version whose workers alone may run the thread's next step: an operator's pinned move, else the version a
 * pinned thread runs on; undefined for an unversioned or auto-upgrade thread (any current worker may take it).
 */
export function pinnedVersion(v: ThreadVersion | undefined): PinnedVersion | undefined {
  if (typeof v?.override === 'object') return v.override;
  if (v?.override === 'auto-upgrade') return undefined;
  return v?.behavior === 'PINNED' ? v.version : undefined;
}

/**
 * Why no worker runs the thread, in words that follow "No worker is running thread X (…)": nothing polls its task
 * queue, or what polls does not answer. `version`: only the workers of the version the thread is pinned to were
 * counted; `named` says which version it is (leave it out when the sentence already did).
 */
export function noWorkerReason(
  presence: Extract<WorkerPresence, { present: false }>,
  taskQueue: string,
  waitedSeconds: number,
  version?: { pinned: PinnedVersion; named: boolean },
): string {
  const worker = !version
    ? 'worker'
    : version.named
      ? `worker of its version (build "${version.pinned.buildId}" of deployment "${version.pinned.deploymentName}")`
      : 'worker of that build';
  const others = version ? '; workers of other builds never take its steps' : '';
  const lastSeen = presence.listed[0]?.lastAccessTime ?? 'at an unknown time';
  const listed = `${presence.listed.length} poller(s)${version ? ' of that build' : ''}`;
  if (!presence.listed.length) return `no ${worker} polls task queue "${taskQueue}"${others}`;
  if (presence.queried)
    return (
      `no ${worker} answered within ${waitedSeconds} s; the server still lists ${listed} on task queue ` +
      `"${taskQueue}" (last seen ${lastSeen}), as it does for minutes after a worker stops${others}`
    );
  return (
    `the server still lists ${listed} on task queue "${taskQueue}", last seen ${lastSeen}: longer ago than a ` +
    `running worker polls${others}`
  );
}

/**
 * The pollers the server lists for a task queue's workflow tasks, of `version` only, newest first; 'unknown' when the
 * task queue could not be described.
 */
export async function versionPollers(
  client: GraphClient,
  taskQueue: string,
  version: PinnedVersion,
): Promise<Extract<WorkerPresence, { present: false }>['listed'] | 'unknown'> {
  const listed = await listPollers(client, taskQueue, version);
  if (!Array.isArray(listed)) return 'unknown';
  const seenAt = (p: (typeof listed)[number]) => (p.lastAccessTime ? Date.parse(p.lastAccessTime) : Date.now());
  return listed.sort((a, b) => seenAt(b) - seenAt(a));
}

/** The pollers the server lists for the task queue's workflow tasks (of `version` only, when given). */
async function listPollers(
  client: GraphClient,
  taskQueue: string,
  version: PinnedVersion | undefined,
): Promise<Array<{ identity: string; lastAccessTime: string | null }> | { present: 'unknown'; why: string }> {
  try {
    const response = await client.temporal.workflowService.describeTaskQueue({
      namespace: client.temporal.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return (response.pollers ?? [])
      .filter(
        (p) =>
          !version ||
          (p.deploymentOptions?.deploymentName === version.deploymentName &&
            p.deploymentOptions.buildId === version.buildId),
      )
      .map((p) => ({
        identity: p.identity ?? '',
        lastAccessTime: p.lastAccessTime?.seconds
          ? new Date(Number(p.lastAccessTime.seconds) * 1000).toISOString()
          : null,
      }));
  } catch (error) {
    return { present: 'unknown', why: `describing task queue "${taskQueue}" failed: ${String(error)}` };
  }
}
