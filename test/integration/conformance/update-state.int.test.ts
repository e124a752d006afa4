/**
 * updateState (LangGraph R31-R34; our decision: never a silent drop of a pending interrupt).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { approvalGraph } from '../../../examples/approval/graph.js';
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
