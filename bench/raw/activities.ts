/**
 * Plain Temporal activities of the hand-written workflows (scenario B). Bodies are as trivial as the graph's nodes.
 */
import type { ApprovalQuestion, ApprovalState, ChainState } from './shared.js';

/** Node `propose`. */
export async function propose(state: ApprovalState): Promise<Pick<ApprovalState, 'proposed_action'>> {
  return { proposed_action: `send email about ${state.request}` };
}

/** Node `human_review`, the part before the interrupt: builds the question to ask. */
export async function humanReview(state: ApprovalState): Promise<ApprovalQuestion> {
  return { question: 'Approve this action?', proposed_action: state.proposed_action };
}

/** human_review run again with the human's answer, as LangGraph re-runs an interrupted node (variant `rerun`). */
export async function reviewAnswer(state: ApprovalState, answer: unknown): Promise<Pick<ApprovalState, 'approved'>> {
  return { approved: answer === true };
}

/** Node `execute`. */
export async function execute(state: ApprovalState): Promise<Pick<ApprovalState, 'result'>> {
  return { result: state.approved ? `EXECUTED: ${state.proposed_action}` : `REJECTED: ${state.proposed_action}` };
}

/** One node of the chain. */
export async function step(state: ChainState): Promise<ChainState> {
  return { n: state.n + 1 };
}
