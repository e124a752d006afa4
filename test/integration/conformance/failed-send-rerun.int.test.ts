/**
 * invoke(null) after a step failed (LangGraph R25 on a failed thread, R12 for Send tasks, R42 for completed
 * siblings): the step's unfinished tasks run again in a new run, a `Send` task with its own argument (and the
 * resume values it had received, R13), while the tasks that completed keep their writes, applied in task order.
 * Each scenario also runs on @langchain/langgraph 1.7.3 (MemorySaver): calls and final state must match.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Annotation,
  Command as LangGraphCommand,
  MemorySaver,
  Send as LangGraphSend,
  StateGraph as LangGraphStateGraph,
  interrupt as langGraphInterrupt,
} from '@langchain/langgraph';
import { z } from 'zod';
import { Command, START, Send, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { NodeFailedError } from '../../../src/errors.js';
import { threadId, withGraphs } from '../../helpers/env.js';

type Topic = { topic: string };

/** What both engines saw: node calls (a Send task's argument, or the node name) before and after invoke(null), and the final state. */
interface Outcome {
  failedCalls: unknown[];
  rerunCalls: unknown[];
  final: Record<string, unknown>;
}

/** plan → three Sends to joke (a, b, c) + sibling; joke and sibling → pick. `broken` jokes throw until fixed. */
function ours(name: string, calls: unknown[], broken: Set<string>) {
  const State = z.object({
    topics: z.array(z.string()).default([]),
    jokes: withReducer(z.array(z.string()), appendReducer, () => []),
    best: z.string().optional(),
  });
  return new StateGraph(State)
    .addNode('plan', () => ({ topics: ['a', 'b', 'c'] }))
    .addNode(
      'joke',
      (arg) => {
        const { topic } = arg as unknown as Topic;
        calls.push({ topic });
        if (broken.has(topic)) throw new Error(`no joke about ${topic}`);
        return { jokes: [`joke ${topic}`] };
      },
      { retryPolicy: { maxAttempts: 1 } },
    )
    .addNode('sibling', () => {
      calls.push('sibling');
      return { best: 'sibling' };
    })
    .addNode('pick', (s) => {
      calls.push('pick');
      return { best: s.jokes.join(',') };
    })
    .addEdge(START, 'plan')
    .addConditionalEdges('plan', (s) => [...s.topics.map((topic) => new Send('joke', { topic })), 'sibling'])
    .addEdge('joke', 'pick')
    .addEdge('sibling', 'pick')
    .compile({ name });
}

async function langGraph(brokenTopics: string[]): Promise<Outcome> {
  const calls: unknown[] = [];
  const broken = new Set(brokenTopics);
  const State = Annotation.Root({
    topics: Annotation<string[]>({ reducer: (_a, b) => b, default: () => [] }),
    jokes: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    best: Annotation<string>(),
  });
  const graph = new LangGraphStateGraph(State)
    .addNode('plan', () => ({ topics: ['a', 'b', 'c'] }))
    .addNode('joke', (arg: Topic) => {
      calls.push({ topic: arg.topic });
      if (broken.has(arg.topic)) throw new Error(`no joke about ${arg.topic}`);
      return { jokes: [`joke ${arg.topic}`] };
    })
    .addNode('sibling', () => {
      calls.push('sibling');
      return { best: 'sibling' };
    })
    .addNode('pick', (s) => {
      calls.push('pick');
      return { best: s.jokes.join(',') };
    })
    .addEdge('__start__', 'plan')
    .addConditionalEdges('plan', (s) => [...s.topics.map((topic) => new LangGraphSend('joke', { topic })), 'sibling'])
    .addEdge('joke', 'pick')
    .addEdge('sibling', 'pick')
    .compile({ checkpointer: new MemorySaver() });
  const config = { configurable: { thread_id: 'lg' } };
  await assert.rejects(graph.invoke({}, config));
  const failedCalls = calls.splice(0);
  broken.clear();
  const final = (await graph.invoke(null, config)) as Record<string, unknown>;
  return { failedCalls, rerunCalls: calls, final };
}

