/**
 * Streaming from subgraph nodes (LangGraph R49, `subgraphs: true`; R40 for the child resuming where it paused):
 * a subgraph's "custom" chunks reach the parent's stream without `subgraphs` (as plain chunks), and with
 * `subgraphs: true` every chunk is `[namespace, chunk]` (`[namespace, mode, chunk]` for a list of modes) with the
 * subgraph's "updates" and "values" too, in the same order as @langchain/langgraph 1.7.3 for the same graphs,
 * across a pause inside the subgraph and its resume, and for a subgraph inside a subgraph. Every child chunk
 * arrives exactly once across a Worker restart in the middle of a child node.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import {
  Annotation,
  Command as LangGraphCommand,
  MemorySaver,
  StateGraph as LangGraphStateGraph,
  interrupt as langGraphInterrupt,
  type LangGraphRunnableConfig,
} from '@langchain/langgraph';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

type Mode = 'updates' | 'values' | 'custom';
type Modes = Mode | readonly Mode[];

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/**
 * Interrupt ids (32 hex) become "<id>", and namespace elements "<node>:<task id>" become "<node>:<task>": LangGraph's
 * ids are hashes and its task ids uuid5s, ours random. The caller checks that one task keeps one namespace.
 */
function normalize<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => {
      if (key === 'id' && typeof v === 'string' && /^[0-9a-f]{32}$/.test(v)) return '<id>';
      if (typeof v === 'string' && /^(sub|inner):[0-9a-f-]{36}$/.test(v)) return `${v.split(':')[0]}:<task>`;
      return v;
    }),
  ) as T;
}

/** The namespaces seen in `[namespace, ...]` chunks, deduplicated. */
function namespaces(chunks: unknown[]): string[] {
  return [...new Set(chunks.map((c) => JSON.stringify((c as unknown[])[0])))];
}

const Shared = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []), x: z.string().optional() });

/** p1 → sub (c1 → [inner (i1) →] c2, which writes, interrupts, writes) → p2; every node writes a custom chunk. */
function ours(name: string, nested = false) {
  const c1 = (_s: unknown, config: { writer: (chunk: unknown) => void }) => {
    config.writer({ from: 'c1' });
    return { log: ['c1'] };
  };
  const c2 = (_s: unknown, config: { writer: (chunk: unknown) => void }) => {
    config.writer({ from: 'c2-before' });
    const answer = interrupt<string>('q?');
    config.writer({ from: 'c2-after', answer });
    return { log: [`c2:${answer}`] };
  };
  const inner = new StateGraph(Shared)
    .addNode('i1', (_s, config) => {
      config.writer({ from: 'i1' });
      return { log: ['i1'] };
    })
    .addEdge(START, 'i1')
    .addEdge('i1', END)
    .compile({ name: `${name}-inner` });
  const child = nested
    ? new StateGraph(Shared)
        .addNode('c1', c1)
        .addNode('inner', inner)
        .addNode('c2', c2)
        .addEdge(START, 'c1')
        .addEdge('c1', 'inner')
        .addEdge('inner', 'c2')
        .addEdge('c2', END)
        .compile({ name: `${name}-child` })
    : new StateGraph(Shared)
        .addNode('c1', c1)
        .addNode('c2', c2)
        .addEdge(START, 'c1')
        .addEdge('c1', 'c2')
        .addEdge('c2', END)
        .compile({ name: `${name}-child` });
  const parent = new StateGraph(Shared)
    .addNode('p1', (_s, config) => {
      config.writer({ from: 'p1' });
      return { log: ['p1'] };
    })
    .addNode('sub', child)
    .addNode('p2', (_s, config) => {
      config.writer({ from: 'p2' });
      return { log: ['p2'] };
    })
    .addEdge(START, 'p1')
    .addEdge('p1', 'sub')
    .addEdge('sub', 'p2')
    .addEdge('p2', END)
    .compile({ name });
  return { parent, graphs: nested ? [parent, child, inner] : [parent, child] };
}

