/**
 * Test-only graphs whose threads are recorded in `histories/` (by record.ts). Replay itself runs no node
 * code, but keep these definitions as they are: they document what each history exercised, and the
 * recorder needs them to record new files. Change a graph only together with a new name and new files.
 */
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../src/index.js';

/** One node, two `interrupt()` calls: needs two resumes; the node body runs three times. */
export const twoQuestionsGraph = new StateGraph(z.object({ name: z.string().optional(), age: z.number().optional() }))
  .addNode('ask', () => {
    const name = interrupt<string>({ question: 'name?' });
    const age = interrupt<number>({ question: `age of ${name}?` });
    return { name, age };
  })
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'replay-two-questions' });

const RoutingState = z.object({
  topic: z.string(),
  path: withReducer(z.array(z.string()), appendReducer, () => []),
  score: withReducer(z.number(), (current: number, update: number) => current + update, () => 0),
  summary: z.string().optional(),
});

/**
 * No interrupts; every kind of routing: a conditional edge from START (the `routeStart` local
 * Activity) fanning out to two nodes, a join, a custom reducer (the `applyWrites` local Activity), a
 * conditional edge with a path map, and a Command goto.
 */
export const routingGraph = new StateGraph(RoutingState)
  .addNode('left', () => ({ path: ['left'], score: 1 }))
  .addNode('right', () => ({ path: ['right'], score: 2 }))
  .addNode('merge', (s) => ({ path: ['merge'], summary: `score ${s.score}` }))
  .addNode('celebrate', () => new Command({ update: { path: ['celebrate'] }, goto: 'wrapup' }), { ends: ['wrapup'] })
  .addNode('wrapup', () => ({ path: ['wrapup'] }))
  .addConditionalEdges(START, (s) => (s.topic === 'both' ? ['left', 'right'] : ['left']))
  .addEdge(['left', 'right'], 'merge')
  .addConditionalEdges('merge', (s) => (s.score > 2 ? 'high' : 'low'), { high: 'celebrate', low: END })
  .addEdge('wrapup', END)
  .compile({ name: 'replay-routing' });

/** Two nodes that interrupt in the same superstep, then a join: answered by id (resume map), one at a time. */
export const parallelQuestionsGraph = new StateGraph(
  z.object({ left: z.string().optional(), right: z.string().optional(), both: z.string().optional() }),
)
  .addNode('askLeft', () => ({ left: interrupt<string>({ side: 'left' }) }))
  .addNode('askRight', () => ({ right: interrupt<string>({ side: 'right' }) }))
  .addNode('combine', (s) => ({ both: `${s.left}+${s.right}` }))
  .addEdge(START, 'askLeft')
  .addEdge(START, 'askRight')
  .addEdge(['askLeft', 'askRight'], 'combine')
  .addEdge('combine', END)
  .compile({ name: 'replay-parallel-questions' });

/** A node that always fails: retried once, then the run fails with NODE_FAILED. */
export const failingGraph = new StateGraph(z.object({ attempts: z.number().optional() }))
  .addNode('flaky', () => {
    throw new TypeError('the downstream service is down');
  }, { retryPolicy: { maxAttempts: 2, initialInterval: 10 } })
  .addEdge(START, 'flaky')
  .compile({ name: 'replay-failing' });
