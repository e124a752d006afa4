import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

const State = z.object({
  draft: z.string().optional(),
  decision: z.enum(['approve', 'revise', 'reject']).optional(),
  log: withReducer(z.array(z.string()), appendReducer, () => []),
});

function buildGraph(calls: string[]) {
  return (
    new StateGraph(State)
      .addNode('write', (s) => {
        calls.push('write');
        return { draft: s.draft ? `${s.draft}+` : 'v1', log: ['write'] };
      })
      .addNode('review', () => {
        calls.push('review');
        const decision = interrupt<'approve' | 'revise' | 'reject'>({ question: 'approve, revise or reject?' });
        return { decision, log: [`review:${decision}`] };
      })
      .addNode('publish', () => ({ log: ['publish'] }))
      .addNode('discard', () => ({ log: ['discard'] }))
      .addEdge(START, 'write')
      .addEdge('write', 'review')
      // The router reads the review node's own fresh write (decision), as in LangGraph.
      .addConditionalEdges('review', (s) => s.decision ?? 'reject', {
        approve: 'publish',
        revise: 'write',
        reject: 'discard',
      })
      .addEdge('publish', END)
      .addEdge('discard', END)
      .compile({ name: 'routed-review' })
  );
}

describe('a conditional edge routing on the human answer', () => {
  it('follows the path map to the node the answer names, looping back on "revise"', async () => {
    const calls: string[] = [];
    const graph = buildGraph(calls);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('route') } };
      await handle.invoke({}, config);
      const again = await handle.invoke(new Command({ resume: 'revise' }), config);
      assert.ok(again.__interrupt__, 'revise loops back to write, then pauses at review again');
      assert.equal(again.draft, 'v1+');
      const done = await handle.invoke(new Command({ resume: 'approve' }), config);
      assert.deepEqual(done.log, ['write', 'review:revise', 'write', 'review:approve', 'publish']);
      assert.deepEqual(calls, ['write', 'review', 'review', 'write', 'review', 'review']);
    });
  });

  it('goes to the other branch on "reject"', async () => {
    const graph = buildGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('route-reject') } };
      await handle.invoke({}, config);
      const done = await handle.invoke(new Command({ resume: 'reject' }), config);
      assert.deepEqual(done.log, ['write', 'review:reject', 'discard']);
      assert.equal(done.decision, 'reject');
    });
  });
});
