/**
 * The audit trail of a thread: every human action on it (run starts, resumes, state edits, terminations),
 * rebuilt from Temporal history alone, with who sent it (the Temporal client identity the server recorded),
 * when, what, which interrupts it answered, and whether the engine applied it. Pure functions over decoded
 * history events; the decoding and the server calls live in `audit-history.ts`.
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
 *   Recomputing covers what no later record does (the last signal of a thread that is still paused).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ThreadMemo } from '../../protocol/memo.js';
import type { RejectedResume, RunInput, ThreadState } from '../../protocol/payloads.js';
import { takesResumeValue } from '../../protocol/pending.js';
import { isResumeMap, matchCommand, type CommandMatch } from '../../protocol/resume.js';
import type { GraphSpec } from '../../protocol/spec.js';
import { checkResponse } from '../../protocol/response-schema.js';
import type { RunCloseStatus } from './state-history.js';

/** What a person (or a service acting for one) did to a thread. */
export type AuditAction = 'start' | 'resume' | 'updateState' | 'terminate' | 'cancel';

/** An interrupt an action concerned: answered (resume), completed by an edit (updateState with asNode), abandoned (terminate). */
export interface AuditInterrupt {
  id: string;
  node: string;
  /** The answer it got, for a resume. */
  value?: unknown;
}

/** A Workflow Execution, when the sender was another workflow (a parent graph forwarding a resume to its subgraph). */
export interface WorkflowRef {
  workflowId: string;
  runId: string;
}

/** One entry of {@link GraphHandle.getAuditTrail}. */
export interface AuditEntry {
  /** When the Temporal server recorded it (ISO 8601). */
  at: string;
  /**
   * Who sent it: the identity of the Temporal client that made the request, as the server recorded it
   * (`GraphClient.connect({ identity })`, `durable-graph --identity`, `temporal ... --identity`; the SDKs'
   * default is `<pid>@<host>`, the `temporal` CLI's `temporal-cli:<user>@<host>`). Empty when none was sent.
   */
  identity: string;
  action: AuditAction;
  /** How a resume or edit arrived: a Signal (recorded even when refused) or a validated Update. */
  via?: 'signal' | 'update';
  /**
   * What was sent: the `resume` payload (`{"resume": …, "update"?: …, "goto"?: …}`), the `updateState` input
   * (`{"values": …, "asNode"?: …}`), the run's input for a start (`{"input": …}` or `{"command": …}`).
   */
  input?: unknown;
  /** The interrupts it answered (resume), completed (updateState with asNode) or abandoned (terminate). */
  interrupts: AuditInterrupt[];
  /** The interrupts pending when the engine received it (resume, updateState, terminate, cancel). */
  pending?: Array<{ id: string; node: string }>;
  /**
   * `applied`; `rejected` (a Signal the engine refused: nothing changed); `unprocessed` (a Signal no worker
   * has handled yet, or a cancel request the run has not acted on); `unknown` (a Signal to a graph compiled with
   * `publishPauses: false` when history holds neither what was pending nor the engine's verdict).
   */
  outcome: 'applied' | 'rejected' | 'unprocessed' | 'unknown';
  /** Why it was rejected or not processed; the reason given for a termination or cancellation. */
  reason?: string;
  /**
   * What the outcome rests on: `history` (the server accepted the request: a start, an Update, a
   * termination), `engine` (the engine's own list of rejected resumes, recorded later in the run), or
   * `recomputed` (the engine's matching re-run on the interrupts pending at that moment; no later record), or
   * `none` (an `unknown` outcome: nothing to rest on).
   */
  outcomeFrom: 'history' | 'engine' | 'recomputed' | 'none';
  /** The run (Temporal Run Id) it belongs to, and its history event. */
  runId: string;
  eventId: string;
  /** Set when the sender was a workflow (e.g. a parent graph resuming its subgraph). */
  fromWorkflow?: WorkflowRef;
}

/** The events of one run the audit trail is built from, decoded (see `audit-history.ts`), in history order. */
export type AuditEvent =
  | {
      type: 'started';
      at: Date;
      eventId: string;
      identity: string;
      input: RunInput;
      /** The spec the start event recorded (absent for a run started by name: see `spec`). */
      spec?: GraphSpec;
      parent?: WorkflowRef;
    }
  /** The graph's node names, from the `describeGraph` result of a run started without its spec. */
  | { type: 'spec'; nodes: string[]; publishPauses: boolean }
  /** A node paused with a response schema (to check answers as the engine does). */
  | { type: 'nodeInterrupted'; node: string; value: unknown; responseSchema: Record<string, unknown> }
  /** A timer fired: an interrupt's deadline (`interrupt(value, { timeout })`) may have resumed the run. */
  | { type: 'timerFired' }
  /** `memo: null`: the memo was removed (on resume, once nothing is pending). */
  | { type: 'memo'; memo: ThreadMemo | null }
  | { type: 'workflowTaskStarted'; at: Date }
  | { type: 'workflowTaskCompleted' }
  | { type: 'signal'; at: Date; eventId: string; identity: string; input: unknown; sender?: WorkflowRef }
  | { type: 'update'; at: Date; eventId: string; identity: string; name: 'resume' | 'updateState'; input: unknown }
  /** A ThreadState the run recorded later: an Update's result, or the run's result. */
  | { type: 'state'; state: ThreadState }
  | { type: 'terminated'; at: Date; eventId: string; identity: string; reason: string }
  | { type: 'cancelRequested'; at: Date; eventId: string; identity: string; cause: string }
  | { type: 'closed'; status: RunCloseStatus };

