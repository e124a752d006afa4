/**
 * `rewind()`: takes a thread back to one of its pauses with Temporal's reset, so that the answer it got (and every
 * action after it) is undone and the interrupt is pending again. Which workflow task to reset to is read from the
 * thread's history (`history/rewind-points.ts`); the reason sent with the reset says who rewound to which pause, so
 * the audit trail can tell (`history/rewind-reason.ts`).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { RewindRefusedError, ThreadNotFoundError, type RewindablePause } from '../errors.js';
import { MEMO_KEY, type ThreadMemo } from '../protocol/memo.js';
import { getStateQuery } from '../protocol/messages.js';
import { pendingOfTasks, takesResumeValue, type PendingInterrupt } from '../protocol/pending.js';
import type { AuditEntry } from './history/audit-entry.js';
import { decodeAuditEvents } from './history/audit-history.js';
import { auditOfRun } from './history/audit.js';
import { listThreadRuns } from './history/fetch.js';
import { formatRewindReason } from './history/rewind-reason.js';
import { rewindPoints, undoneBy, type RewindPause } from './history/rewind-points.js';

/**
 * `temporal.api.enums.v1.ResetReapplyExcludeType` and `ResetReapplyType` values (stable wire numbers, so no
 * @temporalio/proto import).
 */
const EXCLUDE_SIGNAL = 1;
const EXCLUDE_UPDATE = 2;
const REAPPLY_NONE = 2;

type ResetRequest = Parameters<Client['workflowService']['resetWorkflowExecution']>[0];

/** How long the `getState` Query may take when no memo says what is pending. */
const QUERY_MS = 5_000;

/** How often to look whether a Worker has run the rewound thread to its pause. */
const POLL_MS = 200;

/** Options of {@link GraphHandle.rewind}. */
export interface RewindOptions {
  /**
   * The interrupt id of the pause to go back to (a pause of the thread's latest run that a person answered).
   * @default the pause answered last
   */
  toPause?: string;
  /** Why, in the operator's words: recorded in history with the rewind and shown by the audit trail. @default none */
  reason?: string;
  /**
   * How long to wait, in milliseconds, for a Worker to run the rewound thread back to its pause, so that `pending`
   * is read from the new run. `0` returns as soon as the reset is done.
   * @default 10000
   */
  waitMs?: number;
  /** Work out what a rewind would do (the pause, the reset event, the actions undone) and change nothing. @default false */
  dryRun?: boolean;
}

/** What {@link GraphHandle.rewind} did (or, with `dryRun`, would do). */
export interface RewindResult {
  threadId: string;
  /** The run that was reset: the thread's latest run before the rewind. */
  baseRunId: string;
  /** The run the thread goes on in (a reset makes a new run of the same Workflow Id); absent for a dry run. */
  runId?: string;
  /** The event of the base run the reset went back to (a WorkflowTaskCompleted or WorkflowTaskFailed). */
  eventId: string;
  /** The reason recorded in history (it names the pause and who asked). */
  reason: string;
  /** The pause gone back to, with the answer it had. */
  pause: RewindPause;
  /** The actions undone, oldest first: the answers and edits recorded at or after the reset point. */
  undone: AuditEntry[];
  /**
   * Whether the re-opened interrupt keeps its id. It does when the answer was an Update (the client's and
   * `durable-graph resume`'s way). An answer sent as a Signal right after the pause makes the reset run again the
   * workflow task that published the pause, with a new random seed: the id stays the same all the same (it derives
   * from the node's task), except in a thread started on durable-graph 0.1.0 (random ids) or when the node ran as a
   * local Activity in that task. Then the interrupt comes back with a new id: read it from `pending`.
   */
  keepsInterruptId: boolean;
  /** The interrupts the thread waits for after the rewind (read from its memo); `[]` for a dry run. */
  pending: PendingInterrupt[];
  /**
   * Whether a Worker ran the rewound run back to its pause within `waitMs`. When false, `pending` is the server's
   * record at the reset point, which lacks an interrupt that comes back with a new id: a Worker of the thread's task
   * queue re-opens it when it runs (`getState` then shows it).
   */
  settled: boolean;
}

