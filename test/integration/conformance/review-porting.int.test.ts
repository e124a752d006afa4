/**
 * Porting review (LangGraph R43, R46): what a graph ported from LangGraph.js meets. interrupt() in a conditional
 * edge's router, a node that kept LangGraph's own interrupt import, undefined properties in payloads and updates,
 * and `{ field: undefined }` clearing a field. Where LangGraph behaves differently from us by design, the test says so;
 * elsewhere the same graph runs on LangGraph 1.7.3 (MemorySaver) as the oracle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Annotation,
  Command as LgCommand,
  END as LG_END,
  MemorySaver,
  START as LG_START,
  StateGraph as LgStateGraph,
  interrupt as lgInterrupt,
} from '@langchain/langgraph';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const LgState = Annotation.Root({
  a: Annotation<number>(),
  b: Annotation<string>(),
  log: Annotation<string[]>({ reducer: (x, y) => x.concat(y), default: () => [] }),
});
const State = z.object({
  a: z.number().optional(),
  b: z.string().optional(),
  log: withReducer(z.array(z.string()), appendReducer, () => []),
});

const runs = new Map<string, number>();
const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1);

describe('interrupt() in a conditional edge router', () => {
  it("pauses the source node's task; on resume the node runs again and the router routes with the answer (as LangGraph)", async () => {
    const router = () => (interrupt('route?') ? 'yes' : 'no');
    const graph = new StateGraph(State)
      .addNode('n', () => (count('router-n'), { log: ['n'] }))
      .addNode('yes', () => ({ b: 'yes' }))
      .addNode('no', () => ({ b: 'no' }))
      .addEdge(START, 'n')
      .addConditionalEdges('n', router, ['yes', 'no'])
      .addEdge('yes', END)
      .addEdge('no', END)
      .compile({ name: 'review-router-interrupt' });

    let lgRuns = 0;
    const oracle = new LgStateGraph(LgState)
      .addNode('n', () => (lgRuns++, { log: ['n'] }))
      .addNode('yes', () => ({ b: 'yes' }))
      .addNode('no', () => ({ b: 'no' }))
      .addEdge(LG_START, 'n')
      .addConditionalEdges('n', () => (lgInterrupt('route?') ? 'yes' : 'no'), ['yes', 'no'])
      .addEdge('yes', LG_END)
      .addEdge('no', LG_END)
      .compile({ checkpointer: new MemorySaver() });
    const lgConfig = { configurable: { thread_id: 'router' } };
    const lgPaused = (await oracle.invoke({ a: 1 }, lgConfig)) as { __interrupt__?: Array<{ value: unknown }> };
    const lgState = await oracle.getState(lgConfig);
    const lgDone = await oracle.invoke(new LgCommand({ resume: true }), lgConfig);

    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('router-interrupt') } };
      const paused = await handle.invoke({ a: 1 }, config);
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        lgPaused.__interrupt__?.map((i) => i.value),
      );
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        ['route?'],
      );
      const state = await handle.getState(config);
      assert.deepEqual(state.next, lgState.next);
      assert.deepEqual(
        state.tasks.map((t) => t.name),
        ['n'],
      );
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
      // The node's update is not applied while its task is paused; LangGraph's checkpoint does not have it either.
      assert.deepEqual(state.values.log, lgState.values.log);
      assert.equal(runs.get('router-n'), 1);

      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.deepEqual({ a: done.a, b: done.b, log: done.log }, { a: lgDone.a, b: lgDone.b, log: lgDone.log });
      assert.equal(done.b, 'yes');
      assert.equal(runs.get('router-n'), lgRuns);
      assert.equal(runs.get('router-n'), 2);
    });
  });

  it("numbers the router's interrupt after the node's own: the k-th resume answers the k-th interrupt() of the task", async () => {
    const graph = new StateGraph(State)
      .addNode('n', () => (count('two-n'), { b: String(interrupt('first')) }))
      .addNode('yes', () => ({ a: 1 }))
      .addNode('no', () => ({ a: 0 }))
      .addEdge(START, 'n')
      .addConditionalEdges('n', () => (interrupt('second') ? 'yes' : 'no'), ['yes', 'no'])
      .addEdge('yes', END)
      .addEdge('no', END)
      .compile({ name: 'review-router-second-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('router-kth') } };
      const first = await handle.invoke({}, config);
      assert.deepEqual(
        first.__interrupt__?.map((i) => i.value),
        ['first'],
      );
      const second = await handle.invoke(new Command({ resume: 'A' }), config);
      assert.deepEqual(
        second.__interrupt__?.map((i) => i.value),
        ['second'],
      );
      assert.notEqual(second.__interrupt__![0]!.id, first.__interrupt__![0]!.id);
      const done = await handle.invoke(new Command({ resume: false }), config);
      // LangGraph 1.7.3 gives { a: 0, b: 'A' } after three executions of "n".
      assert.equal(done.__interrupt__, undefined);
      assert.deepEqual({ a: done.a, b: done.b }, { a: 0, b: 'A' });
      assert.equal(runs.get('two-n'), 3);
    });
  });

  it('fails a router from START that calls interrupt() with an error naming the thread and saying to move interrupt() into a node', async () => {
    // LangGraph pauses before the first step here (next: ["__start__"]); durable-graph routes START outside any node.
    const graph = new StateGraph(State)
      .addNode('yes', () => ({ b: 'yes' }))
      .addNode('no', () => ({ b: 'no' }))
      .addConditionalEdges(START, () => (interrupt('start?') ? 'yes' : 'no'), ['yes', 'no'])
      .addEdge('yes', END)
      .addEdge('no', END)
      .compile({ name: 'review-start-router-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('start-router');
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'INTERRUPT_OUTSIDE_NODE');
          assert.match(
            (error as Error).message,
            new RegExp(`conditional edge from START in thread "${thread}" called interrupt\\(\\)`),
          );
          assert.match((error as Error).message, /Move interrupt\(\) into a node/);
          return true;
        },
      );
    });
  });
});

describe("a node that kept LangGraph's own interrupt import", () => {
  it("fails at once (no retries) naming thread and node, and says to import interrupt from 'durable-graph'", async () => {
    const graph = new StateGraph(State)
      .addNode('review', () => (count('foreign'), { b: String(lgInterrupt('approve?')) }))
      .addEdge(START, 'review')
      .addEdge('review', END)
      .compile({ name: 'review-foreign-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('foreign');
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'INTERRUPT_OUTSIDE_NODE');
          assert.equal((error as { node?: string }).node, 'review');
          assert.match(
            (error as Error).message,
            new RegExp(`Node "review" \\(thread "${thread}"\\) called interrupt\\(\\) from '@langchain/langgraph'`),
          );
          assert.match((error as Error).message, /import \{ interrupt \} from 'durable-graph'/);
          return true;
        },
      );
      // The default retry policy allows 3 attempts; a wrong import cannot be fixed by retrying.
      assert.equal(runs.get('foreign'), 1);
    });
  });
});

describe('undefined object properties (R46)', () => {
  it("accepts the README's interrupt({ question, proposed_action: s.proposed_action }) while the field is unset; invoke and getState agree", async () => {
    const graph = new StateGraph(z.object({ proposed_action: z.string().optional(), approved: z.boolean().optional() }))
      .addNode('human_review', (s) => ({
        approved: interrupt<boolean>({ question: 'Approve this action?', proposed_action: s.proposed_action }) === true,
      }))
      .addEdge(START, 'human_review')
      .addEdge('human_review', END)
      .compile({ name: 'review-undefined-payload' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('undefined-payload') } };
      const paused = await handle.invoke({}, config);
      // LangGraph keeps the key with undefined; it travels as an absent key here, in both views.
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [{ question: 'Approve this action?' }],
      );
      assert.deepEqual((await handle.getState(config)).tasks[0]!.interrupts, paused.__interrupt__);
      assert.equal((await handle.invoke(new Command({ resume: true }), config)).approved, true);
    });
  });

  it('accepts an update whose value has an undefined property, and shows the same value from invoke and getState', async () => {
    const graph = new StateGraph(z.object({ meta: z.object({ a: z.number(), b: z.string().optional() }).optional() }))
      .addNode('n', () => ({ meta: { a: 1, b: undefined } }))
      .addEdge(START, 'n')
      .addEdge('n', END)
      .compile({ name: 'review-undefined-update-property' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('undefined-update') } };
      const done = await handle.invoke({}, config);
      assert.deepEqual(done.meta, { a: 1 });
      assert.deepEqual((await handle.getState(config)).values, { meta: { a: 1 } });
    });
  });
});

describe('{ field: undefined } clears a last-value field', () => {
  it('clears it from a node update and from updateState, as LangGraph does (the key is absent from getState)', async () => {
    const graph = new StateGraph(State)
      .addNode('set', () => ({ a: 5, b: 'x' }))
      .addNode('clear', () => ({ a: undefined }))
      .addEdge(START, 'set')
      .addEdge('set', 'clear')
      .addEdge('clear', END)
      .compile({ name: 'review-clear-field' });
    const oracle = new LgStateGraph(LgState)
      .addNode('set', () => ({ a: 5, b: 'x' }))
      .addNode('clear', () => ({ a: undefined }))
      .addEdge(LG_START, 'set')
      .addEdge('set', 'clear')
      .addEdge('clear', LG_END)
      .compile({ checkpointer: new MemorySaver() });
    const lgConfig = { configurable: { thread_id: 'clear' } };
    const lgUpdates: unknown[] = [];
    for await (const chunk of await oracle.stream({}, { ...lgConfig, streamMode: 'updates' })) lgUpdates.push(chunk);
    const lgValues = (await oracle.getState(lgConfig)).values;
    await oracle.updateState(lgConfig, { b: undefined });
    const lgAfterUpdate = (await oracle.getState(lgConfig)).values;

    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('clear') } };
      const updates: unknown[] = [];
      for await (const chunk of handle.stream({}, { ...config, streamMode: 'updates' })) updates.push(chunk);
      assert.deepEqual(updates, lgUpdates);
      assert.deepEqual(updates[1], { clear: { a: undefined } });
      const state = await handle.getState(config);
      assert.deepEqual(state.values, lgValues);
      assert.equal('a' in state.values, false);

      await handle.updateState(config, { b: undefined });
      const after = (await handle.getState(config)).values;
      assert.deepEqual(after, lgAfterUpdate);
      assert.deepEqual(after, { log: [] });
    });
  });

  it('returns the same values from invoke() as getState() shows when a node cleared a field', async () => {
    const graph = new StateGraph(State)
      .addNode('set', () => ({ a: 5 }))
      .addNode('clear', () => ({ a: undefined }))
      .addEdge(START, 'set')
      .addEdge('set', 'clear')
      .addEdge('clear', END)
      .compile({ name: 'review-clear-invoke' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('clear-invoke') } };
      const done = await handle.invoke({ b: 'kept' }, config);
      assert.equal('a' in done, false);
      assert.deepEqual({ ...done }, (await handle.getState(config)).values);
      assert.deepEqual({ ...done }, { b: 'kept', log: [] });
    });
  });

  it('refuses undefined for a field with a reducer, naming node and field, instead of ignoring it', async () => {
    const graph = new StateGraph(State)
      .addNode('n', () => ({ log: undefined }))
      .addEdge(START, 'n')
      .addEdge('n', END)
      .compile({ name: 'review-clear-reducer-field' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: threadId('clear-reducer') } }),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'INVALID_UPDATE');
          assert.equal((error as { node?: string }).node, 'n');
          assert.match((error as Error).message, /"log": undefined cannot be merged by the field's reducer/);
          return true;
        },
      );
    });
  });
});
