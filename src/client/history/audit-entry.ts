/** What the audit trail returns: one entry per human action on a thread. */

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
