/**
 * Local segments: consecutive supersteps of `local: true` nodes run in ONE local
 * Activity. Compared with the same graphs whose nodes are regular Activities: same results, stream chunks,
 * getState and getStateHistory; an interrupt inside a segment pauses and resumes; a failed node runs again alone
 * (the nodes before it never run twice); joins and conditional edges inside a segment.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  NodeFailedError,
  RecursionLimitError,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  withReducer,
} from '../../src/index.js';
import type { CompiledGraph } from '../../src/graph/compiled-graph.js';
import type { StateHistorySnapshot } from '../../src/client.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

const LogState = z.object({
  log: withReducer(z.array(z.string()), appendReducer, () => []),
  route: z.string().optional(),
});

/** How many times each node of each graph ran (graph name/node). */
const runs = new Map<string, number>();
const ran = (graph: string, node: string): number => runs.get(`${graph}/${node}`) ?? 0;

interface ChainOptions {
  /** Node index that calls interrupt() (its answer goes into the log). */
  interruptAt?: number;
  /** Node index that throws on its first `failures` runs. */
  failAt?: number;
  failures?: number;
}

/** START → n0 → … → n9 → END; each node counts its runs, writes a custom chunk and appends its name. */
function chain10(name: string, local: boolean, options: ChainOptions = {}) {
  let graph = new StateGraph(LogState) as StateGraph<typeof LogState, string>;
  for (let i = 0; i < 10; i++) {
    const node = `n${i}`;
    const retryPolicy =
      i === options.failAt ? { retryPolicy: { maxAttempts: 3, initialInterval: 10, maxInterval: 10 } } : {};
    graph = graph.addNode(
      node,
      (_s, config) => {
        const count = ran(name, node) + 1;
        runs.set(`${name}/${node}`, count);
        if (i === options.failAt && count <= (options.failures ?? 0))
          throw new Error(`${node} is flaky (run ${count})`);
        config.writer?.({ from: node });
        if (i === options.interruptAt) return { log: [`${node}:${interrupt<string>(`q${i}`)}`] };
        return { log: [node] };
      },
      { local, ...retryPolicy },
    );
  }
  graph = graph.addEdge(START, 'n0');
  for (let i = 0; i < 9; i++) graph = graph.addEdge(`n${i}`, `n${i + 1}`);
  return graph.addEdge('n9', END).compile({ name });
}

/** START → a → (b, c) → join [b, c] → j → conditional (x | y) → END: a fan-out, a join and a conditional edge. */
function branchy(name: string, local: boolean) {
  const count = (node: string) => runs.set(`${name}/${node}`, ran(name, node) + 1);
  return new StateGraph(LogState)
    .addNode('a', () => (count('a'), { log: ['a'], route: 'y' }), { local })
    .addNode('b', () => (count('b'), { log: ['b'] }), { local })
    .addNode('c', () => (count('c'), { log: ['c'] }), { local })
    .addNode('j', () => (count('j'), { log: ['j'] }), { local })
    .addNode('x', () => (count('x'), { log: ['x'] }), { local })
    .addNode('y', () => (count('y'), { log: ['y'] }), { local })
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('a', 'c')
    .addEdge(['b', 'c'], 'j')
    .addConditionalEdges('j', (s) => (s.route === 'x' ? 'x' : 'y'), ['x', 'y'])
    .addEdge('x', END)
    .addEdge('y', END)
    .compile({ name });
}

async function historyOf(env: GraphTestEnv, graph: CompiledGraph<any, any>, thread: string) {
  const snapshots: StateHistorySnapshot[] = [];
  for await (const snapshot of env.client.graph(graph).getStateHistory({ configurable: { thread_id: thread } }))
    snapshots.push(snapshot as StateHistorySnapshot);
  // Everything but ids and times, which differ between any two threads.
  return snapshots.map((s) => ({
    step: s.metadata.step,
    source: s.metadata.source,
    next: s.next,
    values: s.values,
    tasks: s.tasks.map((t) => ({
      name: t.name,
      result: t.result,
      error: t.error,
      interrupts: t.interrupts.map((i) => i.value),
    })),
  }));
}

async function eventsOf(env: GraphTestEnv, thread: string) {
  const events = (await env.client.temporal.workflow.getHandle(thread).fetchHistory()).events!;
  return {
    total: events.length,
    markers: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
  };
}