/** Takes thread `threadId` back to a pause of its latest run (see {@link GraphHandle.rewind}). */
export async function rewindThread(
  client: Client,
  threadId: string,
  options: RewindOptions = {},
): Promise<RewindResult> {
  const baseRunId = await latestRunId(client, threadId);
  const { pauses, entries } = await pausesOfRun(client, threadId, baseRunId);
  const pause = await choosePause(client, threadId, baseRunId, pauses, options.toPause);
  const eventId = pause.resetEventId!;
  const reason = formatRewindReason({
    rewoundTo: { id: pause.id, node: pause.node },
    identity: client.options.identity,
    reason: options.reason?.trim() ?? '',
  });
  const plan = {
    threadId,
    baseRunId,
    eventId,
    reason,
    pause,
    undone: undoneBy(entries, eventId),
    keepsInterruptId: pause.keepsId === true,
  };
  if (options.dryRun) return { ...plan, pending: [], settled: false };

  let runId: string;
  try {
    ({ runId } = await client.workflowService.resetWorkflowExecution({
      namespace: client.options.namespace,
      // The run whose history was read: a run started since is not reset at event ids read from another.
      workflowExecution: { workflowId: threadId, runId: baseRunId },
      // protobufjs encodes a plain number into the int64 field (its type says Long).
      workflowTaskFinishEventId: Number(eventId) as unknown as ResetRequest['workflowTaskFinishEventId'],
      reason,
      requestId: randomUUID(),
      identity: client.options.identity,
      // Nothing recorded after the reset point comes back: the answer being undone is a `resume` Signal or Update,
      // and so may be every later one. Signals and Updates are the kinds Temporal would re-apply (cancel requests
      // and Nexus completions are not answers). `resetReapplyType` says the same to servers older than the
      // exclude list.
      resetReapplyExcludeTypes: [EXCLUDE_SIGNAL, EXCLUDE_UPDATE],
      resetReapplyType: REAPPLY_NONE,
    }));
  } catch (error) {
    throw new RewindRefusedError(
      `Temporal refused to reset thread "${threadId}" (run ${baseRunId}) to event ${eventId}, the pause of interrupt ` +
        `"${pause.id}" (node "${pause.node}"): ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`,
      { threadId, node: pause.node, cause: error },
    );
  }
  const { pending, settled } = await waitForPause(client, threadId, runId, options.waitMs ?? 10_000);
  return { ...plan, runId, pending, settled };
}

async function latestRunId(client: Client, threadId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(threadId).describe()).runId;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ThreadNotFoundError(threadId);
    throw error;
  }
}

/** The pauses of one run, with its audit entries (each answer and edit, for what a rewind undoes). */
async function pausesOfRun(
  client: Client,
  threadId: string,
  runId: string,
): Promise<{ pauses: RewindPause[]; entries: AuditEntry[] }> {
  const history = await client.workflow.getHandle(threadId, runId).fetchHistory();
  const events = await decodeAuditEvents(history, client.options.loadedDataConverter, threadId);
  const run = { runId, events };
  const entries = auditOfRun(run, threadId);
  return { pauses: rewindPoints(run, entries), entries };
}

