/**
 * LangGraph.js Annotation state (`Annotation.Root({ ... })`, `MessagesAnnotation`): the same graph definition code,
 * with only StateGraph / interrupt / Command swapped, runs on @langchain/langgraph 1.7.3 (MemorySaver) and on
 * durable-graph, and gives the same results: a reducer field with a default, a reducer field without one (its first
 * write is taken as it is), a last-value field, and an agent-ish messages graph that pauses at interrupt() and resumes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import {
  Annotation,
  Command as LgCommand,
  MemorySaver,
  MessagesAnnotation,
  StateGraph as LgStateGraph,
  interrupt as lgInterrupt,
} from '@langchain/langgraph';
import { Command, END, START, StateGraph, interrupt } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

interface Lib {
  kind: 'langgraph' | 'durable';
  StateGraph: any;
  interrupt: (value?: unknown) => any;
  Command: any;
}
const langgraph: Lib = {
  kind: 'langgraph',
  StateGraph: LgStateGraph,
  interrupt: (v) => lgInterrupt(v),
  Command: LgCommand,
};
const durable: Lib = { kind: 'durable', StateGraph, interrupt: (v) => interrupt(v), Command };

/** The same definition code for both libraries. */
function buildCounter(lib: Lib) {
  const State = Annotation.Root({
    topic: Annotation<string>(),
    log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => ['start'] }),
    total: Annotation<number>({ reducer: (a, b) => a + b }),
  });
  return new lib.StateGraph(State)
    .addNode('a', (s: typeof State.State) => ({ topic: `${s.topic}!`, log: ['a'], total: 1 }))
    .addNode('b', (s: typeof State.State) => ({ log: [`b:${s.topic}:${s.total}`], total: 2 }))
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('b', END);
}

function buildAgent(lib: Lib, state: typeof MessagesAnnotation) {
  return new lib.StateGraph(state)
    .addNode('agent', (s: typeof MessagesAnnotation.State) => {
      const last = s.messages[s.messages.length - 1]!;
      return { messages: [new AIMessage(`echo ${String(last.content)} (${s.messages.length})`)] };
    })
    .addNode('review', () => {
      const answer = lib.interrupt({ question: 'more?' }) as string;
      return { messages: [new HumanMessage(answer)] };
    })
    .addEdge(START, 'agent')
    .addEdge('agent', 'review')
    .addConditionalEdges(
      'review',
      (s: typeof MessagesAnnotation.State) => (s.messages[s.messages.length - 1]!.content === 'again' ? 'agent' : END),
      ['agent', END],
    );
}

/** A result with messages as [type, content] pairs and interrupts without their ids. */
function view(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result };
  if (Array.isArray(out.messages)) out.messages = (out.messages as BaseMessage[]).map((m) => [m.getType(), m.content]);
  if (Array.isArray(out.__interrupt__))
    out.__interrupt__ = (out.__interrupt__ as Array<{ value: unknown }>).map((i) => i.value);
  return out;
}

describe('Annotation state (Annotation.Root, MessagesAnnotation)', () => {
  it('Annotation.Root: a reducer field with a default, one without, and a last-value field give the same state', async () => {
    const expected = view(
      await buildCounter(langgraph)
        .compile({ checkpointer: new MemorySaver() })
        .invoke({ topic: 'x' }, { configurable: { thread_id: 't' } }),
    );
    assert.deepEqual(expected, { topic: 'x!', log: ['start', 'a', 'b:x!:1'], total: 3 });
    const graph = buildCounter(durable).compile({ name: 'annotation-counter' });
    assert.deepEqual(graph.spec.channels, {
      topic: { reducer: 'last', hasDefault: false },
      log: { reducer: 'custom', hasDefault: true, default: ['start'] },
      total: { reducer: 'custom', hasDefault: false },
    });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('annotation-root') } };
      assert.deepEqual(view(await handle.invoke({ topic: 'x' }, config)), expected);
      assert.deepEqual(view((await handle.getState(config)).values), expected);
      await assert.rejects(
        handle.invoke({ nope: 1 } as never, { configurable: { thread_id: threadId('annotation-root-bad') } }),
        /"nope" is not a field of the state \(fields: topic, log, total\)/,
      );
    });
  });

  for (const [label, state] of [
    ['MessagesAnnotation', MessagesAnnotation],
    ['Annotation.Root({ ...MessagesAnnotation.spec })', Annotation.Root({ ...MessagesAnnotation.spec })],
  ] as const) {
    it(`${label}: an agent appends AIMessages, pauses at interrupt(), resumes twice, as on LangGraph.js`, async () => {
      const steps = [{ messages: [new HumanMessage('hi')] }, { resume: 'again' }, { resume: 'stop' }];
      const lg = buildAgent(langgraph, state).compile({ checkpointer: new MemorySaver() });
      const lgConfig = { configurable: { thread_id: 'lg' } };
      const expected: unknown[] = [];
      for (const step of steps)
        expected.push(view(await lg.invoke('resume' in step ? new LgCommand(step) : step, lgConfig)));
      assert.deepEqual(expected.at(-1), {
        messages: [
          ['human', 'hi'],
          ['ai', 'echo hi (1)'],
          ['human', 'again'],
          ['ai', 'echo again (3)'],
          ['human', 'stop'],
        ],
      });

      const graph = buildAgent(durable, state).compile({ name: `annotation-agent-${label.length}` });
      assert.deepEqual(graph.spec.channels, { messages: { reducer: 'messages', hasDefault: true, default: [] } });
      await withGraphs([graph], async ({ client }) => {
        const handle = client.graph(graph);
        const config = { configurable: { thread_id: threadId('annotation-agent') } };
        const actual: unknown[] = [];
        for (const step of steps)
          actual.push(view(await handle.invoke('resume' in step ? new Command(step) : step, config)));
        assert.deepEqual(actual, expected);
        const final = await handle.getState(config);
        assert.ok(
          (final.values.messages as BaseMessage[]).every((m) => typeof m.id === 'string' && m.id.length > 0),
          'every message has an id',
        );
      });
    });
  }
});
