/**
 * Contract of the hand-written Temporal workflows (scenario B): Update and Query definitions and payload types,
 * shared by the workflows (bundled, sandboxed), the activities and the benchmark's client. Sandbox-safe.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** State of the approval graph, the same fields as examples/approval/graph.ts. */
export interface ApprovalState {
  request: string;
  proposed_action?: string;
  approved?: boolean;
  result?: string;
}

/** What the human is asked (the interrupt payload of the durable-graph version). */
export interface ApprovalQuestion {
  question: string;
  proposed_action: string | undefined;
}

/** What the Updates and the Query return: the state, and the pending question while paused. */
export interface ApprovalView {
  status: 'running' | 'interrupted' | 'completed';
  values: ApprovalState;
  interrupt?: ApprovalQuestion;
}

/** State of the 10-node chain. */
export interface ChainState {
  n: number;
}

/** Waits until the run pauses for the human (or ends); used with Update-with-Start. */
export const awaitPauseUpdate = defineUpdate<ApprovalView>('awaitPause');

/** Answers the pending question and returns when the run has ended. Rejected (nothing recorded) when nothing is pending. */
export const resumeUpdate = defineUpdate<ApprovalView, [{ resume: unknown }]>('resume');

/** Current state, like durable-graph's `getState`. */
export const getStateQuery = defineQuery<ApprovalView>('getState');

/** Waits until the chain has ended and returns its state; used with Update-with-Start. */
export const awaitResultUpdate = defineUpdate<ChainState>('awaitResult');

/** Number of nodes in the chain scenario (D). */
export const CHAIN_LENGTH = 10;
