import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt, isInterrupted } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

describe('several interrupt() calls in one node', () => {
  it('returns the k-th resume value to the k-th interrupt() and re-runs the node from its first line (3 runs for 2 interrupts)', async () => {
    let bodyStarts = 0;
    const graph = new StateGraph(z.object({ name: z.string().optional(), age: z.number().optional() }))
      .addNode('ask', () => {
        bodyStarts++;
        const name = interrupt<string>({ question: 'name?' });
        const age = interrupt<number>({ question: `age of ${name}?` });
        return { name, age };
      })
      .addEdge(START, 'ask')
      .addEdge('ask', END)
      .compile({ name: 'two-questions' });

    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('ask') } };
      const first = await handle.invoke({}, config);
      assert.ok(isInterrupted(first));
      assert.deepEqual(
        first.__interrupt__.map((i) => i.value),
        [{ question: 'name?' }],
      );

      const second = await handle.invoke(new Command({ resume: 'Ada' }), config);
      assert.ok(isInterrupted(second));
      assert.deepEqual(
        second.__interrupt__.map((i) => i.value),
        [{ question: 'age of Ada?' }],
      );
      assert.notEqual(second.__interrupt__[0]!.id, first.__interrupt__[0]!.id, 'each interrupt gets its own id');

      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['ask'], 'unlike LangGraph (R8), next names the paused node');
      assert.deepEqual(state.tasks[0]!.interrupts, second.__interrupt__);

      const done = await handle.invoke(new Command({ resume: 36 }), config);
      assert.equal(isInterrupted(done), false);
      assert.deepEqual({ name: done.name, age: done.age }, { name: 'Ada', age: 36 });
      assert.equal(bodyStarts, 3);
    });
  });

  it('delivers falsy resume values (false, 0, "") unchanged', async () => {
    const seen: unknown[] = [];
    const graph = new StateGraph(z.object({ n: z.number().default(0) }))
      .addNode('ask', () => {
        seen.length = 0;
        seen.push(interrupt('a'), interrupt('b'), interrupt('c'));
        return { n: 1 };
      })
      .addEdge(START, 'ask')
      .compile({ name: 'falsy-resumes' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('falsy') } };
      await handle.invoke({}, config);
      await handle.invoke(new Command({ resume: false }), config);
      await handle.invoke(new Command({ resume: 0 }), config);
      const done = await handle.invoke(new Command({ resume: '' }), config);
      assert.deepEqual(seen, [false, 0, '']);
      assert.equal(done.n, 1);
    });
  });
});
