/**
 * Payload honesty and errors (LangGraph R4, R39, R43, R46-R48, scenarios e, l, m, p; our decision: what the
 * pausing invoke returns is what getState returns later, and non-JSON fails with the node and path named).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  GraphInterrupt,
  InvalidResumeError,
  START,
  StateGraph,
  interrupt,
  isGraphInterrupt,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

describe('interrupt payloads', () => {
  it('keeps the value key of interrupt() with no payload, and null, "" and 0 payloads as they are (R4)', async () => {
    const graph = new StateGraph(z.object({ got: z.array(z.unknown()).default([]) }))
      .addNode('ask', () => ({ got: [interrupt(), interrupt(null), interrupt(''), interrupt(0)] }))
      .addEdge(START, 'ask')
      .compile({ name: 'empty-payloads' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r4') } };
      const values: unknown[] = [];
      let result = await handle.invoke({}, config);
      while (result.__interrupt__) {
        const [pending] = result.__interrupt__;
        assert.deepEqual(Object.keys(pending!), ['id', 'value']);
        values.push(pending!.value);
        result = await handle.invoke(new Command({ resume: values.length }), config);
      }
      assert.deepEqual(values, [undefined, null, '', 0]);
      assert.deepEqual(result.got, [1, 2, 3, 4]);
    });
  });

  for (const [label, payload, path] of [
    ['a BigInt', { amount: 10n }, /\$\.amount: a BigInt/],
    ['a function', { onApprove: () => 1 }, /\$\.onApprove: a function/],
    ['a Date', { when: new Date(0) }, /\$\.when: a Date instance/],
    [
      'a circular reference',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return { o };
      })(),
      /\$\.o\.self: a circular reference/,
    ],
  ] as const) {
    it(`fails the node when the interrupt payload holds ${label}, naming the node and the path (R46, R47)`, async () => {
      const graph = new StateGraph(z.object({ x: z.unknown().optional() }))
        .addNode('ask', () => ({ x: interrupt(payload) }))
        .addEdge(START, 'ask')
        .compile({ name: `bad-payload-${label.replace(/\W+/g, '-')}` });
      await withGraphs([graph], async ({ client }) => {
        await assert.rejects(
          client.graph(graph).invoke({}, { configurable: { thread_id: threadId('payload') } }),
          (error: unknown) => {
            assert.equal((error as { code?: string }).code, 'UNSERIALIZABLE_VALUE');
            assert.equal((error as { node?: string }).node, 'ask');
            assert.match((error as Error).message, path);
            return true;
          },
        );
      });
    });
  }

  it('returns the same interrupt from the pausing invoke and from getState later', async () => {
    const graph = new StateGraph(z.object({ x: z.unknown().optional() }))
      .addNode('ask', () => ({ x: interrupt({ nested: { list: [1, 'two', { three: null }] }, flag: false }) }))
      .addEdge(START, 'ask')
      .compile({ name: 'same-payload' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('same') } };
      const paused = await handle.invoke({}, config);
      const state = await handle.getState(config);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
    });
  });

  it('refuses a resume value that would not survive serialization, at the client, naming the path (R48)', async () => {
    const graph = new StateGraph(z.object({ x: z.unknown().optional() }))
      .addNode('ask', () => ({ x: interrupt('q') }))
      .addEdge(START, 'ask')
      .compile({ name: 'bad-resume-value' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('resume-value') } };
      await handle.invoke({}, config);
      await assert.rejects(handle.invoke(new Command({ resume: { at: new Date() } }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        assert.match((error as Error).message, /\$\.at: a Date instance/);
        return true;
      });
      assert.equal((await handle.getState(config)).status, 'interrupted', 'nothing was sent');
    });
  });

  it('fails the node when the interrupt payload is an instance of a user class, naming the node and the path (R46, R47)', async () => {
    class Money {
      constructor(readonly amount: number) {}
    }
    let ran = 0;
    const graph = new StateGraph(z.object({ x: z.unknown().optional() }))
      .addNode('ask', () => (ran++, { x: interrupt(new Money(5)) }))
      .addEdge(START, 'ask')
      .compile({ name: 'bad-payload-class-instance' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('payload-class') } };
      await assert.rejects(handle.invoke({}, config), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'UNSERIALIZABLE_VALUE');
        assert.equal((error as { node?: string }).node, 'ask');
        assert.match((error as Error).message, /interrupt\(\) in node "ask"/);
        assert.match((error as Error).message, /\$: a Money instance \(only plain objects and arrays survive\)/);
        return true;
      });
      assert.equal(ran, 1, 'refused as a node error, not retried');
      assert.notEqual((await handle.getState(config)).status, 'interrupted', 'no pause was recorded');
    });
  });

  it('fails the node when its update holds an instance of a user class, naming the node and the path', async () => {
    class Money {
      constructor(readonly amount: number) {}
    }
    const graph = new StateGraph(z.object({ order: z.unknown().optional(), after: z.boolean().optional() }))
      .addNode('price', () => ({ order: { items: ['book'], total: new Money(5) } }))
      .addNode('next', () => ({ after: true }))
      .addEdge(START, 'price')
      .addEdge('price', 'next')
      .compile({ name: 'bad-update-class-instance' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('update-class') } };
      await assert.rejects(handle.invoke({}, config), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'UNSERIALIZABLE_VALUE');
        assert.equal((error as { node?: string }).node, 'price');
        assert.match((error as Error).message, /Node "price"/);
        assert.match((error as Error).message, /\$\.order\.total: a Money instance/);
        return true;
      });
      const state = await handle.getState(config);
      assert.equal(state.values.order, undefined, 'the update was not applied');
      assert.equal(state.values.after, undefined, 'the next node did not run');
    });
  });
});

describe('interrupt() inside try/catch (R43)', () => {
  it('does not pause when the catch swallows it, and pauses when the catch rethrows what isGraphInterrupt() recognises', async () => {
    const graph = new StateGraph(z.object({ swallowed: z.boolean().optional(), answer: z.unknown().optional() }))
      .addNode('swallow', () => {
        try {
          interrupt('ignored');
        } catch {
          return { swallowed: true };
        }
        return {};
      })
      .addNode('rethrow', () => {
        try {
          return { answer: interrupt('asked') };
        } catch (error) {
          if (isGraphInterrupt(error)) throw error;
          return {};
        }
      })
      .addEdge(START, 'swallow')
      .addEdge('swallow', 'rethrow')
      .compile({ name: 'try-catch' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('try') } };
      const paused = await handle.invoke({}, config);
      assert.equal(paused.swallowed, true);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        ['asked'],
      );
      const done = await handle.invoke(new Command({ resume: 42 }), config);
      assert.equal(done.answer, 42);
    });
  });

  it('hands the catch a GraphInterrupt error as LangGraph does: name, JSON message, interrupts (R43)', async () => {
    const graph = new StateGraph(z.object({ caught: z.record(z.string(), z.unknown()).optional() }))
      .addNode('swallow', () => {
        try {
          interrupt({ question: 'ok?' });
        } catch (error) {
          const e = error as GraphInterrupt;
          return {
            caught: {
              name: e.name,
              isError: e instanceof Error,
              isGraphInterrupt: e instanceof GraphInterrupt,
              message: e.message,
              interrupts: e.interrupts,
            },
          };
        }
        return {};
      })
      .addEdge(START, 'swallow')
      .compile({ name: 'caught-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('r43') } });
      assert.equal(done.__interrupt__, undefined, 'a swallowed interrupt does not pause');
      // LangGraph also lists the interrupt's id; ours is given by the workflow when a pause is recorded.
      assert.deepEqual(done.caught, {
        name: 'GraphInterrupt',
        isError: true,
        isGraphInterrupt: true,
        message: JSON.stringify([{ value: { question: 'ok?' } }], null, 2),
        interrupts: [{ value: { question: 'ok?' } }],
      });
    });
  });
});
