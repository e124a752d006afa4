/**
 * Send fan-out (LangGraph R12, scenario q) and joins: map-reduce with per-branch input, Send workers
 * interrupting and answered by id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, Send, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { Annotation, Send as LangGraphSend, StateGraph as LangGraphStateGraph } from '@langchain/langgraph';
import { InvalidDestinationError } from '../../../src/errors.js';
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

  it('refuses a Send with no argument, from a router or a Command, naming the node (LangGraph.js ignores it: the task never runs)', async () => {
    const ran: unknown[] = [];
    const LangGraphState = Annotation.Root({ n: Annotation<number> });
    const langGraph = new LangGraphStateGraph(LangGraphState)
      .addNode('worker', (input: unknown) => {
        ran.push(input);
        return {};
      })
      .addConditionalEdges(START, () => [new LangGraphSend('worker', undefined)])
      .compile();
    const warn = console.warn;
    console.warn = () => {};
    try {
      assert.deepEqual(await langGraph.invoke({ n: 1 }), { n: 1 });
    } finally {
      console.warn = warn;
    }
    assert.equal(ran.length, 0, 'LangGraph.js drops the Send');

    const worker = (input: unknown) => {
      ran.push(input);
      return {};
    };
    const fromRouter = new StateGraph(State)
      .addNode('plan', () => ({}))
      .addNode('joke', worker)
      .addEdge(START, 'plan')
      .addConditionalEdges('plan', () => [new Send('joke', undefined)])
      .compile({ name: 'send-no-arg-router' });
    const fromCommand = new StateGraph(State)
      .addNode('plan', () => new Command({ goto: [new Send('joke', undefined)] }), { ends: ['joke'] })
      .addNode('joke', worker)
      .addEdge(START, 'plan')
      .compile({ name: 'send-no-arg-command' });
    await withGraphs([fromRouter, fromCommand], async ({ client }) => {
      for (const graph of [fromRouter, fromCommand]) {
        await assert.rejects(
          client.graph(graph).invoke({}, { configurable: { thread_id: threadId('send-no-arg') } }),
          (error: unknown) => {
            assert.ok(error instanceof InvalidDestinationError, String(error));
            assert.equal(error.node, 'plan');
            assert.match(error.message, /sends to node "joke" with no argument/);
            return true;
          },
        );
      }
      assert.equal(ran.length, 0, "the Send's node never ran");
    });
  });
});
