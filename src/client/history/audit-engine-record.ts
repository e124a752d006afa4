/**
 * A Signal is recorded even when the engine refuses it, so the audit trail first recomputes its verdict; where
 * the run later recorded the engine's own list of rejected resumes, that list decides instead.
 */
import type { RejectedResume, ThreadState } from '../../protocol/payloads.js';
import type { CommandMatch } from '../../protocol/resume.js';
import type { AuditEntry } from './audit-entry.js';
import { answersNamedIn } from './command-payload.js';

/** The engine keeps this many rejected resumes (`ThreadState.rejectedResumes`); a full list may have lost older ones. */
const ENGINE_REJECTED_KEPT = 20;

/** A resume sent as a Signal: its audit entry, its recomputed verdict, and the workflow task that handled it. */
export interface SignalRecord {
  entry: AuditEntry;
  match: CommandMatch;
  /** Time of the workflow task that handled it: the engine stamps its rejections with it. */
  handledAt?: string;
  /** Position of that task's completion in the event list. */
  handledPos?: number;
}

/**
 * Replaces recomputed verdicts with the engine's own where a ThreadState recorded after the signal's workflow
 * task lists the run's rejected resumes: the engine stamps each with that task's time. Signals handled in the
 * same task are matched in order when the counts agree; otherwise (and when the list may have dropped old
 * entries) the recomputed verdict stays.
 */
export function confirmWithEngineRecord(
  signals: SignalRecord[],
  states: Array<{ pos: number; state: ThreadState }>,
): void {
  const byTask = new Map<number, SignalRecord[]>();
  for (const s of signals) {
    if (s.handledPos === undefined || s.handledAt === undefined) continue;
    byTask.set(s.handledPos, [...(byTask.get(s.handledPos) ?? []), s]);
  }
  for (const [pos, group] of byTask) {
    const handledAt = group[0]!.handledAt!;
    const later = states.find((s) => s.pos > pos)?.state;
    const list: RejectedResume[] | undefined = Array.isArray(later?.rejectedResumes)
      ? later.rejectedResumes
      : undefined;
    if (!list) continue;
    if (list.length >= ENGINE_REJECTED_KEPT && (list[0]?.at ?? '') >= handledAt) continue; // may have been dropped
    const rejected = list.filter((r) => r.via === 'signal' && r.at === handledAt);
    if (group.length === 1) {
      const s = group[0]!;
      const engine = rejected[0];
      if (engine) {
        s.entry.outcome = 'rejected';
        s.entry.interrupts = [];
        s.entry.reason = engine.reason;
      } else {
        s.entry.outcome = 'applied';
        delete s.entry.reason;
        if (!s.match.ok)
          s.entry.interrupts = answersNamedIn(s.entry.input).map((a) => ({
            id: a.id,
            node: s.entry.pending?.find((p) => p.id === a.id)?.node ?? '?',
            value: a.value,
          }));
      }
      s.entry.outcomeFrom = 'engine';
      continue;
    }
    const recomputed = group.filter((s) => !s.match.ok);
    const unknown = group.filter((s) => s.entry.outcome === 'unknown');
    if (rejected.length === 0 && unknown.length) {
      // Signals judged 'unknown' (publishPauses: false) that the engine refused none of: all applied.
      for (const s of unknown) {
        s.entry.outcome = 'applied';
        delete s.entry.reason;
        s.entry.interrupts = answersNamedIn(s.entry.input).map((a) => ({ id: a.id, node: '?', value: a.value }));
      }
      for (const s of group) s.entry.outcomeFrom = 'engine';
      continue;
    }
    if (recomputed.length !== rejected.length) continue;
    recomputed.forEach((s, i) => {
      s.entry.outcome = 'rejected';
      s.entry.interrupts = [];
      s.entry.reason = rejected[i]!.reason;
    });
    for (const s of group) s.entry.outcomeFrom = 'engine';
  }
}
