/**
 * What the audit trail reads: the events of one run, decoded from Temporal history by `audit-history.ts`. Types
 * only, so the decoder and the reconstruction agree on one shape.
 */
import type { ThreadMemo } from '../../protocol/memo.js';
import type { RunInput, ThreadState } from '../../protocol/payloads.js';
import type { GraphSpec } from '../../protocol/spec.js';
import type { WorkflowRef } from './audit-entry.js';
import type { RunCloseStatus } from './state-history-events.js';

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
