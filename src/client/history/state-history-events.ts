/**
 * What getStateHistory reads: the events of one run, decoded from Temporal history by `decode.ts`. Types only,
 * so the decoder and the reconstruction agree on one shape.
 */
import type { ThreadMemo } from '../../protocol/memo.js';
import type { LocalRunReceipt, NodeResult, NodeTask, RunInput, ThreadState } from '../../protocol/payloads.js';
import type { GraphSpec } from '../../protocol/spec.js';

/** How a run ended, as Temporal reports it. */
export type RunCloseStatus = 'completed' | 'failed' | 'terminated' | 'canceled' | 'timed_out' | 'continued_as_new';

/** An error as history shows it (a failed node, a failed run). */
export interface HistoryError {
  name: string;
  message: string;
}

/** The events of one run that snapshots are built from, with their payloads decoded (see `decode.ts`). */
export type RunEvent =
  /** `spec`: the one the start event recorded (absent for a run started by name). */
  | { type: 'started'; at: Date; input: RunInput; spec?: GraphSpec }
  /** A node's Activity: its input, with the node (the Activity Type) and the task id (the Activity Id) filled in. */
  | { type: 'nodeScheduled'; at: Date; eventId: string; task: NodeTask & { node: string; taskId: string } }
  | { type: 'nodeCompleted'; at: Date; scheduledEventId: string; result: NodeResult }
  | { type: 'nodeFailed'; at: Date; scheduledEventId: string; error: HistoryError }
  /** A node run as a local Activity (its result carries the task's id and step, sometimes its input state; the node is the marker's Activity Type). */
  | { type: 'nodeRanLocally'; at: Date; receipt: LocalRunReceipt & { node: string }; result: NodeResult }
  | { type: 'memo'; at: Date; memo: ThreadMemo }
  /** A ThreadState recorded as the outcome of an Update (`awaitStop`, `resume`): the thread at a stop. */
  | { type: 'stopState'; at: Date; state: ThreadState }
  /** The ThreadState an `updateState` Update returned: the paused thread right after the edit. */
  | { type: 'stateUpdated'; at: Date; eventId: string; state: ThreadState }
  | { type: 'closed'; at: Date; status: RunCloseStatus; result?: ThreadState; error?: HistoryError };

/** One run of a thread (one Temporal Run of the thread's Workflow Id) and its decoded events, in history order. */
export interface RunHistory {
  runId: string;
  events: RunEvent[];
}
