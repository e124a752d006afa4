/**
 * Cheap nodes as local Activities (issue 4): same results, one marker event per node instead of an
 * Activity's three plus a workflow task; and a run that never paused writes no status at its end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

function chain(local: boolean, name: string) {
  let graph = new StateGraph(z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) })) as StateGraph<z.ZodObject, string>;
  for (let i = 0; i < 5; i++) graph = graph.addNode(`n${i}`, () => ({ log: [`n${i}`] }), { local });
  graph = graph.addEdge(START, 'n0');
  for (let i = 0; i < 4; i++) graph = graph.addEdge(`n${i}`, `n${i + 1}`);
  return graph.addEdge('n4', END).compile({ name });
}

describe('nodes run as local Activities', () => {
  it('give the same result as regular nodes with far fewer history events', async () => {
    const regular = chain(false, 'chain-regular');
    const local = chain(true, 'chain-local');
    await withGraphs([regular, local], async ({ client }) => {
      const counts: number[] = [];
      for (const graph of [regular, local]) {
        const thread = threadId(graph.name);
        const done = await client.graph(graph).invoke({}, { configurable: { thread_id: thread } });
        assert.deepEqual(done.log, ['n0', 'n1', 'n2', 'n3', 'n4']);
        const events = (await client.temporal.workflow.getHandle(thread).fetchHistory()).events!;
        if (graph === local) {
          assert.equal(events.filter((e) => e.activityTaskScheduledEventAttributes).length, 0);
          assert.equal(events.filter((e) => e.markerRecordedEventAttributes).length, 5);
        }
        // Never paused: no status search attribute or memo written at the end.
        assert.equal(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes).length, 0);
        counts.push(events.length);
      }
      assert.ok(counts[1]! < counts[0]! / 2, `local chain: ${counts[1]} events, regular: ${counts[0]}`);
    });
  });

  it('can interrupt and resume like any node', async () => {
    const graph = new StateGraph(z.object({ answer: z.string().optional() }))
      .addNode('ask', () => ({ answer: interrupt<string>('q') }), { local: true })
      .addEdge(START, 'ask')
      .compile({ name: 'local-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('local-int') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(paused.__interrupt__!.map((i) => i.value), ['q']);
      const done = await handle.invoke(new Command({ resume: 'a' }), config);
      assert.equal(done.answer, 'a');
    });
  });
});