describe('local segments', () => {
  it('runs a 10-node chain of local nodes in one local Activity, with the results, stream and history of regular nodes', async () => {
    const regular = chain10('seg-chain-regular', false);
    const local = chain10('seg-chain-local', true);
    await withGraphs([regular, local], async (env) => {
      const seen: Record<string, { chunks: unknown[]; history: unknown; values: unknown; taskIds: string[] }> = {};
      for (const graph of [regular, local]) {
        const thread = threadId(graph.name);
        const config = { configurable: { thread_id: thread } };
        const chunks: unknown[] = [];
        for await (const chunk of env.client
          .graph(graph)
          .stream({}, { ...config, streamMode: ['updates', 'values', 'custom'] }))
          chunks.push(chunk);
        const state = await env.client.graph(graph).getState(config);
        const history = await historyOf(env, graph, thread);
        const snapshots = [];
        for await (const s of env.client.graph(graph).getStateHistory(config)) snapshots.push(s);
        seen[graph.name] = {
          chunks,
          history,
          values: state.values,
          taskIds: snapshots.flatMap((s) => s.tasks.filter((t) => t.name !== START).map((t) => t.id)),
        };
        const events = await eventsOf(env, thread);
        if (graph === local) {
          assert.deepEqual(
            { markers: events.markers, activities: events.activities },
            { markers: 1, activities: 0 },
            'one marker for the whole chain',
          );
          // Started, workflow task (3), marker, the stream's Update (2) and completion: no per-node cost.
          assert.ok(events.total <= 12, `local chain: ${events.total} events`);
        } else {
          assert.equal(events.activities, 10);
        }
        for (let i = 0; i < 10; i++) assert.equal(ran(graph.name, `n${i}`), 1, `${graph.name} n${i} ran once`);
      }
      const [r, l] = [seen['seg-chain-regular']!, seen['seg-chain-local']!];
      assert.deepEqual(l.values, { log: ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'] });
      assert.deepEqual(l.values, r.values);
      assert.deepEqual(l.chunks, r.chunks, 'updates, values and custom chunks, step by step');
      assert.deepEqual(l.history, r.history, 'getStateHistory shows every step of the segment');
      assert.equal(l.history instanceof Array && (l.history as unknown[]).length, 12, 'input, ten steps, final');
      assert.equal(new Set(l.taskIds).size, 10, 'every task has its own id');
      for (const id of l.taskIds)
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });

  it('pauses at an interrupt inside a segment and resumes from that node, as regular nodes do', async () => {
    const regular = chain10('seg-int-regular', false, { interruptAt: 4 });
    const local = chain10('seg-int-local', true, { interruptAt: 4 });
    await withGraphs([regular, local], async (env) => {
      const histories: unknown[] = [];
      for (const graph of [regular, local]) {
        const handle = env.client.graph(graph);
        const thread = threadId(graph.name);
        const config = { configurable: { thread_id: thread } };
        const paused = await handle.invoke({}, config);
        assert.deepEqual(
          paused.__interrupt__!.map((i) => i.value),
          ['q4'],
        );
        assert.deepEqual(paused.log, ['n0', 'n1', 'n2', 'n3']);
        const state = await handle.getState(config);
        assert.deepEqual(
          [state.next, state.metadata?.step, state.tasks.map((t) => [t.name, t.interrupts.map((i) => i.id)])],
          [['n4'], 4, [['n4', [paused.__interrupt__![0]!.id]]]],
        );
        if (graph === local) assert.equal((await eventsOf(env, thread)).markers, 1, 'n0..n4 ran in one segment');
        const resumedChunks: unknown[] = [];
        for await (const chunk of handle.stream(new Command({ resume: 'yes' }), { ...config, streamMode: 'updates' }))
          resumedChunks.push(chunk);
        assert.deepEqual(resumedChunks, [
          { n4: { log: ['n4:yes'] } },
          ...[5, 6, 7, 8, 9].map((i) => ({ [`n${i}`]: { log: [`n${i}`] } })),
        ]);
        const done = await handle.getState(config);
        assert.deepEqual(done.values.log, ['n0', 'n1', 'n2', 'n3', 'n4:yes', 'n5', 'n6', 'n7', 'n8', 'n9']);
        assert.deepEqual(
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ran(graph.name, `n${i}`)),
          [1, 1, 1, 1, 2, 1, 1, 1, 1, 1],
        );
        // The segment before the pause, n4's re-run, the segment after it.
        if (graph === local)
          assert.deepEqual(await eventsOf(env, thread).then((e) => [e.markers, e.activities]), [3, 0]);
        histories.push(await historyOf(env, graph, thread));
      }
      assert.deepEqual(histories[1], histories[0]);
    });
  });

  it('runs a node that failed inside a segment again alone, with its retry policy, and never re-runs the nodes before it', async () => {
    const local = chain10('seg-fail-local', true, { failAt: 6, failures: 2 });
    const regular = chain10('seg-fail-regular', false, { failAt: 6, failures: 1 });
    await withGraphs([local, regular], async (env) => {
      const histories: unknown[] = [];
      for (const graph of [local, regular]) {
        const thread = threadId(graph.name);
        const done = await env.client.graph(graph).invoke({}, { configurable: { thread_id: thread } });
        assert.deepEqual(done.log, ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
        histories.push(await historyOf(env, graph, thread));
      }
      // n6 failed in the segment and once more on its own (retried by its policy); n0..n5 ran once.
      assert.deepEqual(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ran(local.name, `n${i}`)),
        [1, 1, 1, 1, 1, 1, 3, 1, 1, 1],
      );
      assert.deepEqual(histories[0], histories[1]);
    });
  });

  it('ends the run with the failed node named once its retries are exhausted, without re-running the nodes before it', async () => {
    const graph = chain10('seg-fail-always', true, { failAt: 6, failures: 100 });
    await withGraphs([graph], async (env) => {
      const thread = threadId(graph.name);
      await assert.rejects(
        env.client.graph(graph).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(error instanceof NodeFailedError, String(error));
          assert.equal(error.node, 'n6');
          return true;
        },
      );
      // maxAttempts 3 in all: the segment's attempt counts, then 2 more on its own.
      assert.deepEqual(
        [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ran(graph.name, `n${i}`)),
        [1, 1, 1, 1, 1, 1, 3, 0],
      );
    });
  });

  it('stops a segment at a static breakpoint before a node, and at the recursion limit', async () => {
    const before = (() => {
      let graph = new StateGraph(LogState) as StateGraph<typeof LogState, string>;
      for (const node of ['p', 'q', 'r'])
        graph = graph.addNode(
          node,
          () => (runs.set(`seg-before/${node}`, ran('seg-before', node) + 1), { log: [node] }),
          { local: true },
        );
      return graph
        .addEdge(START, 'p')
        .addEdge('p', 'q')
        .addEdge('q', 'r')
        .addEdge('r', END)
        .compile({ name: 'seg-before', interruptBefore: ['q'] });
    })();
    const loop = new StateGraph(LogState)
      .addNode('ping', () => (runs.set('seg-loop/ping', ran('seg-loop', 'ping') + 1), { log: ['ping'] }), {
        local: true,
      })
      .addNode('pong', () => (runs.set('seg-loop/pong', ran('seg-loop', 'pong') + 1), { log: ['pong'] }), {
        local: true,
      })
      .addEdge(START, 'ping')
      .addEdge('ping', 'pong')
      .addEdge('pong', 'ping')
      .compile({ name: 'seg-loop' });
    await withGraphs([before, loop], async (env) => {
      const config = { configurable: { thread_id: threadId('seg-before') } };
      const paused = await env.client.graph(before).invoke({}, config);
      assert.deepEqual(paused.log, ['p']);
      const state = await env.client.graph(before).getState(config);
      assert.deepEqual([state.next, state.metadata?.step], [['q'], 1]);
      assert.deepEqual([ran('seg-before', 'q'), ran('seg-before', 'r')], [0, 0]);
      const done = await env.client.graph(before).invoke(null, config);
      assert.deepEqual(done.log, ['p', 'q', 'r']);
      assert.deepEqual(
        ['p', 'q', 'r'].map((n) => ran('seg-before', n)),
        [1, 1, 1],
      );

      await assert.rejects(
        env.client.graph(loop).invoke({}, { configurable: { thread_id: threadId('seg-loop') }, recursionLimit: 5 }),
        RecursionLimitError,
      );
      // Five supersteps ran (ping, pong, ping, pong, ping), as node by node; the sixth is refused.
      assert.deepEqual([ran('seg-loop', 'ping'), ran('seg-loop', 'pong')], [3, 2]);
    });
  });

  it(
    'gives a segment the time its nodes can take, not one that grows with the recursion limit: a hung node runs again alone in seconds',
    { timeout: 60_000 },
    async () => {
      const graph = new StateGraph(LogState)
        .addNode(
          'slow',
          async (_s, config) => {
            const count = ran('seg-hung', 'slow') + 1;
            runs.set('seg-hung/slow', count);
            // The first run hangs (a lost connection, say); the segment's timeout must end it.
            if (count === 1) await sleep(60_000, undefined, { signal: config.signal }).catch(() => undefined);
            return { log: ['slow'] };
          },
          { local: true, timeout: '2s', retryPolicy: { maxAttempts: 2, initialInterval: 10 } },
        )
        .addNode('next', () => ({ log: ['next'] }), { local: true, timeout: '2s' })
        .addEdge(START, 'slow')
        .addEdge('slow', 'next')
        .addEdge('next', END)
        .compile({ name: 'seg-hung' });
      await withGraphs([graph], async (env) => {
        const started = Date.now();
        const done = await env.client
          .graph(graph)
          .invoke({}, { configurable: { thread_id: threadId('seg-hung') }, recursionLimit: 10_000 });
        assert.deepEqual(done.log, ['slow', 'next']);
        assert.equal(ran('seg-hung', 'slow'), 2, 'the hung run, then the run on its own');
        // Two steps of 2s nodes: the segment gave up after about 4s (not 2s × 10,000).
        assert.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
      });
    },
  );

  it('splits a long segment over a large state into several, so no marker outgrows the payload limit', async () => {
    const BigState = z.object({ blob: z.string().default(''), n: z.number().default(0) });
    let graph = new StateGraph(BigState) as StateGraph<typeof BigState, string>;
    for (let i = 0; i < 8; i++)
      graph = graph.addNode(`b${i}`, (s) => ({ blob: 'x'.repeat(100_000 + i), n: s.n + 1 }), { local: true });
    graph = graph.addEdge(START, 'b0');
    for (let i = 0; i < 7; i++) graph = graph.addEdge(`b${i}`, `b${i + 1}`);
    const big = graph.addEdge('b7', END).compile({ name: 'seg-big-state' });
    await withGraphs([big], async (env) => {
      const thread = threadId('seg-big');
      const done = await env.client.graph(big).invoke({}, { configurable: { thread_id: thread } });
      assert.deepEqual([done.n, (done.blob as string).length], [8, 100_007]);
      const events = await eventsOf(env, thread);
      assert.ok(events.markers > 1 && events.markers < 8, `${events.markers} markers`);
      const history = await historyOf(env, big, thread);
      assert.deepEqual(
        history.map((h) => h.step),
        [8, 7, 6, 5, 4, 3, 2, 1, 0, -1],
        'every step still in getStateHistory',
      );
    });
  });

  it('follows a fan-out, a join and a conditional edge inside one segment', async () => {
    const regular = branchy('seg-branchy-regular', false);
    const local = branchy('seg-branchy-local', true);
    await withGraphs([regular, local], async (env) => {
      const seen: Array<{ values: unknown; history: unknown; updates: unknown[] }> = [];
      for (const graph of [regular, local]) {
        const thread = threadId(graph.name);
        const config = { configurable: { thread_id: thread } };
        const updates: unknown[] = [];
        for await (const chunk of env.client.graph(graph).stream({}, { ...config, streamMode: 'updates' }))
          updates.push(chunk);
        const state = await env.client.graph(graph).getState(config);
        seen.push({ values: state.values, history: await historyOf(env, graph, thread), updates });
        for (const node of ['a', 'b', 'c', 'j', 'y']) assert.equal(ran(graph.name, node), 1, `${graph.name} ${node}`);
        assert.equal(ran(graph.name, 'x'), 0);
        if (graph === local)
          assert.deepEqual(await eventsOf(env, thread).then((e) => [e.markers, e.activities]), [1, 0]);
      }
      assert.deepEqual(seen[1]!.values, { log: ['a', 'b', 'c', 'j', 'y'], route: 'y' });
      assert.deepEqual(seen[1]!.values, seen[0]!.values);
      assert.deepEqual(seen[1]!.history, seen[0]!.history);
      // b and c complete in either order as regular Activities; in a segment they come in task order.
      const sorted = (u: unknown[]) => u.map((c) => JSON.stringify(c)).sort();
      assert.deepEqual(sorted(seen[1]!.updates), sorted(seen[0]!.updates));
      assert.deepEqual(seen[1]!.updates, [
        { a: { log: ['a'], route: 'y' } },
        { b: { log: ['b'] } },
        { c: { log: ['c'] } },
        { j: { log: ['j'] } },
        { y: { log: ['y'] } },
      ]);
    });
  });
});
