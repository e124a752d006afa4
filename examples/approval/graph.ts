/**
 * The seed approval graph: propose an action, ask a human, execute what was approved.
 */
// #region define
import { z } from 'zod';
import { END, START, StateGraph, interrupt } from 'durable-graph';

const State = z.object({
  request: z.string(),
  proposed_action: z.string().optional(),
  approved: z.boolean().optional(),
  result: z.string().optional(),
});

export const approvalGraph = new StateGraph(State)
  .addNode('propose', (s) => ({ proposed_action: `send email about ${s.request}` }))
  .addNode('human_review', (s) => {
    const answer = interrupt<boolean>({ question: 'Approve this action?', proposed_action: s.proposed_action });
    return { approved: answer === true };
  })
  .addNode('execute', (s) => ({
    result: s.approved ? `EXECUTED: ${s.proposed_action}` : `REJECTED: ${s.proposed_action}`,
  }))
  .addEdge(START, 'propose')
  .addEdge('propose', 'human_review')
  .addEdge('human_review', 'execute')
  .addEdge('execute', END)
  .compile({ name: 'approval' });
// #endregion define
