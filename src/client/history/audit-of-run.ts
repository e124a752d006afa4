/**
 * The audit trail's walk through a run: one entry per human action, in history order, judged against what was
 * pending then (`audit-pending.ts`) and, for Signals, settled by the engine's own record where there is one
 * (`audit-engine-record.ts`).
 */
import { unknownSignalRefusal } from '../../protocol/messages.js';
import type { ThreadState } from '../../protocol/payloads.js';
import type { CommandMatch } from '../../protocol/resume.js';
import { confirmWithEngineRecord, type SignalRecord } from './audit-engine-record.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditRunHistory } from './audit-events.js';
import { PendingInterrupts } from './audit-pending.js';
import { joinRewinds, runBeganAt } from './audit-rewinds.js';
import { answersNamedIn } from './command-payload.js';
import type { RunCloseStatus } from './state-history-events.js';

/** Why a Signal's outcome is `unknown`. */
const UNKNOWN_PENDING =
  'the graph does not publish its pauses (compile({ publishPauses: false })) and no Update reported what was pending';

/** The human actions of one run, in history order. */
export function auditOfRun(run: AuditRunHistory, threadId: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const pending = new PendingInterrupts(threadId);
  const signals: SignalRecord[] = [];
  let unhandled: SignalRecord[] = [];
  const states: Array<{ pos: number; state: ThreadState }> = [];
  let taskStartedAt: Date | undefined;
  let closed: RunCloseStatus | undefined;
  const cancels: AuditEntry[] = [];
  /** A rewind whose re-opened pause is read from the memo until the next human action. */
  let rewind: AuditEntry | undefined;

  const base = (event: { at: Date; eventId: string; identity: string }) => ({
    at: event.at.toISOString(),
    identity: event.identity,
    runId: run.runId,
    eventId: event.eventId,
  });

  run.events.forEach((event, pos) => {
    if (rewind && isAction(event.type)) rewind = undefined;
    switch (event.type) {
      case 'started': {
        const { input, spec } = event;
        if (spec)
          pending.learnGraph(
            spec.nodes.map((n) => n.name),
            spec.publishPauses !== false,
          );
        // A run that continues the previous one as new (a long run): no one started it.
        if (input.continued) break;
        const sent: Record<string, unknown> = {};
        if (input.input !== undefined) sent.input = input.input;
        if (input.command !== undefined) sent.command = input.command;
        if (input.recursionLimit !== undefined) sent.recursionLimit = input.recursionLimit;
        entries.push({
          ...base(event),
          action: 'start',
          input: sent,
          interrupts: [],
          outcome: 'applied',
          outcomeFrom: 'history',
          ...(event.parent ? { fromWorkflow: event.parent } : {}),
        });
        break;
      }
      case 'spec':
        pending.learnGraph(event.nodes, event.publishPauses);
        break;
      case 'nodeInterrupted':
        pending.noteRaised(event);
        break;
      case 'memo':
        pending.readMemo(event.memo);
        if (rewind) rewind.interrupts = pending.view();
        break;
      case 'reset': {
        // Only the reset that made this run: a run reset from a reset run also holds its base's reset, copied.
        if (event.newRunId && event.newRunId !== run.runId) break;
        rewind = {
          ...base(event),
          action: 'rewind',
          interrupts: pending.view(),
          ...(event.rewoundTo ? { rewoundTo: event.rewoundTo } : {}),
          outcome: 'applied',
          ...(event.reason ? { reason: event.reason } : {}),
          outcomeFrom: 'history',
        };
        entries.push(rewind);
        break;
      }
      case 'workflowTaskStarted':
        taskStartedAt = event.at;
        break;
      case 'workflowTaskCompleted':
        // Signals recorded before this task started were handled by it (a failed task's work is replayed).
        for (const s of unhandled) {
          if (taskStartedAt) s.handledAt = taskStartedAt.toISOString();
          s.handledPos = pos;
        }
        unhandled = [];
        break;
      case 'signal': {
        const { known } = pending;
        // A name the engine does not know: refused, whatever was pending. Unknown what was pending
        // (publishPauses: false, no Update reported it): no verdict to recompute.
        const match: CommandMatch =
          event.name !== undefined
            ? { ok: false, reason: 'invalid', message: unknownSignalRefusal(threadId, event.name) }
            : known
              ? pending.judge(event.input)
              : { ok: false, reason: 'invalid', message: UNKNOWN_PENDING };
        const entry: AuditEntry = {
          ...base(event),
          action: 'resume',
          via: 'signal',
          input: event.input,
          interrupts: match.ok
            ? match.answers.map((a) => ({ id: a.id, node: pending.nodeOf(a.id), value: a.value }))
            : [],
          ...(known ? { pending: pending.view() } : {}),
          ...(event.name !== undefined ? { signalName: event.name } : {}),
          outcome: match.ok ? 'applied' : known || event.name !== undefined ? 'rejected' : 'unknown',
          ...(match.ok ? {} : { reason: match.message }),
          outcomeFrom: known ? 'recomputed' : 'none',
          ...(event.sender ? { fromWorkflow: event.sender } : {}),
        };
        entries.push(entry);
        const record: SignalRecord = { entry, match };
        signals.push(record);
        unhandled.push(record);
        if (match.ok) {
          pending.answer(match.answers.map((a) => a.id));
          pending.runWentOn();
        }
        break;
      }
      case 'update': {
        const entry: AuditEntry = {
          ...base(event),
          action: event.name,
          via: 'update',
          input: event.input,
          interrupts: [],
          ...(pending.known ? { pending: pending.view() } : {}),
          outcome: 'applied',
          outcomeFrom: 'history',
        };
        if (event.name === 'resume') {
          const match = pending.judge(event.input);
          // The server recorded it, so the engine's validator accepted it; without a match (a pause this view
          // could not see) the ids named in a resume map are still the answered ones.
          const answers = match.ok ? match.answers : answersNamedIn(event.input);
          entry.interrupts = answers.map((a) => ({ id: a.id, node: pending.nodeOf(a.id), value: a.value }));
          pending.answer(answers.map((a) => a.id));
        } else {
          // updateState with asNode completes that paused node (the first task of that name); without it, values only.
          const asNode = (event.input as { asNode?: unknown } | null)?.asNode;
          const completed = typeof asNode === 'string' ? pending.firstOfNode(asNode) : undefined;
          if (completed) {
            entry.interrupts = [{ id: completed.id, node: completed.node }];
            pending.answer([completed.id]);
          }
        }
        entries.push(entry);
        pending.runWentOn();
        break;
      }
      case 'state':
        states.push({ pos, state: event.state });
        pending.readState(event.state);
        break;
      case 'timerFired':
        // An interrupt's deadline may have answered it (onTimeout) and let the run go on.
        pending.runWentOn();
        break;
      case 'terminated':
        entries.push({
          ...base(event),
          action: 'terminate',
          interrupts: pending.known ? pending.view() : [],
          ...(pending.known ? { pending: pending.view() } : {}),
          outcome: 'applied',
          ...(event.reason ? { reason: event.reason } : {}),
          outcomeFrom: 'history',
        });
        break;
      case 'cancelRequested': {
        const entry: AuditEntry = {
          ...base(event),
          action: 'cancel',
          interrupts: [],
          ...(pending.known ? { pending: pending.view() } : {}),
          outcome: 'unprocessed',
          outcomeFrom: 'history',
        };
        if (event.cause) entry.reason = event.cause;
        entries.push(entry);
        cancels.push(entry);
        break;
      }
      case 'closed':
        closed = event.status;
        break;
    }
  });

  for (const s of unhandled) {
    s.entry.outcome = 'unprocessed';
    s.entry.interrupts = [];
    s.entry.reason = closed
      ? `the run ended (${closed}) before a worker handled it`
      : 'no worker has handled it yet (it waits in history and applies when a worker runs the thread)';
  }
  for (const cancel of cancels) {
    if (closed === 'canceled') cancel.outcome = 'applied';
    else if (closed) {
      cancel.outcome = 'rejected';
      cancel.reason = `the run went on and ended ${closed}${cancel.reason ? ` (cause: ${cancel.reason})` : ''}`;
    }
  }
  confirmWithEngineRecord(signals, states);
  return entries;
}

/** Events that are a human action (or end the run): a rewind's re-opened pause is what was pending before them. */
function isAction(type: AuditRunHistory['events'][number]['type']): boolean {
  return ['signal', 'update', 'terminated', 'cancelRequested', 'closed', 'started'].includes(type);
}

/** The audit trail of several runs (any order), oldest first. */
export function auditOf(runs: AuditRunHistory[], threadId: string): AuditEntry[] {
  const ordered = [...runs].sort((a, b) => runBeganAt(a) - runBeganAt(b));
  return joinRewinds(ordered.map((run) => ({ run, entries: auditOfRun(run, threadId) }))).flat();
}
