import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';
const Parent = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []), note: z.string().optional() });
const Child = Parent.extend({ childOnly: z.string().optional() });
const child = new StateGraph(Child)
  .addNode('c1', () => ({ log: ['c1'], note: 'from c1', childOnly: 'x' }))
  .addNode('c2', () => new Command({ graph: Command.PARENT, goto: 'other', update: { log: ['c2'], note: 'from c2' } }))
  .addNode('c3', () => ({ log: ['c3'] }))
  .addEdge(START, 'c1').addEdge('c1', 'c2').addEdge('c2', 'c3').addEdge('c3', END)
  .compile({ name: 'dbg-child' });
const parent = new StateGraph(Parent)
  .addNode('pre', () => ({ log: ['pre'] }))
  .addNode('sub', child, { ends: ['other'] })
  .addNode('other', () => ({ log: ['other'] }))
  .addNode('post', () => ({ log: ['post'] }))
  .addEdge(START, 'pre').addEdge('pre', 'sub').addEdge('sub', 'post').addEdge('post', END).addEdge('other', END)
  .compile({ name: 'dbg-parent' });
await withGraphs([parent], async ({ client }) => {
  const thread = threadId('dbg');
  const config = { configurable: { thread_id: thread } };
  await client.graph(parent).invoke({}, config);
  for await (const s of client.graph(parent).getStateHistory(config)) console.log('P', JSON.stringify({ step: s.metadata.step, next: s.next, tasks: s.tasks }));
  const kids: string[] = [];
  for await (const e of client.temporal.workflow.list({ query: `ParentWorkflowId="${thread}"` })) kids.push(e.workflowId);
  console.log(kids);
  for (const k of kids) for await (const s of client.graph('dbg-child').getStateHistory({ configurable: { thread_id: k } })) console.log('C', JSON.stringify({ step: s.metadata.step, next: s.next, values: s.values, tasks: s.tasks }));
});
process.exit(0);
