/**
 * Reading a LangGraph.js Annotation state (detected by shape; durable-graph does not import @langchain/langgraph).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotation, MessagesAnnotation } from '@langchain/langgraph';
import { InvalidUpdateError } from '../../../src/errors.js';
import { StateGraph } from '../../../src/graph/state-graph.js';
import { isAnnotationRoot, readAnnotationFields } from '../../../src/graph/state.js';
import { END, START } from '../../../src/protocol/spec.js';
import { z } from 'zod';

const concat = (a: string[], b: string[]) => a.concat(b);

describe('Annotation state fields', () => {
  it('recognises Annotation.Root and MessagesAnnotation by shape, and not zod objects or plain objects', () => {
    assert.equal(isAnnotationRoot(Annotation.Root({ a: Annotation<string>() })), true);
    assert.equal(isAnnotationRoot(MessagesAnnotation), true);
    assert.equal(isAnnotationRoot(z.object({ a: z.string() })), false);
    assert.equal(isAnnotationRoot({ topic: z.string() }), false);
    assert.equal(isAnnotationRoot(null), false);
  });

  it('reads last-value, custom-reducer (with and without default) and messages fields', () => {
    const root = Annotation.Root({
      ...MessagesAnnotation.spec,
      topic: Annotation<string>(),
      uncalled: Annotation<string>,
      log: Annotation<string[]>({ reducer: concat, default: () => ['x'] }),
      total: Annotation<number>({ reducer: (a, b) => a + b }),
    });
    const { fields, problems } = readAnnotationFields(root);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      fields.map((f) => ({ name: f.name, kind: f.reducerKind, reducer: typeof f.reducer, default: f.defaultFn?.() })),
      [
        { name: 'messages', kind: 'messages', reducer: 'function', default: [] },
        { name: 'topic', kind: 'last', reducer: 'undefined', default: undefined },
        { name: 'uncalled', kind: 'last', reducer: 'undefined', default: undefined },
        { name: 'log', kind: 'custom', reducer: 'function', default: ['x'] },
        { name: 'total', kind: 'custom', reducer: 'function', default: undefined },
      ],
    );
    const total = fields.find((f) => f.name === 'total')!.reducer!;
    assert.equal(
      total(undefined, 2),
      2,
      'without a default, the first write is taken as it is (as BinaryOperatorAggregate)',
    );
    assert.equal(total(2, 3), 5);
    assert.deepEqual(fields.find((f) => f.name === 'log')!.reducer!(['x'], ['y']), ['x', 'y']);
  });

  it('compiles to the same channel specs as zod fields, records defaults, and refuses a non-JSON default', () => {
    const graph = (state: any, name: string) =>
      new StateGraph(state)
        .addNode('a', () => ({}))
        .addEdge(START, 'a')
        .addEdge('a', END)
        .compile({ name });
    const annotated = graph(
      Annotation.Root({
        topic: Annotation<string>(),
        log: Annotation<string[]>({ reducer: concat, default: () => [] }),
      }),
      'annotated',
    );
    assert.deepEqual(annotated.spec.channels, {
      topic: { reducer: 'last', hasDefault: false },
      log: { reducer: 'custom', hasDefault: true, default: [] },
    });
    assert.deepEqual(graph(MessagesAnnotation, 'messages').spec.channels, {
      messages: { reducer: 'messages', hasDefault: true, default: [] },
    });
    assert.throws(
      () =>
        graph(
          Annotation.Root({ when: Annotation<Date>({ reducer: (_a, b) => b, default: () => new Date(0) }) }),
          'bad-default',
        ),
      /The default of state field "when" is not plain JSON/,
    );
  });

  it('takes writes unvalidated, turns messages into wire JSON, and refuses unknown keys as for a zod state', () => {
    const build = (state: any) =>
      new StateGraph(state)
        .addNode('a', () => ({}))
        .addEdge(START, 'a')
        .addEdge('a', END)
        .compile({ name: 'writes' });
    const annotated = build(Annotation.Root({ ...MessagesAnnotation.spec, topic: Annotation<string>() }));
    assert.deepEqual(annotated.parseUpdate({ topic: 42 }, 'a', 't'), { topic: 42 });
    const wire = annotated.parseUpdate({ messages: [{ role: 'user', content: 'hi' }] }, 'a', 't').messages as Array<{
      type: string;
      content: unknown;
      id?: string;
    }>;
    assert.equal(wire[0]!.type, 'human');
    assert.equal(wire[0]!.content, 'hi');
    assert.equal(typeof wire[0]!.id, 'string');
    const zodGraph = build(z.object({ messages: z.array(z.string()), topic: z.string() }));
    const messageOf = (g: any) => {
      try {
        g.parseUpdate({ nope: 1 }, 'a', 't');
      } catch (error) {
        assert.ok(error instanceof InvalidUpdateError);
        return error.message;
      }
      assert.fail('no error');
    };
    assert.equal(messageOf(annotated), messageOf(zodGraph));
    assert.throws(
      () => annotated.parseInput({ nope: 1 }),
      /"nope" is not a field of the state \(fields: messages, topic\)/,
    );
  });

  it('refuses a channel kind it does not support, by field', () => {
    const root = {
      lc_graph_name: 'AnnotationRoot',
      spec: { seen: { lg_is_channel: true, lc_graph_name: 'EphemeralValue' } },
    };
    assert.deepEqual(readAnnotationFields(root).problems, [
      'State field "seen" is a LangGraph EphemeralValue; durable-graph supports Annotation<T>() and Annotation<T>({ reducer, default }) fields.',
    ]);
  });
});
