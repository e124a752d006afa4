/**
 * Superstep semantics as in LangGraph: parallel nodes, write order, joins, conditional edges on the node's
 * own fresh state, the one-write-per-step rule of fields without a reducer, zod defaults; and how each node
 * shows up in Temporal (one Activity whose type is the node name and whose id is the task id).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  ConflictingWritesError,
  END,
  ReducerFailedError,
  START,
  StateGraph,
  appendReducer,
  withReducer,
} from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

describe('supersteps', () => {
  it('runs parallel nodes together, applies their writes in declaration order, and waits at a join for every branch', async () => {
    const graph = new StateGraph(z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) }))
      .addNode('a', async () => {
        await new Promise((r) => setTimeout(r, 300)); // finishes last, but was declared first
        return { log: ['a'] };
      })
      .addNode('b', () => ({ log: ['b'] }))
      .addNode('b2', () => ({ log: ['b2'] }))
      .addNode('joined', () => ({ log: ['joined'] }))
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge('b', 'b2')
      .addEdge(['a', 'b2'], 'joined')
      .addEdge('joined', END)
      .compile({ name: 'parallel-join' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('join');
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: thread } });
      assert.deepEqual(done.log, ['a', 'b', 'b2', 'joined']);
      // Each node is one Activity whose type is the node's name (what the Web UI lists), and whose id is the task's.
      const events = (await client.temporal.workflow.getHandle(thread).fetchHistory()).events!;
      const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
      assert.deepEqual(
        scheduled.map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name),
        ['a', 'b', 'b2', 'joined'],
      );
      const ids = scheduled.map((e) => e.activityTaskScheduledEventAttributes!.activityId!);
      assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(id)) && new Set(ids).size === 4, ids.join(', '));
    });
  });

  it("evaluates a conditional edge on the node's own fresh state, not on its siblings' writes", async () => {
    const seen: unknown[] = [];
    const graph = new StateGraph(
      z.object({ mine: z.string().optional(), theirs: z.string().optional(), routed: z.string().optional() }),
    )
      .addNode('me', () => ({ mine: 'written by me' }))
      .addNode('sibling', () => ({ theirs: 'written by sibling' }))
      .addNode('after', (s) => ({ routed: `${s.mine}|${s.theirs}` }))
      .addEdge(START, 'me')
      .addEdge(START, 'sibling')
      .addConditionalEdges('me', (s) => {
        seen.push({ mine: s.mine, theirs: s.theirs });
        return 'after';
      })
      .addEdge('after', END)
      .compile({ name: 'fresh-state-routing' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('fresh') } });
      assert.deepEqual(seen, [{ mine: 'written by me', theirs: undefined }]);
      assert.equal(done.routed, 'written by me|written by sibling', 'the next step sees both writes');
    });
  });

  it('fails the step with CONFLICTING_WRITES when two parallel nodes write a field without a reducer (LangGraph InvalidUpdateError)', async () => {
    const graph = new StateGraph(z.object({ x: z.string().optional() }))
      .addNode('a', () => ({ x: 'a' }))
      .addNode('b', () => ({ x: 'b' }))
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .compile({ name: 'last-value-conflict' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: threadId('conflict') } }),
        (error: unknown) => {
          assert.ok(error instanceof ConflictingWritesError);
          assert.equal(error.code, 'CONFLICTING_WRITES');
          assert.match((error as Error).message, /Nodes "a", "b" wrote state field "x" in the same step/);
          return true;
        },
      );
    });
  });

  it('starts fields with their zod .default() values, as LangGraph does', async () => {
    const graph = new StateGraph(z.object({ n: z.number().default(0), tags: z.array(z.string()).default(['new']) }))
      .addNode('inc', (s) => ({ n: s.n + 1, tags: [...s.tags, 'seen'] }))
      .addEdge(START, 'inc')
      .compile({ name: 'zod-defaults' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('defaults') } });
      assert.deepEqual(done, { n: 1, tags: ['new', 'seen'] });
    });
  });

  it('fails the run with REDUCER_FAILED naming the field when a custom reducer throws', async () => {
    const graph = new StateGraph(
      z.object({
        ids: withReducer(
          z.array(z.string()),
          (current: string[], update: string[]) => {
            if (update.some((u) => (current ?? []).includes(u))) throw new Error(`duplicate ${update.join(',')}`);
            return [...(current ?? []), ...update];
          },
          () => [],
        ),
      }),
    )
      .addNode('a', () => ({ ids: ['x'] }))
      .addNode('b', () => ({ ids: ['x'] }))
      .addEdge(START, 'a')
      .addEdge('a', 'b')
      .compile({ name: 'reducer-throws' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: threadId('reducer') } }),
        (error: unknown) => {
          assert.ok(error instanceof ReducerFailedError);
          assert.equal(error.code, 'REDUCER_FAILED');
          assert.match((error as Error).message, /reducer of state field "ids" .* threw: duplicate x/);
          return true;
        },
      );
    });
  });
});
