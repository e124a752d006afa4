/**
 * Where a rewind can go back to: the pauses of one run, each with the answer it got and the workflow task a reset
 * must go back to so that the answer is undone and the pause is pending again. Pure functions over a run's decoded
 * events and its audit entries.
 *
 * The workflow task to reset to is the last one that started before the answer reached history. A reset keeps the
 * events before that task and runs the task again, so:
 * - an answer by Update is recorded (UpdateAccepted) after the task that accepted it completed: that task is the
 *   one, and the pause it re-opens was recorded before it, interrupt id included;
 * - an answer by Signal is recorded before the task that handles it, so the reset goes back to the task before the
 *   Signal, which is the task that published the pause when nothing came in between. That task then runs again
 *   (the node itself does not), with a fresh random seed Temporal gives the new run at the reset. From engine level
 *   2 an interrupt's id derives from its task's id, which the node's Activity was scheduled with in an earlier task,
 *   so the id stays; at lower levels, or when the node ran as a local Activity inside that very task, the re-opened
 *   interrupt gets a new id.
 */
import type { AuditEntry, AuditInterrupt } from './audit-entry.js';
import type { AuditRunHistory } from './audit-events.js';

/** A pause of the thread's latest run, as {@link GraphHandle.rewind} can go back to it. */
export interface RewindPause {
  /** The interrupt's id. */
  id: string;
  /** The node that asked. */
  node: string;
  /** What it asked: the value passed to `interrupt()`. */
  value: unknown;
  /** When the engine published the pause (ISO 8601). */
  at: string;
  /** The first action that answered it (a resume, or an `updateState` with `asNode`); absent while unanswered. */
  answer?: {
    at: string;
    identity: string;
    action: 'resume' | 'updateState';
    via?: 'signal' | 'update';
    /** The value it got (a resume). */
    value?: unknown;
    eventId: string;
  };
  /**
   * The event a reset goes back to (the WorkflowTaskCompleted, or Failed, of the last workflow task that started
   * before the answer): present when the pause was answered by a person.
   */
  resetEventId?: string;
  /**
   * Whether a rewind to it re-opens the interrupt under the same id: true unless the reset runs again the workflow
   * task that published the pause (an answer sent as a Signal right after it).
   */
  keepsId?: boolean;
  /** Whether the interrupt is pending now. */
  pending: boolean;
}

/** The pauses of one run, oldest first, from its events and its audit entries (see `auditOfRun`). */
export function rewindPoints(run: AuditRunHistory, entries: readonly AuditEntry[]): RewindPause[] {
  const pauses = new Map<string, RewindPause>();
  /** The workflow task (its WorkflowTaskCompleted event id) whose commands published each pause. */
  const publishedIn = new Map<string, string>();
  const tasks: Array<{ started: number; finish: string }> = [];
  let pendingNow: ReadonlyArray<{ id: string }> = [];
  let lastCompleted: string | undefined;
  let level = 0;
  /** Interrupts returned by regular node Activities: node, and the event that scheduled the Activity. */
  const raised: Array<{ node: string; scheduled: number }> = [];
  const raise = (id: string, node: string, value: unknown, at: string) => {
    if (!pauses.has(id)) pauses.set(id, { id, node, value, at, pending: false });
  };
  for (const event of run.events) {
    switch (event.type) {
      case 'workflowTaskCompleted':
      case 'workflowTaskFailed':
        if (event.eventId !== undefined && event.startedEventId !== undefined)
          tasks.push({ started: Number(event.startedEventId), finish: event.eventId });
        if (event.type === 'workflowTaskCompleted') lastCompleted = event.eventId;
        break;
      case 'memo': {
        const listed = event.memo?.interrupts ?? [];
        const at = (event.at ?? new Date(0)).toISOString();
        for (const i of listed) {
          if (typeof i.id !== 'string') continue;
          raise(i.id, i.node, i.value, at);
          if (event.taskEventId && !publishedIn.has(i.id)) publishedIn.set(i.id, event.taskEventId);
        }
        // After a partial resume the memo still lists the open interrupts (status `running`); removed, none.
        pendingNow = listed;
        break;
      }
      case 'state': {
        // A graph that does not publish its pauses (no memo): the ThreadStates its Updates returned list them.
        const { state } = event;
        for (const task of Array.isArray(state.tasks) ? state.tasks : [])
          for (const i of Array.isArray(task.interrupts) ? task.interrupts : [])
            if (typeof i.id === 'string') {
              raise(i.id, task.name, i.value, state.createdAt ?? new Date(0).toISOString());
              // An Update's result at a pause is written by the task that paused (the one completed just before).
              if (lastCompleted && !publishedIn.has(i.id)) publishedIn.set(i.id, lastCompleted);
            }
        pendingNow = state.status === 'interrupted' ? state.interrupts.filter((i) => typeof i.id === 'string') : [];
        break;
      }
      case 'closed':
        pendingNow = []; // a closed run waits for nothing, whatever its memo still says
        break;
      case 'engineLevel':
        level = Math.max(level, event.level);
        break;
      case 'nodeInterrupted':
        raised.push({ node: event.node, scheduled: Number(event.scheduledEventId) });
        break;
    }
  }
  for (const entry of entries) {
    if ((entry.action !== 'resume' && entry.action !== 'updateState') || entry.outcome !== 'applied') continue;
    for (const answered of entry.interrupts) {
      const pause = pauses.get(answered.id);
      if (!pause || pause.answer) continue;
      pause.answer = answerOf(entry, answered);
      const before = tasks.filter((t) => t.started < Number(entry.eventId));
      const task = before.reduce<(typeof tasks)[number] | undefined>(
        (last, t) => (!last || t.started > last.started ? t : last),
        undefined,
      );
      if (!task) continue;
      pause.resetEventId = task.finish;
      const published = publishedIn.get(pause.id);
      // Level 2: the id derives from the task, whose Activity an earlier workflow task scheduled.
      const taskKept =
        level >= 2 && raised.some((r) => r.node === pause.node && r.scheduled < task.started && r.scheduled > 0);
      pause.keepsId = published !== undefined && (published !== task.finish || taskKept);
    }
  }
  for (const { id } of pendingNow) {
    const pause = pauses.get(id);
    if (pause) pause.pending = true;
  }
  return [...pauses.values()];
}

/**
 * The actions a reset to `resetEventId` undoes: the resumes and edits recorded at or after it (applied, or still
 * waiting for a worker: a Signal after the reset point is not applied again).
 */
export function undoneBy(entries: readonly AuditEntry[], resetEventId: string): AuditEntry[] {
  return entries.filter(
    (e) =>
      (e.action === 'resume' || e.action === 'updateState') &&
      (e.outcome === 'applied' || e.outcome === 'unprocessed') &&
      Number(e.eventId) >= Number(resetEventId),
  );
}

function answerOf(entry: AuditEntry, answered: AuditInterrupt): NonNullable<RewindPause['answer']> {
  return {
    at: entry.at,
    identity: entry.identity,
    action: entry.action as 'resume' | 'updateState',
    ...(entry.via ? { via: entry.via } : {}),
    ...('value' in answered ? { value: answered.value } : {}),
    eventId: entry.eventId,
  };
}