/** The pause asked for, or the one answered last; refused with the list of pauses it can go back to. */
async function choosePause(
  client: Client,
  threadId: string,
  runId: string,
  pauses: RewindPause[],
  toPause: string | undefined,
): Promise<RewindPause> {
  const answered = pauses.filter((p) => p.resetEventId !== undefined);
  const listing: RewindablePause[] = answered.map(({ id, node, value, at }) => ({ id, node, value, at }));
  const refuse = (what: string, next: string) =>
    new RewindRefusedError(
      [
        `${what} Nothing was changed.`,
        ...(listing.length
          ? ['Pauses it can be rewound to (oldest first):', ...answered.map(pauseLine)]
          : [`Its latest run (${runId}) has no pause a person answered.`]),
        next,
      ].join('\n'),
      { threadId, pauses: listing },
    );
  const waiting = pauses.filter((p) => p.pending);
  const answerIt = waiting.length
    ? `It waits for ${waiting.map((p) => `interrupt ${p.id} (node "${p.node}")`).join(', ')}: answer with a resume ` +
      `(\`durable-graph resume ${threadId} '<value>'\`, or \`Command({ resume })\`) rather than a rewind.`
    : '';

  if (toPause === undefined) {
    const last = answered.reduce<RewindPause | undefined>(
      (latest, p) => (!latest || Number(p.answer!.eventId) > Number(latest.answer!.eventId) ? p : latest),
      undefined,
    );
    if (last) return last;
    throw refuse(`Thread "${threadId}" has no answered pause to rewind to.`, answerIt);
  }
  const pause = pauses.find((p) => p.id === toPause.trim());
  if (pause?.resetEventId !== undefined) return pause;
  const pick = 'Pass one of the ids listed (`--to-pause <id>`, or `{ toPause }`).';
  if (pause?.pending) {
    throw refuse(
      `Interrupt "${pause.id}" (node "${pause.node}") of thread "${threadId}" is still pending: there is no answer to undo.`,
      answerIt,
    );
  }
  if (pause) {
    throw refuse(
      `Interrupt "${pause.id}" (node "${pause.node}") of thread "${threadId}" was not answered by a person (its ` +
        'deadline answered it, or the run went on without it): there is no answer to undo.',
      pick,
    );
  }
  const earlier = await earlierRunOf(client, threadId, runId, toPause.trim());
  throw refuse(
    earlier
      ? `Interrupt "${toPause}" belongs to an earlier run (${earlier}) of thread "${threadId}"; a rewind goes back ` +
          `within the latest run (${runId}) only.`
      : `Thread "${threadId}" has no pause with interrupt id "${toPause}" in its latest run (${runId}).`,
    pick,
  );
}

/** The earlier run of the thread that paused with `interruptId`, if any (read only to explain a refusal). */
async function earlierRunOf(
  client: Client,
  threadId: string,
  latestRunId: string,
  interruptId: string,
): Promise<string | undefined> {
  for (const run of await listThreadRuns(client, threadId)) {
    if (run.runId === latestRunId) continue;
    const { pauses } = await pausesOfRun(client, threadId, run.runId);
    if (pauses.some((p) => p.id === interruptId)) return run.runId;
  }
  return undefined;
}

function pauseLine(p: RewindPause): string {
  const answer = p.answer!;
  const by = answer.identity ? ` by ${answer.identity}` : '';
  const value = 'value' in answer ? ` with ${JSON.stringify(answer.value)}` : '';
  return `  ${p.id}  node "${p.node}" asked ${JSON.stringify(p.value)} at ${p.at}; answered${by}${value} at ${answer.at}`;
}

/**
 * Waits until a Worker has run the new run's first workflow task (no workflow task pending), then reads what the
 * thread waits for from its memo. With no Worker in time, the memo is the reset point's.
 */
async function waitForPause(
  client: Client,
  threadId: string,
  runId: string,
  waitMs: number,
): Promise<{ pending: PendingInterrupt[]; settled: boolean }> {
  const handle = client.workflow.getHandle(threadId, runId);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const description = await handle.describe();
    const settled = description.status.name !== 'RUNNING' || !description.raw.pendingWorkflowTask;
    if (settled || Date.now() >= deadline) {
      const pending = memoInterrupts(description);
      // A graph compiled with publishPauses: false writes no memo: the Worker that just ran the thread answers.
      if (settled && !pending.length && description.status.name === 'RUNNING') {
        const state = await client.connection
          .withDeadline(Date.now() + QUERY_MS, () => handle.query(getStateQuery))
          .catch(() => undefined);
        if (state) return { pending: pendingOfTasks(state.tasks).interrupts, settled };
      }
      return { pending, settled };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function memoInterrupts(description: WorkflowExecutionDescription): PendingInterrupt[] {
  if (description.status.name !== 'RUNNING') return [];
  const memo = description.memo?.[MEMO_KEY] as Partial<ThreadMemo> | undefined;
  const listed = Array.isArray(memo?.interrupts) ? memo.interrupts : [];
  return listed
    .filter((i) => typeof i === 'object' && i !== null && takesResumeValue(i))
    .map((i) => ({ id: i.id, node: typeof i.node === 'string' ? i.node : '?', value: i.value }));
}
