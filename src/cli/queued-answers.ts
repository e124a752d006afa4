/**
 * Answers queued for a paused thread: `resume` Signals recorded in its history that no worker has handled yet
 * (sent with `resume --signal` or `temporal workflow signal` while no worker ran). `show`, `threads` and `resume`
 * read them so an interrupt that already has an answer waiting is shown as such and not offered to be answered
 * again. Which interrupts each one answers is recomputed with the engine's own matching against what the thread
 * published as pending, as the audit trail does.
 */
import { readQueuedResumes, type GraphClient, type QueuedResume } from '../client.js';
import type { NodeInterruptPause, PendingInterrupt } from '../protocol/pending.js';
import { matchCommand } from '../protocol/resume.js';

/** What a thread published about its pause (a ThreadSummary has it all). */
export interface PublishedPause {
  threadId: string;
  runId: string;
  status: string;
  executionStatus: string;
  interrupts: readonly PendingInterrupt[];
  nodeInterrupts: readonly NodeInterruptPause[];
  breakpoint: { at: 'before' | 'after'; nodes: string[] } | null;
  /** Set while parked on failed nodes (status `error`). */
  failures: ReadonlyArray<{ node: string; error: { message: string } }>;
}

/** A queued `resume` Signal and what it will do when a worker handles it. */
export interface QueuedAnswer extends QueuedResume {
  /** The interrupts it answers, with the value each gets. */
  answers: Array<{ id: string; node: string; value: unknown }>;
  /** `{}`: it continues the thread without a value (past a breakpoint or a NodeInterrupt). */
  continues: boolean;
  /** Why the engine will refuse it (nothing is applied then), recomputed now; absent when it applies. */
  refused?: string;
}

/**
 * The answers queued for a thread: read only for a running thread published as paused or parked on a failed node
 * (any other thread has nothing to queue against, or its graph keeps its pauses off the server).
 */
export async function readQueuedAnswers(client: GraphClient, summary: PublishedPause): Promise<QueuedAnswer[]> {
  if (summary.executionStatus !== 'running' || (summary.status !== 'interrupted' && summary.status !== 'error'))
    return [];
  let queued: QueuedResume[];
  try {
    queued = await readQueuedResumes(client.temporal, summary.threadId, summary.runId);
  } catch {
    return []; // history unreadable here (permissions, the run just closed): the engine still refuses a second answer
  }
  return judgeQueued(queued, summary);
}

/**
 * Judges queued Signals in order, as the engine will handle them: each against what the ones before it left
 * pending (an answered interrupt is no longer pending; a continue ends the pause).
 */
export function judgeQueued(
  queued: readonly QueuedResume[],
  summary: Pick<PublishedPause, 'threadId' | 'interrupts' | 'nodeInterrupts' | 'breakpoint'> &
    Partial<Pick<PublishedPause, 'status' | 'failures'>>,
): QueuedAnswer[] {
  let pending = summary.interrupts.map(({ id, node }) => ({ id, node }));
  let pausedAt: 'interrupt' | 'before' | 'after' | 'error' | undefined =
    summary.status === 'error'
      ? 'error'
      : (summary.breakpoint?.at ?? (pending.length || summary.nodeInterrupts.length ? 'interrupt' : undefined));
  const failed = (summary.failures ?? []).map((f) => ({ node: f.node, message: f.error.message }));
  let nodeInterrupts = summary.nodeInterrupts;
  return queued.map((signal) => {
    const goto = gotoOf(signal.input);
    const match = matchCommand(
      signal.input,
      { pending, nodes: goto, nodeInterrupts, failed, ...(pausedAt ? { pausedAt } : {}) },
      summary.threadId,
    );
    if (!match.ok) return { ...signal, answers: [], continues: false, refused: match.message };
    const answered = new Set(match.answers.map((a) => a.id));
    const answers = match.answers.map((a) => ({
      id: a.id,
      node: pending.find((p) => p.id === a.id)?.node ?? '?',
      value: a.value,
    }));
    pending = pending.filter((p) => !answered.has(p.id));
    if (match.proceed || pending.length === 0) {
      // The run goes on: what it pauses at next is not known until a worker runs it.
      pending = [];
      pausedAt = undefined;
      nodeInterrupts = [];
    }
    return { ...signal, answers, continues: match.proceed };
  });
}

/** The ids of the interrupts queued answers will answer. */
export function answeredByQueue(queued: readonly QueuedAnswer[]): Set<string> {
  return new Set(queued.flatMap((q) => q.answers.map((a) => a.id)));
}

/** One line for a queued answer: what it answers (or that it continues, or why it will be refused). */
export function queuedAnswerLine(q: QueuedAnswer): string {
  if (q.refused) return `${JSON.stringify(q.input)}, which the engine will refuse: ${q.refused}`;
  if (q.answers.length)
    return q.answers.map((a) => `interrupt ${a.id} (node "${a.node}") <- ${JSON.stringify(a.value)}`).join(', ');
  return 'continue ({})';
}

function gotoOf(input: unknown): string[] {
  const goto = (input as { goto?: unknown } | null)?.goto;
  const list = Array.isArray(goto) ? goto : goto === undefined ? [] : [goto];
  return list.filter((g): g is string => typeof g === 'string');
}
