/** What the audit trail returns: one entry per human action on a thread. */

/** What a person (or a service acting for one) did to a thread. */
export type AuditAction = 'start' | 'resume' | 'updateState' | 'terminate' | 'cancel' | 'rewind';

/**
 * An interrupt an action concerned: answered (resume), completed by an edit (updateState with asNode), abandoned
 * (terminate), pending again (rewind).
 */
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
   * Temporal records none for a reset: a rewind's identity is read from its reason (`GraphHandle.rewind` writes it
   * there; `temporal workflow reset` puts the OS user name in front of the reason), else empty.
   */
  identity: string;
  action: AuditAction;
  /** How a resume or edit arrived: a Signal (recorded even when refused) or a validated Update. */
  via?: 'signal' | 'update';
  /** A Signal under a name the engine does not know (`Resume`): always refused. */
  signalName?: string;
  /**
   * What was sent: the `resume` payload (`{"resume": …, "update"?: …, "goto"?: …}`), the `updateState` input
   * (`{"values": …, "asNode"?: …}`), the run's input for a start (`{"input": …}` or `{"command": …}`).
   */
  input?: unknown;
  /**
   * The interrupts it answered (resume), completed (updateState with asNode) or abandoned (terminate); for a rewind,
   * the interrupts pending once the rewound run settled (the pause it re-opened).
   */
  interrupts: AuditInterrupt[];
  /**
   * A rewind: the pause it went back to, as that interrupt was answered before. Its id differs from the re-opened
   * one (`interrupts`) when the answer was a Signal that came right after the pause (see `GraphHandle.rewind`).
   */
  rewoundTo?: { id: string; node: string };
  /** A rewind: the answers it undid (applied after the point it went back to), with their values. */
  undone?: AuditInterrupt[];
  /** Set on an action a later rewind undid: that rewind's run and event. */
  undoneBy?: { runId: string; eventId: string };
  /** The interrupts pending when the engine received it (resume, updateState, terminate, cancel). */
  pending?: Array<{ id: string; node: string }>;
  /**
   * `applied`; `rejected` (a Signal the engine refused: nothing changed); `unprocessed` (a Signal no worker
   * has handled yet, or a cancel request the run has not acted on); `unknown` (a Signal to a graph compiled with
   * `publishPauses: false` when history holds neither what was pending nor the engine's verdict).
   */
  outcome: 'applied' | 'rejected' | 'unprocessed' | 'unknown';
  /** Why it was rejected or not processed; the reason given for a termination, cancellation or rewind. */
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
