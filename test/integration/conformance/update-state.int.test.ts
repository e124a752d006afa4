/**
 * updateState (LangGraph R31-R34; our decision: never a silent drop of a pending interrupt).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { approvalGraph } from '../../../examples/approval/graph.js';
import { getStateQuery } from '../../../src/protocol/messages.js';
import { readStreamQuery } from '../../../src/protocol/stream.js';
import { threadId, withGraphs } from '../../helpers/env.js';

describe('updateState', () => {
  it('on a paused thread writes the values and keeps the interrupt pending with its id; the node sees them on resume (R31, decision)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('us-paused') } };
      const paused = await handle.invoke({ request: 'Q3' }, config);
      await handle.updateState(config, { proposed_action: 'send a shorter email' });
      const state = await handle.getState(config);
      assert.equal(state.values.proposed_action, 'send a shorter email');
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__, 'the interrupt is still pending, same id');
      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send a shorter email');
    });
  });

  it('with asNode = the paused node, counts as its output: it does not run again and invoke(null) continues (R32)', async () => {
    let reviews = 0;
    const graph = new StateGraph(
      z.object({ approved: z.boolean().optional(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
    )
      .addNode('review', () => {
        reviews++;
        return { approved: interrupt<boolean>('ok?') };
      })
      .addNode('after', (s) => ({ log: [`after:${s.approved}`] }))
      .addEdge(START, 'review')
      .addEdge('review', 'after')
      .addEdge('after', END)
      .compile({ name: 'update-as-node' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('us-asnode') } };
      await handle.invoke({}, config);
      await handle.updateState(config, { approved: true }, 'review');
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['after']);
      assert.equal(state.values.approved, true);
      const done = await handle.invoke(null, config);
      assert.deepEqual(done.log, ['after:true']);
      assert.equal(reviews, 1, 'the paused node never ran again');
    });
  });

  it('with two paused nodes, asNode completes one and the other stays paused: nothing is dropped (decision on R33)', async () => {
    const graph = new StateGraph(z.object({ x: z.string().optional(), y: z.string().optional() }))
      .addNode('x', () => ({ x: interrupt<string>('x?') }))
      .addNode('y', () => ({ y: interrupt<string>('y?') }))
      .addEdge(START, 'x')
      .addEdge(START, 'y')
      .compile({ name: 'update-two-paused' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('us-two') } };
      const paused = await handle.invoke({}, config);
      await handle.updateState(config, { x: 'edited' }, 'x');
      const state = await handle.getState(config);
      assert.deepEqual(
        state.tasks.filter((t) => t.interrupts.length).map((t) => t.name),
        ['y'],
      );
      const y = paused.__interrupt__!.find((i) => i.value === 'y?')!;
      const done = await handle.invoke(new Command({ resume: { [y.id]: 'answered' } }), config);
      assert.deepEqual(done, { x: 'edited', y: 'answered' });
    });
  });

  it("with asNode while another task stays paused, the thread does not resume and stop again: no visibility writes but the update's own, no second pause in the stream", async () => {
    const graph = new StateGraph(z.object({ x: z.string().optional(), y: z.string().optional() }))
      .addNode('x', () => ({ x: interrupt<string>('x?') }))
      .addNode('y', () => ({ y: interrupt<string>('y?') }))
      .addEdge(START, 'x')
      .addEdge(START, 'y')
      .compile({ name: 'update-one-of-two-paused' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('us-one-of-two');
      const config = { configurable: { thread_id: thread } };
      const run = client.temporal.workflow.getHandle(thread);
      const visibilityWrites = async () =>
        ((await run.fetchHistory()).events ?? []).filter(
          (e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes,
        ).length;
      const paused = await handle.invoke({}, config);
      const before = await run.query(getStateQuery);
      const writes = await visibilityWrites();
      // The stream after the pause: nothing yet.
      const streamed = await run.query(readStreamQuery, { modes: ['updates', 'values'], from: 0 });
      assert.equal(streamed.stopped, 'interrupted');

      await handle.updateState(config, { x: 'edited' }, 'x');

      const after = await run.query(getStateQuery);
      assert.equal(after.status, 'interrupted');
      assert.equal(after.stops, before.stops, 'no stop after the update: the run never resumed');
      assert.equal(
        (await visibilityWrites()) - writes,
        2,
        'one search-attribute and one memo write: the pending nodes changed',
      );
      assert.deepEqual(
        await run.query(readStreamQuery, { modes: ['updates', 'values'], from: streamed.next }),
        { chunks: [], next: streamed.next, more: false },
        'no second __interrupt__ chunk',
      );
      const y = paused.__interrupt__!.find((i) => i.value === 'y?')!;
      const done = await handle.invoke(new Command({ resume: { [y.id]: 'answered' } }), config);
      assert.deepEqual(done, { x: 'edited', y: 'answered' });
    });
  });

  it("with asNode while another task stays paused, the completed task's deadline no longer applies and the other's still does", async () => {
    const graph = new StateGraph(z.object({ x: z.string().optional(), y: z.string().optional() }))
      .addNode('x', () => ({ x: interrupt<string>('x?', { timeout: '1s' }) }))
      .addNode('y', () => ({ y: interrupt<string>('y?', { timeout: '3s', onTimeout: { resume: 'default' } }) }))
      .addEdge(START, 'x')
      .addEdge(START, 'y')
      .compile({ name: 'update-deadlines' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('us-deadlines');
      const config = { configurable: { thread_id: thread } };
      await client.graph(graph).invoke({}, config);
      await client.graph(graph).updateState(config, { x: 'edited' }, 'x');
      // x's deadline (1s, fail) would end the run; y's (3s) answers it with its default.
      const final = await client.temporal.workflow.getHandle(thread).result();
      assert.deepEqual(final.values, { x: 'edited', y: 'default' });
    });
  });

  it('refuses asNode for a node that does not exist or is not paused (R34)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('us-bad') } };
      await handle.invoke({ request: 'Q3' }, config);
      await assert.rejects(handle.updateState(config, { approved: true }, 'nope'), /Node "nope" does not exist/);
      await assert.rejects(handle.updateState(config, { approved: true }, 'execute'), /"execute" is not paused now/);
    });
  });

  it('on a finished thread writes the values in a new run, and with asNode pauses before its successors', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('us-finished') } };
      await handle.invoke({ request: 'Q3' }, config);
      await handle.invoke(new Command({ resume: false }), config);
      await handle.updateState(config, { approved: true }, 'human_review');
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['execute']);
      assert.equal(state.values.approved, true);
      const done = await handle.invoke(null, config);
      assert.equal(done.result, 'EXECUTED: send email about Q3');
    });
  });

  it('after asNode, getState shows source "update" and the successor as a pending task, with the id it then runs with (R32)', async () => {
    const ranWith: string[] = [];
    const graph = new StateGraph(
      z.object({ approved: z.boolean().optional(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
    )
      .addNode('review', () => ({ approved: interrupt<boolean>('ok?') }))
      .addNode('after', (s, config) => {
        ranWith.push(config.metadata.task_id);
        return { log: [`after:${s.approved}`] };
      })
      .addEdge(START, 'review')
      .addEdge('review', 'after')
      .addEdge('after', END)
      .compile({ name: 'update-as-node-tasks' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('us-asnode-tasks') } };
      await handle.invoke({}, config);
      assert.equal((await handle.getState(config)).metadata?.source, 'loop');
      await handle.updateState(config, { approved: true }, 'review');
      const state = await handle.getState(config);
      assert.equal(state.metadata?.source, 'update');
      assert.deepEqual(state.next, ['after']);
      assert.deepEqual(
        state.tasks.map((t) => ({ name: t.name, interrupts: t.interrupts })),
        [{ name: 'after', interrupts: [] }],
      );
      const done = await handle.invoke(null, config);
      assert.deepEqual(done.log, ['after:true']);
      assert.deepEqual(ranWith, [state.tasks[0]!.id], 'the task ran with the id getState showed');
      const final = await handle.getState(config);
      assert.equal(final.metadata?.source, 'loop', 'a step ran after the update');
      assert.deepEqual(final.tasks, []);
    });
  });

  it('without asNode: source "update" on a paused thread until a step completes, and on a finished thread (R31)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('us-source') } };
      await handle.invoke({ request: 'Q3' }, config);
      await handle.updateState(config, { proposed_action: 'send a shorter email' });
      const paused = await handle.getState(config);
      assert.equal(paused.metadata?.source, 'update');
      assert.deepEqual(paused.next, ['human_review']);
      await handle.invoke(new Command({ resume: true }), config);
      const finished = await handle.getState(config);
      assert.equal(finished.metadata?.source, 'loop');
      await handle.updateState(config, { result: 'edited after the end' });
      const edited = await handle.getState(config);
      assert.equal(edited.metadata?.source, 'update');
      assert.deepEqual(edited.next, []);
      assert.deepEqual(edited.tasks, []);
      assert.equal(edited.values.result, 'edited after the end');
    });
  });
});
