/**
 * Send fan-out (LangGraph R12, scenario q) and joins: map-reduce with per-branch input, Send workers
 * interrupting and answered by id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, Send, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const State = z.object({
  topics: z.array(z.string()).default([]),
  jokes: withReducer(z.array(z.string()), appendReducer, () => []),
  best: z.string().optional(),
});

describe('Send fan-out', () => {
  it('runs one task per Send with its own input, then joins the results through the reducer', async () => {
    const inputs: unknown[] = [];
    const graph = new StateGraph(State)
      .addNode('plan', () => ({ topics: ['cats', 'dogs', 'owls'] }))
      .addNode('joke', (arg) => {
        inputs.push(arg);
        return { jokes: [`a joke about ${(arg as unknown as { topic: string }).topic}`] };
      })
      .addNode('pick', (s) => ({ best: s.jokes[0] }))
      .addEdge(START, 'plan')
      .addConditionalEdges('plan', (s) => s.topics.map((topic) => new Send('joke', { topic })))
      .addEdge('joke', 'pick')
      .addEdge('pick', END)
      .compile({ name: 'map-reduce' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('send') } });
      assert.deepEqual(inputs, [{ topic: 'cats' }, { topic: 'dogs' }, { topic: 'owls' }]);
      assert.deepEqual(done.jokes, ['a joke about cats', 'a joke about dogs', 'a joke about owls']);
      assert.equal(done.best, 'a joke about cats');
    });
  });

  it('shows one pending task per interrupted Send worker (next repeats the node, R12) and resumes them by id', async () => {
    const graph = new StateGraph(State)
      .addNode('review', (arg) => {
        const topic = (arg as unknown as { topic: string }).topic;
        return { jokes: [`${topic}:${interrupt<string>({ topic })}`] };
      })
      .addConditionalEdges(START, (s) => s.topics.map((topic) => new Send('review', { topic })))
      .addEdge('review', END)
      .compile({ name: 'send-interrupts' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('send-int') } };
      const paused = await handle.invoke({ topics: ['a', 'b'] }, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        [{ topic: 'a' }, { topic: 'b' }],
      );
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['review', 'review']);
      const [a, b] = paused.__interrupt__!;
      const done = await handle.invoke(new Command({ resume: { [a!.id]: 'ok', [b!.id]: 'no' } }), config);
      assert.deepEqual(done.jokes, ['a:ok', 'b:no']);
    });
  });

  it('sends from a node through Command({ goto: Send }) as well', async () => {
    const graph = new StateGraph(State)
      .addNode('plan', () => new Command({ update: { topics: ['x'] }, goto: [new Send('joke', { topic: 'x' })] }), {
        ends: ['joke'],
      })
      .addNode('joke', (arg) => ({ jokes: [`sent ${(arg as unknown as { topic: string }).topic}`] }))
      .addEdge(START, 'plan')
      .compile({ name: 'command-send' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('cmd-send') } });
      assert.deepEqual(done.jokes, ['sent x']);
      assert.deepEqual(done.topics, ['x']);
    });
  });
});
