/**
 * Cheap nodes as local Activities: same results, one marker event per local segment instead of an Activity's three
 * plus a workflow task per node; and a run that never paused writes no status at its end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

function chain(local: boolean, name: string) {
  let graph = new StateGraph(
    z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) }),
  ) as StateGraph<z.ZodObject, string>;
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
          // The whole chain is one local segment, so one marker.
          assert.equal(events.filter((e) => e.markerRecordedEventAttributes).length, 1);
        }
        // Never paused: no status search attribute or memo written at the end.
        assert.equal(
          events.filter(
            (e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes,
          ).length,
          0,
        );
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
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        ['q'],
      );
      const done = await handle.invoke(new Command({ resume: 'a' }), config);
      assert.equal(done.answer, 'a');
    });
  });

  it('re-runs a paused node as a local Activity after its resume, unless the node says local: false', async () => {
    const build = (name: string, local?: boolean) =>
      new StateGraph(z.object({ q: z.string(), answer: z.string().optional(), done: z.boolean().optional() }))
        .addNode('ask', (s) => ({ answer: interrupt<string>(`${s.q}?`) }), local === undefined ? {} : { local })
        .addNode('finish', () => ({ done: true }))
        .addEdge(START, 'ask')
        .addEdge('ask', 'finish')
        .addEdge('finish', END)
        .compile({ name });
    const byDefault = build('rerun-local');
    const regular = build('rerun-regular', false);
    await withGraphs([byDefault, regular], async ({ client }) => {
      const kinds: Record<string, { scheduled: string[]; markers: number }> = {};
      for (const graph of [byDefault, regular]) {
        const handle = client.graph(graph);
        const config = { configurable: { thread_id: threadId(graph.name) } };
        await handle.invoke({ q: 'ship' }, config);
        const done = await handle.invoke(new Command({ resume: 'yes' }), config);
        assert.deepEqual({ answer: done.answer, done: done.done }, { answer: 'yes', done: true });
        const events = (await client.temporal.workflow.getHandle(config.configurable.thread_id).fetchHistory()).events!;
        kinds[graph.name] = {
          scheduled: events.flatMap((e) =>
            e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
          ),
          markers: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
        };
        // getStateHistory reads the local re-run's result from its marker: the paused step's task completed with it.
        const history = [];
        for await (const snapshot of handle.getStateHistory(config)) history.push(snapshot);
        const askStep = history.find((h) => h.next.length === 1 && h.next[0] === 'ask')!;
        assert.deepEqual(askStep.values, { q: 'ship' });
        assert.deepEqual(
          askStep.tasks.map((t) => [t.name, t.result]),
          [['ask', { answer: 'yes' }]],
        );
        assert.equal(askStep.tasks[0]!.interrupts[0]!.value, 'ship?');
      }
      // First run of ask and finish are regular Activities; ask's re-run is a marker unless local: false.
      assert.deepEqual(kinds['rerun-local'], { scheduled: ['ask', 'finish'], markers: 1 });
      assert.deepEqual(kinds['rerun-regular'], { scheduled: ['ask', 'ask', 'finish'], markers: 0 });
    });
  });

  it('keeps getStateHistory whole for a chain of local nodes (their results carry the task and its input state)', async () => {
    const graph = chain(true, 'chain-local-history');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('local-history') } };
      await handle.invoke({}, config);
      const history = [];
      for await (const snapshot of handle.getStateHistory(config)) history.push(snapshot);
      assert.deepEqual(
        history.map((h) => [
          h.metadata.step,
          h.next,
          h.values.log,
          h.tasks.map((t) => (t.name === START ? t.name : t.result)),
        ]),
        [
          [5, [], ['n0', 'n1', 'n2', 'n3', 'n4'], []],
          [4, ['n4'], ['n0', 'n1', 'n2', 'n3'], [{ log: ['n4'] }]],
          [3, ['n3'], ['n0', 'n1', 'n2'], [{ log: ['n3'] }]],
          [2, ['n2'], ['n0', 'n1'], [{ log: ['n2'] }]],
          [1, ['n1'], ['n0'], [{ log: ['n1'] }]],
          [0, ['n0'], [], [{ log: ['n0'] }]],
          [-1, [START], [], [START]],
        ],
      );
    });
  });
});
