/**
 * The audit trail of a thread: every human action on it (run starts, resumes, state edits, rewinds, terminations),
 * rebuilt from Temporal history alone, with who sent it (the Temporal client identity the server recorded),
 * when, what, which interrupts it answered, and whether the engine applied it. Pure functions over decoded
 * history events; the decoding and the server calls live in `audit-history.ts`. This is the one list the rest of
 * the client imports; the parts: the events read (`audit-events.ts`), the entries made (`audit-entry.ts`), the
 * walk through a run (`audit-of-run.ts`), what was pending at each point and the recomputed verdicts
 * (`audit-pending.ts`), and the engine's own record of rejected Signals (`audit-engine-record.ts`).
 *
 * Where each part comes from:
 * - who and when: the server's own record of the request: `WorkflowExecutionStarted.identity`,
 *   `WorkflowExecutionSignaled.identity`, `WorkflowExecutionUpdateAccepted.acceptedRequest.meta.identity`,
 *   `WorkflowExecutionTerminated.identity`, and each event's time;
 * - which interrupts were pending (ids and nodes): the `durableGraph` memo upserts, which the engine writes at
 *   every pause and resume (it removes the memo once nothing is pending: read as none pending), less what the
 *   actions since the last upsert answered; for a graph compiled with `publishPauses: false` (no memo), the
 *   ThreadStates its Updates returned at each stop, so a pause that no Update reported (a thread driven by Signals
 *   only) is not known: its Signals are judged by the engine's own record when one follows, else reported as not
 *   known;
 * - applied or rejected: an accepted Update was applied (the engine validates before the server records it;
 *   a rejected Update leaves no trace in history). A Signal is always recorded, so its verdict is recomputed
 *   with `matchCommand` (and the response schema), the same code the engine runs, against the interrupts
 *   pending when the engine handled it; when a ThreadState recorded later in the run (an Update's result or the
 *   run's result) lists the engine's rejected resumes, that list decides instead (`outcomeFrom: "engine"`).
 *   Recomputing covers what no later record does (the last signal of a thread that is still paused);
 * - rewinds (`audit-rewinds.ts`): a reset run starts with copies of its base run's events up to the reset point,
 *   which are not listed again; its WorkflowTaskFailed event (cause RESET_WORKFLOW) is the rewind, by the identity its
 *   reason names (`rewind-reason.ts`; Temporal records none), and the base run's actions after the reset point are
 *   the answers it undid.
 */
export type { AuditAction, AuditEntry, AuditInterrupt, WorkflowRef } from './audit-entry.js';
export type { AuditEvent, AuditRunHistory } from './audit-events.js';
export { auditOf, auditOfRun } from './audit-of-run.js';