/** The same graph on LangGraph.js; returns the chunks of the stream to the pause and of the resume. */
async function langGraph(streamMode: Modes, subgraphs: boolean, nested = false) {
  const State = Annotation.Root({
    log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    x: Annotation<string>(),
  });
  const inner = new LangGraphStateGraph(State)
    .addNode('i1', (_s, config: LangGraphRunnableConfig) => {
      config.writer?.({ from: 'i1' });
      return { log: ['i1'] };
    })
    .addEdge('__start__', 'i1')
    .addEdge('i1', '__end__')
    .compile();
  const c1 = (_s: unknown, config: LangGraphRunnableConfig) => {
    config.writer?.({ from: 'c1' });
    return { log: ['c1'] };
  };
  const c2 = (_s: unknown, config: LangGraphRunnableConfig) => {
    config.writer?.({ from: 'c2-before' });
    const answer = langGraphInterrupt<unknown, string>('q?');
    config.writer?.({ from: 'c2-after', answer });
    return { log: [`c2:${answer}`] };
  };
  const child = nested
    ? new LangGraphStateGraph(State)
        .addNode('c1', c1)
        .addNode('inner', inner)
        .addNode('c2', c2)
        .addEdge('__start__', 'c1')
        .addEdge('c1', 'inner')
        .addEdge('inner', 'c2')
        .addEdge('c2', '__end__')
        .compile()
    : new LangGraphStateGraph(State)
        .addNode('c1', c1)
        .addNode('c2', c2)
        .addEdge('__start__', 'c1')
        .addEdge('c1', 'c2')
        .addEdge('c2', '__end__')
        .compile();
  const parent = new LangGraphStateGraph(State)
    .addNode('p1', (_s, config: LangGraphRunnableConfig) => {
      config.writer?.({ from: 'p1' });
      return { log: ['p1'] };
    })
    .addNode('sub', child)
    .addNode('p2', (_s, config: LangGraphRunnableConfig) => {
      config.writer?.({ from: 'p2' });
      return { log: ['p2'] };
    })
    .addEdge('__start__', 'p1')
    .addEdge('p1', 'sub')
    .addEdge('sub', 'p2')
    .addEdge('p2', '__end__')
    .compile({ checkpointer: new MemorySaver() });
  const config = { configurable: { thread_id: 'lg' }, streamMode: streamMode as Mode[], subgraphs };
  const paused = await collect(await parent.stream({ x: 'in' }, config));
  const resumed = await collect(await parent.stream(new LangGraphCommand({ resume: 'yes' }), config));
  return normalize({ paused, resumed });
}

async function durableGraph(name: string, streamMode: Modes, subgraphs: boolean, nested = false) {
  const { parent, graphs } = ours(name, nested);
  return withGraphs(graphs, async ({ client }) => {
    const handle = client.graph(parent);
    const config = { configurable: { thread_id: threadId(name) }, streamMode, subgraphs };
    const paused = await collect(handle.stream({ x: 'in' }, config));
    const resumed = await collect(handle.stream(new Command({ resume: 'yes' }), config));
    return { paused, resumed };
  });
}

describe('stream() with subgraph nodes', () => {
  it('"custom" without subgraphs: a subgraph node\'s chunks arrive as plain chunks, in order, and again when its paused node re-runs (as LangGraph)', async () => {
    const expected = await langGraph('custom', false);
    const got = await durableGraph('sub-custom', 'custom', false);
    assert.deepEqual(got, expected);
    assert.deepEqual(got, {
      paused: [{ from: 'p1' }, { from: 'c1' }, { from: 'c2-before' }],
      resumed: [{ from: 'c2-before' }, { from: 'c2-after', answer: 'yes' }, { from: 'p2' }],
    });
  });

  it('"custom" with subgraphs: true yields [namespace, chunk]: [] for the parent, ["sub:<task id>"] for the child, one namespace across the pause (as LangGraph)', async () => {
    const expected = await langGraph('custom', true);
    const got = await durableGraph('sub-custom-ns', 'custom', true);
    assert.deepEqual(normalize(got), expected);
    assert.deepEqual(expected.paused[1], [['sub:<task>'], { from: 'c1' }]);
    const all = [...got.paused, ...got.resumed];
    assert.equal(namespaces(all).length, 2, 'the parent and one child task');
    assert.match(String((got.paused[1] as [string[]])[0][0]), /^sub:[0-9a-f-]{36}$/);
  });

  it('"updates" and "values" with subgraphs: true stream the subgraph\'s own chunks too, its pause in its namespace then in the parent\'s (R49), as LangGraph', async () => {
    for (const mode of ['updates', 'values'] as const) {
      const expected = await langGraph(mode, true);
      const got = await durableGraph(`sub-${mode}-ns`, mode, true);
      assert.deepEqual(normalize(got), expected, `streamMode "${mode}"`);
    }
  });

  it("a list of modes with subgraphs: true yields [namespace, mode, chunk], in LangGraph's order", async () => {
    const modes = ['custom', 'updates', 'values'] as const;
    const expected = await langGraph(modes, true);
    const got = await durableGraph('sub-all-ns', modes, true);
    assert.deepEqual(normalize(got), expected);
    const pause = { __interrupt__: [{ id: '<id>', value: 'q?' }] };
    assert.deepEqual(expected.paused.slice(-4), [
      [['sub:<task>'], 'updates', pause],
      [['sub:<task>'], 'values', pause],
      [[], 'updates', pause],
      [[], 'values', pause],
    ]);
  });

  it('a subgraph inside a subgraph: its chunks carry both namespace elements, and reach the top stream without subgraphs too (as LangGraph)', async () => {
    const withNs = await durableGraph('sub-nested-ns', ['custom', 'updates'], true, true);
    assert.deepEqual(normalize(withNs), await langGraph(['custom', 'updates'], true, true));
    assert.ok(withNs.paused.some((c) => (c as [string[]])[0].length === 2 && /^inner:/.test((c as [string[]])[0][1]!)));
    const plain = await durableGraph('sub-nested', 'custom', false, true);
    assert.deepEqual(plain, await langGraph('custom', false, true));
  });

  it('streams only the parent\'s chunks in "updates" and "values" without subgraphs (as LangGraph)', async () => {
    const modes = ['updates', 'values'] as const;
    assert.deepEqual(normalize(await durableGraph('sub-plain', modes, false)), await langGraph(modes, false));
  });
});

