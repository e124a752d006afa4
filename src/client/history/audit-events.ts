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
  /**
   * A node's (regular) Activity returned an interrupt: its schema checks answers as the engine does, and when it was
   * scheduled tells a rewind whether the interrupt keeps its id.
   */
  | {
      type: 'nodeInterrupted';
      node: string;
      value: unknown;
      responseSchema?: Record<string, unknown>;
      scheduledEventId: string;
    }
  /** The run's engine level, from the marker its worker recorded (a run without one is level 0). */
  | { type: 'engineLevel'; level: number }
  /** A timer fired: an interrupt's deadline (`interrupt(value, { timeout })`) may have resumed the run. */
  | { type: 'timerFired' }
  /**
   * `memo: null`: the memo was removed (on resume, once nothing is pending). `at`, `eventId` and `taskEventId` (the
   * WorkflowTaskCompleted whose commands wrote it) place a pause in history, for a rewind.
   */
  | { type: 'memo'; memo: ThreadMemo | null; at?: Date; eventId?: string; taskEventId?: string }
  | { type: 'workflowTaskStarted'; at: Date; eventId?: string }
  | { type: 'workflowTaskCompleted'; eventId?: string; startedEventId?: string }
  /** A workflow task that failed or timed out (not by a reset): a reset may still go back to it. */
  | { type: 'workflowTaskFailed'; eventId: string; startedEventId: string }
  /**
   * The run was made by a reset (Temporal's, which `rewind` sends): the events before it are copies of the base
   * run's up to `boundary` (the reset workflow task's WorkflowTaskScheduled event id). Temporal records no identity for
   * a reset (the event says `history-service`); `identity` and `rewoundTo` come from the reason (see
   * `rewind-reason.ts`).
   */
  | {
      type: 'reset';
      at: Date;
      eventId: string;
      identity: string;
      reason: string;
      baseRunId: string;
      newRunId: string;
      boundary: number;
      rewoundTo?: { id: string; node: string };
    }
  /** A Signal: `resume`, or (with `name`) one under a name the engine does not know, which it refuses. */
  | {
      type: 'signal';
      at: Date;
      eventId: string;
      identity: string;
      input: unknown;
      sender?: WorkflowRef;
      name?: string;
    }
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
