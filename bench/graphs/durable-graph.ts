/**
 * The graphs scenario A runs on durable-graph: the seed's approval graph (imported from the example, unchanged) and
 * a 10-node linear chain with trivial nodes.
 */
import { z } from 'zod';
import { END, START, StateGraph, interrupt } from 'durable-graph';
import { approvalGraph } from '../../examples/approval/graph.js';

export { approvalGraph };

const ApprovalState = z.object({
  request: z.string(),
  proposed_action: z.string().optional(),
  approved: z.boolean().optional(),
  result: z.string().optional(),
});

/**
 * The seed's approval graph (the same nodes and edges) compiled with `publishPauses: false`: its pause writes no
 * search attributes and no memo. What the engine costs without the ops contract's visibility.
 */
export const approvalQuietGraph = new StateGraph(ApprovalState)
  .addNode('propose', (s) => ({ proposed_action: `send email about ${s.request}` }))
  .addNode('human_review', (s) => ({
    approved: interrupt<boolean>({ question: 'Approve this action?', proposed_action: s.proposed_action }) === true,
  }))
  .addNode('execute', (s) => ({ result: `${s.approved ? 'EXECUTED' : 'REJECTED'}: ${s.proposed_action}` }))
  .addEdge(START, 'propose')
  .addEdge('propose', 'human_review')
  .addEdge('human_review', 'execute')
  .addEdge('execute', END)
  .compile({ name: 'approval_quiet', publishPauses: false });

const ChainState = z.object({ n: z.number() });
const inc = (s: { n: number }) => ({ n: s.n + 1 });

/** n1 → n2 → … → n10, each adding 1 to `n`; with `local`, every node runs as a local Activity. */
function chain(name: string, local: boolean) {
  const options = { local };
  return new StateGraph(ChainState)
    .addNode('n1', inc, options)
    .addNode('n2', inc, options)
    .addNode('n3', inc, options)
    .addNode('n4', inc, options)
    .addNode('n5', inc, options)
    .addNode('n6', inc, options)
    .addNode('n7', inc, options)
    .addNode('n8', inc, options)
    .addNode('n9', inc, options)
    .addNode('n10', inc, options)
    .addEdge(START, 'n1')
    .addEdge('n1', 'n2')
    .addEdge('n2', 'n3')
    .addEdge('n3', 'n4')
    .addEdge('n4', 'n5')
    .addEdge('n5', 'n6')
    .addEdge('n6', 'n7')
    .addEdge('n7', 'n8')
    .addEdge('n8', 'n9')
    .addEdge('n9', 'n10')
    .addEdge('n10', END)
    .compile({ name });
}

export const chainGraph = chain('bench_chain10', false);

/** The same chain with cheap nodes as local Activities (issue 4: the option for trivial nodes). */
export const chainLocalGraph = chain('bench_chain10_local', true);