describe('stream() with a subgraph across a Worker restart', () => {
  it('delivers every child chunk exactly once when the Worker stops in the middle of a child node and another one takes over', async () => {
    let attempts = 0;
    let slowStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const child = new StateGraph(Shared)
      .addNode('c1', (_s, config) => {
        config.writer({ at: 'c1' });
        return { log: ['c1'] };
      })
      .addNode(
        'slow',
        async (_s, config) => {
          const attempt = ++attempts;
          config.writer({ at: 'slow', attempt });
          if (attempt === 1) {
            slowStarted();
            await sleep(60_000, undefined, { signal: config.signal }); // until the Worker's shutdown cancels it
          }
          return { log: ['slow'] };
        },
        { heartbeatTimeout: '2s', retryPolicy: { maxAttempts: 5, initialInterval: 200 } },
      )
      .addEdge(START, 'c1')
      .addEdge('c1', 'slow')
      .addEdge('slow', END)
      .compile({ name: 'sub-restart-child' });
    const parent = new StateGraph(Shared)
      .addNode('p1', (_s, config) => {
        config.writer({ at: 'p1' });
        return { log: ['p1'] };
      })
      .addNode('sub', child)
      .addNode('p2', (_s, config) => {
        config.writer({ at: 'p2' });
        return { log: ['p2'] };
      })
      .addEdge(START, 'p1')
      .addEdge('p1', 'sub')
      .addEdge('sub', 'p2')
      .addEdge('p2', END)
      .compile({ name: 'sub-restart' });

    await withGraphs(
      [parent, child],
      async ({ client, startWorker }) => {
        const first = await startWorker();
        const firstRun = first.run();
        const chunks: unknown[] = [];
        const config = {
          configurable: { thread_id: threadId('sub-restart') },
          streamMode: ['custom', 'updates'] as const,
          subgraphs: true,
        };
        const consuming = (async () => {
          for await (const chunk of client.graph(parent).stream({ x: 't' }, config)) chunks.push(chunk);
        })();
        await started;
        first.shutdown();
        await firstRun;
        await sleep(1000); // no worker at all for a while: the stream waits, it does not fail
        const second = await startWorker();
        const secondRun = second.run();
        try {
          await consuming;
        } finally {
          second.shutdown();
          await secondRun;
        }
        assert.equal(attempts, 2, 'the slow child node ran again on the second worker');
        const ns = (chunks[2] as [string[]])[0];
        assert.match(String(ns[0]), /^sub:[0-9a-f-]{36}$/);
        assert.deepEqual(chunks, [
          [[], 'custom', { at: 'p1' }],
          [[], 'updates', { p1: { log: ['p1'] } }],
          [ns, 'custom', { at: 'c1' }],
          [ns, 'updates', { c1: { log: ['c1'] } }],
          // Only the attempt that finished: chunks of the cancelled attempt are never delivered.
          [ns, 'custom', { at: 'slow', attempt: 2 }],
          [ns, 'updates', { slow: { log: ['slow'] } }],
          [[], 'updates', { sub: { log: ['p1', 'c1', 'slow'], x: 't' } }],
          [[], 'custom', { at: 'p2' }],
          [[], 'updates', { p2: { log: ['p2'] } }],
        ]);
      },
      { worker: false },
    );
  });
});