/** One run of a thread and its decoded events. */
export interface AuditRunHistory {
  runId: string;
  events: AuditEvent[];
}

/** Why a Signal's outcome is `unknown`. */
const UNKNOWN_PENDING =
  'the graph does not publish its pauses (compile({ publishPauses: false })) and no Update reported what was pending';

/** The engine keeps this many rejected resumes (`ThreadState.rejectedResumes`); a full list may have lost older ones. */
const ENGINE_REJECTED_KEPT = 20;

interface Pending {
  id: string;
  node: string;
  schema?: Record<string, unknown>;
}

interface SignalRecord {
  entry: AuditEntry;
  match: CommandMatch;
  /** Time of the workflow task that handled it: the engine stamps its rejections with it. */
  handledAt?: string;
  /** Position of that task's completion in the event list. */
  handledPos?: number;
}

/** The human actions of one run, in history order. */
export function auditOfRun(run: AuditRunHistory, threadId: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let nodes: string[] | undefined;
  let pending: Pending[] = [];
  let pausedAt: 'interrupt' | 'before' | 'after' | undefined;
  /**
   * False while what is pending cannot be read from history: in a run of a graph compiled with `publishPauses:
   * false` (no memo), from its start and after each applied action, until an Update's ThreadState says.
   */
  let known = true;
  let published = true;
  const raised: Array<Extract<AuditEvent, { type: 'nodeInterrupted' }>> = [];
  const signals: SignalRecord[] = [];
  let unhandled: SignalRecord[] = [];
  const states: Array<{ pos: number; state: ThreadState }> = [];
  let taskStartedAt: Date | undefined;
  let closed: RunCloseStatus | undefined;
  const cancels: AuditEntry[] = [];

  const base = (event: { at: Date; eventId: string; identity: string }) => ({
    at: event.at.toISOString(),
    identity: event.identity,
    runId: run.runId,
    eventId: event.eventId,
  });
  const pendingView = () => pending.map((p) => ({ id: p.id, node: p.node }));
  /** What is pending can no longer be read from history (a graph that does not publish its pauses). */
  const forget = () => {
    known = false;
    pending = [];
    pausedAt = undefined;
  };
  const nodeOf = (id: string) => pending.find((p) => p.id === id)?.node ?? '?';
  /** The engine marks answered interrupts at once: a second command in the same workflow task no longer sees them. */
  const answer = (ids: readonly string[]) => {
    pending = pending.filter((p) => !ids.includes(p.id));
  };
  /** The engine's verdict on a command, recomputed with its own matching code. */
  const judge = (input: unknown): CommandMatch => {
    const goto = gotoOf(input);
    const match = matchCommand(input, { pending, ...(pausedAt ? { pausedAt } : {}), nodes: nodes ?? goto }, threadId);
    if (!match.ok) return match;
    for (const a of match.answers) {
      const target = pending.find((p) => p.id === a.id);
      const problem = target?.schema ? checkResponse(target.schema, a.value) : undefined;
      if (problem) {
        return {
          ok: false,
          reason: 'invalid',
          message: `Resume for interrupt "${a.id}" (node "${target!.node}", thread "${threadId}") does not match its response schema: ${problem}.`,
        };
      }
    }
    return match;
  };

  run.events.forEach((event, pos) => {
    switch (event.type) {
      case 'started': {
        const { input, spec } = event;
        if (spec) nodes = spec.nodes.map((n) => n.name);
        if (spec?.publishPauses === false) {
          published = false;
          forget();
        }
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
        nodes = event.nodes;
        if (!event.publishPauses) {
          published = false;
          forget();
        }
        break;
      case 'nodeInterrupted':
        raised.push(event);
        break;
      case 'memo': {
        const { memo } = event;
        if (!memo) {
          pending = [];
          pausedAt = undefined;
          break;
        }
        pending = (Array.isArray(memo.interrupts) ? memo.interrupts : []).map((i) => {
          const schema = [...raised]
            .reverse()
            .find((r) => r.node === i.node && isDeepStrictEqual(r.value, i.value))?.responseSchema;
          return schema ? { id: i.id, node: i.node, schema } : { id: i.id, node: i.node };
        });
        pausedAt = memo.status !== 'interrupted' ? undefined : (memo.breakpoint?.at ?? 'interrupt');
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
        // Unknown what was pending (publishPauses: false, no Update reported it): no verdict to recompute.
        const match: CommandMatch = known
          ? judge(event.input)
          : { ok: false, reason: 'invalid', message: UNKNOWN_PENDING };
        const entry: AuditEntry = {
          ...base(event),
          action: 'resume',
          via: 'signal',
          input: event.input,
          interrupts: match.ok ? match.answers.map((a) => ({ id: a.id, node: nodeOf(a.id), value: a.value })) : [],
          ...(known ? { pending: pendingView() } : {}),
          outcome: match.ok ? 'applied' : known ? 'rejected' : 'unknown',
          ...(match.ok ? {} : { reason: match.message }),
          outcomeFrom: known ? 'recomputed' : 'none',
          ...(event.sender ? { fromWorkflow: event.sender } : {}),
        };
        entries.push(entry);
        const record: SignalRecord = { entry, match };
        signals.push(record);
        unhandled.push(record);
        if (match.ok) answer(match.answers.map((a) => a.id));
        if (match.ok && !published) forget(); // the run goes on; its next pause is not in history
        break;
      }
      case 'update': {
        const entry: AuditEntry = {
          ...base(event),
          action: event.name,
          via: 'update',
          input: event.input,
          interrupts: [],
          ...(known ? { pending: pendingView() } : {}),
          outcome: 'applied',
          outcomeFrom: 'history',
        };
        if (event.name === 'resume') {
          const match = judge(event.input);
          // The server recorded it, so the engine's validator accepted it; without a match (a pause this view
          // could not see) the ids named in a resume map are still the answered ones.
          const answers = match.ok ? match.answers : answersNamedIn(event.input);
          entry.interrupts = answers.map((a) => ({ id: a.id, node: nodeOf(a.id), value: a.value }));
          answer(answers.map((a) => a.id));
        } else {
          // updateState with asNode completes that paused node (the first task of that name); without it, values only.
          const asNode = (event.input as { asNode?: unknown } | null)?.asNode;
          const completed = typeof asNode === 'string' ? pending.find((p) => p.node === asNode) : undefined;
          if (completed) {
            entry.interrupts = [{ id: completed.id, node: completed.node }];
            answer([completed.id]);
          }
        }
        entries.push(entry);
        if (!published) forget();
        break;
      }
      case 'state':
        states.push({ pos, state: event.state });
        if (!published) {
          // No memo: the stop this ThreadState describes is the record of what is pending.
          const { state } = event;
          if (state.status === 'running') forget();
          else {
            pending =
              state.status !== 'interrupted'
                ? []
                : state.tasks.flatMap((t) =>
                    (Array.isArray(t.interrupts) ? t.interrupts : [])
                      .filter(takesResumeValue)
                      .map((i) =>
                        i.response_schema
                          ? { id: i.id, node: t.name, schema: i.response_schema }
                          : { id: i.id, node: t.name },
                      ),
                  );
            pausedAt = state.status === 'interrupted' ? (state.pausedAt ?? 'interrupt') : undefined;
            known = true;
          }
        }
        break;
      case 'timerFired':
        // An interrupt's deadline may have answered it (onTimeout) and let the run go on.
        if (!published) forget();
        break;
      case 'terminated':
        entries.push({
          ...base(event),
          action: 'terminate',
          interrupts: known ? pendingView() : [],
          ...(known ? { pending: pendingView() } : {}),
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
          ...(known ? { pending: pendingView() } : {}),
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

/**
 * Replaces recomputed verdicts with the engine's own where a ThreadState recorded after the signal's workflow
 * task lists the run's rejected resumes: the engine stamps each with that task's time. Signals handled in the
 * same task are matched in order when the counts agree; otherwise (and when the list may have dropped old
 * entries) the recomputed verdict stays.
 */
function confirmWithEngineRecord(signals: SignalRecord[], states: Array<{ pos: number; state: ThreadState }>): void {
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

/** The `goto` node names of a command payload (treated as known when the graph's nodes are not). */
function gotoOf(input: unknown): string[] {
  const goto = (input as { goto?: unknown } | null)?.goto;
  const list = Array.isArray(goto) ? goto : goto === undefined ? [] : [goto];
  return list.filter((g): g is string => typeof g === 'string');
}

/** The `{ [interruptId]: value }` answers of a resume payload, when it has that form. */
function answersNamedIn(input: unknown): Array<{ id: string; value: unknown }> {
  const resume = (input as { resume?: unknown } | null)?.resume;
  return isResumeMap(resume) ? Object.entries(resume).map(([id, value]) => ({ id, value })) : [];
}

/** The audit trail of several runs (any order), oldest first. */
export function auditOf(runs: AuditRunHistory[], threadId: string): AuditEntry[] {
  const startOf = (run: AuditRunHistory) => {
    const started = run.events.find((e) => e.type === 'started');
    return started?.type === 'started' ? started.at.getTime() : 0;
  };
  return [...runs].sort((a, b) => startOf(a) - startOf(b)).flatMap((run) => auditOfRun(run, threadId));
}
