/**
 * Rewinds across runs. A reset (which `rewind` sends) makes a new run whose history starts with copies of its base
 * run's events up to the reset point: the original start, by the original starter, at the original time, and every
 * answer before that point. Read run by run, that looks like a second start and repeated answers. Here the copies
 * go, the base run's termination by the reset goes (the rewind entry stands for it), and the rewind is tied to the
 * answers it undid.
 */
import type { AuditEntry } from './audit-entry.js';
import type { AuditEvent, AuditRunHistory } from './audit-events.js';

type ResetEvent = Extract<AuditEvent, { type: 'reset' }>;

/** Temporal's identity on the termination of a run that was reset while it was open. */
const RESETTER = 'history-resetter';

/** The reset that made this run (a run reset from a reset run also holds its base's reset, copied). */
export function ownReset(run: AuditRunHistory): ResetEvent | undefined {
  return run.events.find((e): e is ResetEvent => e.type === 'reset' && (!e.newRunId || e.newRunId === run.runId));
}

/**
 * The entries of each run (given oldest run first), with the copies a reset made removed and each rewind joined
 * to its base run. A run whose base run is not among `audited` (removed by retention) keeps its copies: they are
 * then the only record of those actions.
 */
export function joinRewinds(audited: ReadonlyArray<{ run: AuditRunHistory; entries: AuditEntry[] }>): AuditEntry[][] {
  const byRun = new Map(audited.map((a) => [a.run.runId, a.entries]));
  const dropped = new Set<AuditEntry>();
  for (const { run, entries } of audited) {
    const reset = ownReset(run);
    const base = reset && byRun.get(reset.baseRunId);
    if (!reset || !base) continue;
    for (const entry of entries) if (Number(entry.eventId) <= reset.boundary) dropped.add(entry);
    for (const entry of base) if (entry.action === 'terminate' && entry.identity === RESETTER) dropped.add(entry);
    const rewind = entries.find((e) => e.action === 'rewind' && e.eventId === reset.eventId);
    if (!rewind) continue;
    const undone = base.filter(
      (e) =>
        Number(e.eventId) > reset.boundary &&
        (e.action === 'resume' || e.action === 'updateState') &&
        (e.outcome === 'applied' || e.outcome === 'unprocessed'),
    );
    for (const entry of undone) entry.undoneBy ??= { runId: rewind.runId, eventId: rewind.eventId };
    rewind.undone = undone.flatMap((e) => e.interrupts);
    // A reset that did not say where it went (e.g. `temporal workflow reset`): the first answer it undid.
    const first = rewind.undone[0];
    if (!rewind.rewoundTo && first) rewind.rewoundTo = { id: first.id, node: first.node };
  }
  return audited.map(({ entries }) => entries.filter((e) => !dropped.has(e)));
}

/** When a run began, for ordering: a reset run began at its reset (its copied start event has the base's time). */
export function runBeganAt(run: AuditRunHistory): number {
  const reset = ownReset(run);
  if (reset) return reset.at.getTime();
  const started = run.events.find((e) => e.type === 'started');
  return started?.type === 'started' ? started.at.getTime() : 0;
}
