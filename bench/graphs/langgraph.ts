/**
 * The same two graphs on LangGraph.js (scenario C), compiled with a given checkpointer: the approval graph
 * (interrupt + Command resume) and the 10-node chain.
 */
import { Annotation, END, START, StateGraph, interrupt, type MemorySaver } from '@langchain/langgraph';
import type { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';

/** The checkpointers the benchmark compares. */
export type Checkpointer = MemorySaver | SqliteSaver;

const ApprovalState = Annotation.Root({
  request: Annotation<string>,
  proposed_action: Annotation<string | undefined>,
  approved: Annotation<boolean | undefined>,
  result: Annotation<string | undefined>,
});

/** propose → human_review (interrupt) → execute, as in examples/approval/graph.ts. */
export function langgraphApproval(checkpointer: Checkpointer) {
  return new StateGraph(ApprovalState)
    .addNode('propose', (s) => ({ proposed_action: `send email about ${s.request}` }))
    .addNode('human_review', (s) => {
      const answer = interrupt<{ question: string; proposed_action: string | undefined }, boolean>({
        question: 'Approve this action?',
        proposed_action: s.proposed_action,
      });
      return { approved: answer === true };
    })
    .addNode('execute', (s) => ({
      result: s.approved ? `EXECUTED: ${s.proposed_action}` : `REJECTED: ${s.proposed_action}`,
    }))
    .addEdge(START, 'propose')
    .addEdge('propose', 'human_review')
    .addEdge('human_review', 'execute')
    .addEdge('execute', END)
    .compile({ checkpointer });
}

const ChainState = Annotation.Root({ n: Annotation<number> });
const inc = (s: { n: number }) => ({ n: s.n + 1 });

/** n1 → … → n10, each adding 1 to `n`. */
export function langgraphChain(checkpointer: Checkpointer) {
  return new StateGraph(ChainState)
    .addNode('n1', inc)
    .addNode('n2', inc)
    .addNode('n3', inc)
    .addNode('n4', inc)
    .addNode('n5', inc)
    .addNode('n6', inc)
    .addNode('n7', inc)
    .addNode('n8', inc)
    .addNode('n9', inc)
    .addNode('n10', inc)
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
    .compile({ checkpointer });
}