async function durableGraph(brokenTopics: string[]): Promise<Outcome> {
  const calls: unknown[] = [];
  const broken = new Set(brokenTopics);
  const graph = ours(`send-rerun-${brokenTopics.join('')}`, calls, broken);
  return withGraphs([graph], async ({ client }) => {
    const handle = client.graph(graph);
    const config = { configurable: { thread_id: threadId('send-rerun') } };
    await assert.rejects(handle.invoke({}, config), NodeFailedError);
    const failedCalls = calls.splice(0);
    broken.clear();
    const final = await handle.invoke(null, config);
    return { failedCalls, rerunCalls: calls, final };
  });
}

/** Parallel tasks finish in any order on a worker; compare the calls of one invoke as a multiset. */
function sorted(calls: unknown[]): string[] {
  return calls.map((c) => JSON.stringify(c)).sort();
}

describe('invoke(null) after a Send task failed', () => {
  it('re-runs only the failed Send task, with its own argument; completed Sends and siblings keep their writes, in task order (as LangGraph)', async () => {
    const expected = await langGraph(['b']);
    const got = await durableGraph(['b']);
    assert.deepEqual(expected.rerunCalls, [{ topic: 'b' }, 'pick']);
    assert.deepEqual(sorted(got.failedCalls), sorted(expected.failedCalls));
    assert.deepEqual(got.rerunCalls, expected.rerunCalls);
    assert.deepEqual(got.final, expected.final);
    assert.deepEqual(got.final, {
      topics: ['a', 'b', 'c'],
      jokes: ['joke a', 'joke b', 'joke c'],
      best: 'joke a,joke b,joke c',
    });
  });

  it('re-runs each failed Send task once with its own argument when several failed (as LangGraph)', async () => {
    const expected = await langGraph(['a', 'c']);
    const got = await durableGraph(['a', 'c']);
    assert.deepEqual(expected.rerunCalls, [{ topic: 'a' }, { topic: 'c' }, 'pick']);
    assert.deepEqual(sorted(got.rerunCalls), sorted(expected.rerunCalls));
    assert.equal(got.rerunCalls.at(-1), 'pick');
    assert.deepEqual(got.final, expected.final);
  });

  it('gives a Send task that failed after its resume both its argument and the resume value again (R13, as LangGraph)', async () => {
    // LangGraph.js
    let lgBroken = true;
    const LgState = Annotation.Root({
      out: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const lg = new LangGraphStateGraph(LgState)
      .addNode('w', (arg: Topic) => {
        const answer = langGraphInterrupt<unknown, string>({ q: arg.topic });
        if (lgBroken) throw new Error('boom');
        return { out: [`${arg.topic}:${answer}`] };
      })
      .addConditionalEdges('__start__', () => [new LangGraphSend('w', { topic: 'x' })])
      .compile({ checkpointer: new MemorySaver() });
    const lgConfig = { configurable: { thread_id: 'lg-resume' } };
    await lg.invoke({}, lgConfig);
    await assert.rejects(lg.invoke(new LangGraphCommand({ resume: 'yes' }), lgConfig));
    lgBroken = false;
    const expected = await lg.invoke(null, lgConfig);

    // durable-graph
    let broken = true;
    const seen: unknown[] = [];
    const graph = new StateGraph(z.object({ out: withReducer(z.array(z.string()), appendReducer, () => []) }))
      .addNode(
        'w',
        (arg) => {
          const { topic } = arg as unknown as Topic;
          const answer = interrupt<string>({ q: topic });
          seen.push({ topic, answer });
          if (broken) throw new Error('boom');
          return { out: [`${topic}:${answer}`] };
        },
        { retryPolicy: { maxAttempts: 1 } },
      )
      .addConditionalEdges(START, () => [new Send('w', { topic: 'x' })])
      .compile({ name: 'send-rerun-resume' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('send-rerun-resume') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [{ q: 'x' }],
      );
      await assert.rejects(handle.invoke(new Command({ resume: 'yes' }), config), NodeFailedError);
      broken = false;
      const done = await handle.invoke(null, config);
      assert.deepEqual(done, expected);
      assert.deepEqual(done, { out: ['x:yes'] });
      assert.deepEqual(seen, [
        { topic: 'x', answer: 'yes' },
        { topic: 'x', answer: 'yes' },
      ]);
    });
  });
});
