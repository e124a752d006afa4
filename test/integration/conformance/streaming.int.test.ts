/**
 * Streaming (LangGraph R49): stream(input | Command, { streamMode }) in "updates", "values", "custom" and lists of
 * modes, around a pause and its resume; the same chunk sequence as @langchain/langgraph 1.7.3 for the same graph;
 * every chunk exactly once across a Worker restart in the middle of a node.
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
} from '@langchain/langgraph';
import { z } from 'zod';
import { approvalGraph } from '../../../examples/approval/graph.js';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { InvalidInputError, NoPendingInterruptError, NodeFailedError } from '../../../src/errors.js';
import type { GraphHandle } from '../../../src/client.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const question = (request: string) => ({
  question: 'Approve this action?',
  proposed_action: `send email about ${request}`,
});

/** The chunks of one stream() call. */
async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Streams the approval flow: the run to its pause, then the resume. Returns both chunk lists and the interrupt id. */
async function approvalStreams<
  M extends 'updates' | 'values' | 'custom' | readonly ('updates' | 'values' | 'custom')[],
>(handle: GraphHandle<any>, streamMode: M) {
  const config = { configurable: { thread_id: threadId('stream') }, streamMode };
  const paused = await collect(handle.stream({ request: 'Q3 report' }, config));
  const id = (await handle.getState(config)).tasks[0]?.interrupts[0]?.id;
  const resumed = await collect(handle.stream(new Command({ resume: true }), config));
  return { paused, resumed, id, config };
}

describe('stream() on the approval graph (R49)', () => {
  it('"updates": node chunks, then a final { __interrupt__ } chunk; the resume streams the remaining nodes', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const { paused, resumed, id } = await approvalStreams(client.graph(approvalGraph), 'updates');
      assert.match(String(id), /^[0-9a-f]{32}$/);
      assert.deepEqual(paused, [
        { propose: { proposed_action: 'send email about Q3 report' } },
        { __interrupt__: [{ id, value: question('Q3 report') }] },
      ]);
      assert.deepEqual(resumed, [
        { human_review: { approved: true } },
        { execute: { result: 'EXECUTED: send email about Q3 report' } },
      ]);
    });
  });

  it('"values": states, then a final chunk that is only { __interrupt__ }; the resume starts by re-emitting the paused state', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const { paused, resumed, id } = await approvalStreams(client.graph(approvalGraph), 'values');
      const proposed = { request: 'Q3 report', proposed_action: 'send email about Q3 report' };
      assert.deepEqual(paused, [
        { request: 'Q3 report' },
        proposed,
        { __interrupt__: [{ id, value: question('Q3 report') }] },
      ]);
      assert.deepEqual(resumed, [
        proposed,
        { ...proposed, approved: true },
        { ...proposed, approved: true, result: 'EXECUTED: send email about Q3 report' },
      ]);
    });
  });

  it('["updates", "values"]: [mode, chunk] tuples, with the interrupt in both modes', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const { paused, resumed, id } = await approvalStreams(client.graph(approvalGraph), ['updates', 'values']);
      const proposed = { request: 'Q3 report', proposed_action: 'send email about Q3 report' };
      const pause = { __interrupt__: [{ id, value: question('Q3 report') }] };
      assert.deepEqual(paused, [
        ['values', { request: 'Q3 report' }],
        ['updates', { propose: { proposed_action: 'send email about Q3 report' } }],
        ['values', proposed],
        ['updates', pause],
        ['values', pause],
      ]);
      assert.deepEqual(resumed, [
        ['values', proposed],
        ['updates', { human_review: { approved: true } }],
        ['values', { ...proposed, approved: true }],
        ['updates', { execute: { result: 'EXECUTED: send email about Q3 report' } }],
        ['values', { ...proposed, approved: true, result: 'EXECUTED: send email about Q3 report' }],
      ]);
    });
  });

  it('"custom": what nodes pass to config.writer, once per execution of the node (the paused node writes again when it re-runs), no interrupt chunk', async () => {
    const graph = writerApprovalGraph('writer-approval');
    await withGraphs([graph], async ({ client }) => {
      const { paused, resumed } = await approvalStreams(client.graph(graph), 'custom');
      assert.deepEqual(paused, [{ step: 'propose' }, { step: 'review-before' }]);
      assert.deepEqual(resumed, [{ step: 'review-before' }, { step: 'review-after', answer: true }]);
    });
  });

  it('gives the same chunk sequence as LangGraph.js 1.7.3 for the same graphs, in all three modes at once: pause, breakpoint, subgraph', async () => {
    const modes = ['updates', 'values', 'custom'] as const;
    const ours = writerApprovalGraph('writer-approval-diff');
    const bp = breakpointGraph();
    const sub = subgraphParent();
    const expected = await langGraphStreams(modes);
    await withGraphs([ours, bp, sub], async ({ client }) => {
      const { paused, resumed } = await approvalStreams(client.graph(ours), modes);
      assert.deepEqual(normalizeIds({ paused, resumed }), expected.approval);
      const config = { configurable: { thread_id: threadId('bp') }, streamMode: modes };
      const atBreakpoint = await collect(client.graph(bp).stream({ x: 0 }, config));
      const continued = await collect(client.graph(bp).stream(null, config));
      assert.deepEqual({ atBreakpoint, continued }, expected.breakpoint);
      const subConfig = { configurable: { thread_id: threadId('sub') }, streamMode: modes };
      const subPaused = await collect(client.graph(sub).stream({}, subConfig));
      const subResumed = await collect(client.graph(sub).stream(new Command({ resume: 'yes' }), subConfig));
      assert.deepEqual(normalizeIds({ paused: subPaused, resumed: subResumed }), expected.subgraph);
    });
  });

  it('stream(null) on a finished thread yields its state in "values" mode and nothing in "updates" mode, as LangGraph; a resume there is refused', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const { config } = await approvalStreams(handle, 'updates');
      assert.deepEqual(await collect(handle.stream(null, config)), []);
      const values = await collect(handle.stream(null, { ...config, streamMode: 'values' }));
      assert.deepEqual(values, [
        {
          request: 'Q3 report',
          proposed_action: 'send email about Q3 report',
          approved: true,
          result: 'EXECUTED: send email about Q3 report',
        },
      ]);
      // A resume with nothing pending is refused as invoke() refuses it (our decision, not LangGraph's no-op R21).
      await assert.rejects(collect(handle.stream(new Command({ resume: true }), config)), NoPendingInterruptError);
    });
  });

  it('yields the chunks before a failure, then throws the error invoke() would throw', async () => {
    const graph = new StateGraph(z.object({ n: z.number() }))
      .addNode('ok', (s) => ({ n: s.n + 1 }))
      .addNode(
        'boom',
        () => {
          throw new Error('boom');
        },
        { retryPolicy: { maxAttempts: 1 } },
      )
      .addEdge(START, 'ok')
      .addEdge('ok', 'boom')
      .addEdge('boom', END)
      .compile({ name: 'stream-failure' });
    await withGraphs([graph], async ({ client }) => {
      const chunks: unknown[] = [];
      await assert.rejects(async () => {
        for await (const chunk of client
          .graph(graph)
          .stream({ n: 1 }, { configurable: { thread_id: threadId('fail') } }))
          chunks.push(chunk);
      }, NodeFailedError);
      assert.deepEqual(chunks, [{ ok: { n: 2 } }]);
    });
  });

  it('refuses a stream mode it does not support before anything runs', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('mode') }, streamMode: 'messages' as never };
      await assert.rejects(collect(client.graph(approvalGraph).stream({ request: 'x' }, config)), InvalidInputError);
      assert.equal((await client.graph(approvalGraph).getState(config)).status, undefined);
    });
  });

  it('costs one pollStream Update per Workflow Task that records chunks, and a run nobody streams none', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const { paused, resumed, config } = await approvalStreams(handle, ['updates', 'values']);
      const polls = await updateNames(client.temporal.workflow.getHandle(config.configurable.thread_id).fetchHistory());
      // Each stream reads at least once; at most once per chunk (chunks recorded in one Workflow Task share a read).
      const pollCount = polls.filter((n) => n === 'pollStream').length;
      assert.ok(pollCount >= 2 && pollCount <= paused.length + resumed.length, `pollStream Updates: ${pollCount}`);
      const plain = { configurable: { thread_id: threadId('plain') } };
      await handle.invoke({ request: 'x' }, plain);
      await handle.invoke(new Command({ resume: true }), plain);
      assert.deepEqual(
        await updateNames(client.temporal.workflow.getHandle(plain.configurable.thread_id).fetchHistory()),
        ['awaitStop', 'resume'],
      );
    });
  });
});

describe('stream() when the run stops twice in one Workflow Task', () => {
  // The re-run after invoke(null) outlasts the interrupt's deadline, which a plain continue keeps: the run pauses on
  // the same interrupt and fails at once, two stops in one Workflow Task. The stream's read of the re-run's segment
  // either waits through both stops (a regular Activity) or arrives after them (a local one).
  for (const local of [false, true]) {
    it(
      `delivers the chunks up to the pause, then throws the failure (re-run as a ${local ? 'local' : 'regular'} Activity)`,
      { timeout: 60_000 },
      async () => {
        let runs = 0;
        const graph = new StateGraph(z.object({ decision: z.string().optional() }))
          .addNode(
            'ask',
            async (_s, config) => {
              if (++runs === 2) await sleep(3000);
              config.writer({ run: runs });
              return { decision: interrupt<string>('approve?', { timeout: '2s' }) };
            },
            { local },
          )
          .addEdge(START, 'ask')
          .compile({ name: `stream-two-stops-${local}` });
        await withGraphs([graph], async ({ client }) => {
          const handle = client.graph(graph);
          const config = {
            configurable: { thread_id: threadId('two-stops') },
            streamMode: ['updates', 'custom'] as const,
          };
          const paused = await collect(handle.stream({}, config));
          const chunks: unknown[] = [];
          await assert.rejects(
            async () => {
              for await (const chunk of handle.stream(null, config)) chunks.push(chunk);
            },
            (error: Error) => /expired with no resume/.test(error.message),
          );
          // The same interrupt again, with its id and its deadline.
          assert.deepEqual(paused.at(-1)?.[0], 'updates');
          assert.deepEqual(chunks, [['custom', { run: 2 }], paused.at(-1)]);
          assert.equal(runs, 2);
        });
      },
    );
  }
});

describe('stream() across a Worker restart', () => {
  it('delivers every chunk exactly once when the Worker stops in the middle of a node and another one takes over', async () => {
    let attempts = 0;
    let slowStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const graph = new StateGraph(
      z.object({ topic: z.string(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
    )
      .addNode('first', (_s, config) => {
        config.writer({ at: 'first' });
        return { log: ['first'] };
      })
      .addNode(
        'slow',
        async (_s, config) => {
          const attempt = ++attempts;
          config.writer({ at: 'slow', attempt });
          if (attempt === 1) {
            slowStarted();
            // Runs until the Worker's shutdown cancels it.
            await sleep(60_000, undefined, { signal: config.signal });
          }
          return { log: ['slow'] };
        },
        { heartbeatTimeout: '2s', retryPolicy: { maxAttempts: 5, initialInterval: 200 } },
      )
      .addNode('last', (_s, config) => {
        config.writer({ at: 'last' });
        return { log: ['last'] };
      })
      .addEdge(START, 'first')
      .addEdge('first', 'slow')
      .addEdge('slow', 'last')
      .addEdge('last', END)
      .compile({ name: 'stream-restart' });

    await withGraphs(
      [graph],
      async ({ client, startWorker }) => {
        const first = await startWorker();
        const firstRun = first.run();
        const chunks: unknown[] = [];
        const config = {
          configurable: { thread_id: threadId('restart') },
          streamMode: ['updates', 'values', 'custom'] as const,
        };
        const consuming = (async () => {
          for await (const chunk of client.graph(graph).stream({ topic: 't' }, config)) chunks.push(chunk);
        })();
        await started;
        first.shutdown();
        await firstRun;
        // No worker at all for a while: the stream waits, it does not fail.
        await sleep(1000);
        const second = await startWorker();
        const secondRun = second.run();
        try {
          await consuming;
        } finally {
          second.shutdown();
          await secondRun;
        }
        assert.equal(attempts, 2, 'the slow node ran again on the second worker');
        assert.deepEqual(chunks, [
          ['values', { topic: 't', log: [] }],
          ['custom', { at: 'first' }],
          ['updates', { first: { log: ['first'] } }],
          ['values', { topic: 't', log: ['first'] }],
          // Only the attempt that finished: chunks of the cancelled attempt are never delivered.
          ['custom', { at: 'slow', attempt: 2 }],
          ['updates', { slow: { log: ['slow'] } }],
          ['values', { topic: 't', log: ['first', 'slow'] }],
          ['custom', { at: 'last' }],
          ['updates', { last: { log: ['last'] } }],
          ['values', { topic: 't', log: ['first', 'slow', 'last'] }],
        ]);
      },
      { worker: false },
    );
  });
});

/** The approval graph with config.writer calls (the "custom" mode), on durable-graph. */
function writerApprovalGraph(name: string) {
  const State = z.object({
    request: z.string(),
    proposed_action: z.string().optional(),
    approved: z.boolean().optional(),
    result: z.string().optional(),
  });
  return new StateGraph(State)
    .addNode('propose', (s, config) => {
      config.writer({ step: 'propose' });
      return { proposed_action: `send email about ${s.request}` };
    })
    .addNode('human_review', (s, config) => {
      config.writer({ step: 'review-before' });
      const answer = interrupt<boolean>(question(s.request));
      config.writer({ step: 'review-after', answer });
      return { approved: answer === true };
    })
    .addNode('execute', (s) => ({
      result: s.approved ? `EXECUTED: ${s.proposed_action}` : `REJECTED: ${s.proposed_action}`,
    }))
    .addEdge(START, 'propose')
    .addEdge('propose', 'human_review')
    .addEdge('human_review', 'execute')
    .addEdge('execute', END)
    .compile({ name });
}

/** A two-node graph paused by a static breakpoint before its second node; the first node writes nothing. */
function breakpointGraph() {
  return new StateGraph(z.object({ x: z.number(), y: z.number().optional() }))
    .addNode('a', () => {})
    .addNode('b', () => ({ y: 1 }))
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('b', END)
    .compile({ name: 'stream-breakpoint', interruptBefore: ['b'] });
}

/** A parent whose middle node is a subgraph that pauses (shared reducer field, as in LangGraph's scenario h). */
function subgraphParent() {
  const Shared = z.object({
    log: withReducer(z.array(z.string()), appendReducer, () => []),
    answer: z.string().optional(),
  });
  const child = new StateGraph(Shared)
    .addNode('child_prep', () => ({ log: ['child_prep'] }))
    .addNode('child_ask', () => ({ answer: interrupt<string>({ question: 'from the child' }), log: ['child_ask'] }))
    .addEdge(START, 'child_prep')
    .addEdge('child_prep', 'child_ask')
    .addEdge('child_ask', END)
    .compile({ name: 'stream-child' });
  return new StateGraph(Shared)
    .addNode('pre', () => ({ log: ['pre'] }))
    .addNode('sub', child)
    .addNode('post', (s) => ({ log: [`post:${s.answer}`] }))
    .addEdge(START, 'pre')
    .addEdge('pre', 'sub')
    .addEdge('sub', 'post')
    .addEdge('post', END)
    .compile({ name: 'stream-parent' });
}

/** The same three scenarios run on LangGraph.js itself (MemorySaver), interrupt ids replaced by "<id>". */
async function langGraphStreams(streamMode: readonly ('updates' | 'values' | 'custom')[]) {
  const modes = [...streamMode];
  const State = Annotation.Root({
    request: Annotation<string>(),
    proposed_action: Annotation<string>(),
    approved: Annotation<boolean>(),
    result: Annotation<string>(),
  });
  const approval = new LangGraphStateGraph(State)
    .addNode('propose', (s, config) => {
      config.writer?.({ step: 'propose' });
      return { proposed_action: `send email about ${s.request}` };
    })
    .addNode('human_review', (s, config) => {
      config.writer?.({ step: 'review-before' });
      const answer = langGraphInterrupt<unknown, boolean>(question(s.request));
      config.writer?.({ step: 'review-after', answer });
      return { approved: answer === true };
    })
    .addNode('execute', (s) => ({
      result: s.approved ? `EXECUTED: ${s.proposed_action}` : `REJECTED: ${s.proposed_action}`,
    }))
    .addEdge('__start__', 'propose')
    .addEdge('propose', 'human_review')
    .addEdge('human_review', 'execute')
    .addEdge('execute', '__end__')
    .compile({ checkpointer: new MemorySaver() });
  const config = { configurable: { thread_id: 'approval' }, streamMode: modes };
  const paused = await collect(await approval.stream({ request: 'Q3 report' }, config));
  const resumed = await collect(await approval.stream(new LangGraphCommand({ resume: true }), config));

  const BpState = Annotation.Root({ x: Annotation<number>(), y: Annotation<number>() });
  const bp = new LangGraphStateGraph(BpState)
    .addNode('a', () => ({}))
    .addNode('b', () => ({ y: 1 }))
    .addEdge('__start__', 'a')
    .addEdge('a', 'b')
    .addEdge('b', '__end__')
    .compile({ checkpointer: new MemorySaver(), interruptBefore: ['b'] });
  const bpConfig = { configurable: { thread_id: 'bp' }, streamMode: modes };
  const atBreakpoint = await collect(await bp.stream({ x: 0 }, bpConfig));
  const continued = await collect(await bp.stream(null, bpConfig));

  const Shared = Annotation.Root({
    log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    answer: Annotation<string>(),
  });
  const child = new LangGraphStateGraph(Shared)
    .addNode('child_prep', () => ({ log: ['child_prep'] }))
    .addNode('child_ask', () => ({
      answer: langGraphInterrupt<unknown, string>({ question: 'from the child' }),
      log: ['child_ask'],
    }))
    .addEdge('__start__', 'child_prep')
    .addEdge('child_prep', 'child_ask')
    .addEdge('child_ask', '__end__')
    .compile();
  const parent = new LangGraphStateGraph(Shared)
    .addNode('pre', () => ({ log: ['pre'] }))
    .addNode('sub', child)
    .addNode('post', (s) => ({ log: [`post:${s.answer}`] }))
    .addEdge('__start__', 'pre')
    .addEdge('pre', 'sub')
    .addEdge('sub', 'post')
    .addEdge('post', '__end__')
    .compile({ checkpointer: new MemorySaver() });
  const subConfig = { configurable: { thread_id: 'sub' }, streamMode: modes };
  const subPaused = await collect(await parent.stream({}, subConfig));
  const subResumed = await collect(await parent.stream(new LangGraphCommand({ resume: 'yes' }), subConfig));
  return {
    approval: normalizeIds({ paused, resumed }),
    breakpoint: { atBreakpoint, continued },
    subgraph: normalizeIds({ paused: subPaused, resumed: subResumed }),
  };
}

/** Replaces every 32-hex interrupt id by "<id>" (LangGraph's ids are XXH3 hashes, ours random; both 32 hex). */
function normalizeIds<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'id' && typeof v === 'string' && /^[0-9a-f]{32}$/.test(v) ? '<id>' : v,
    ),
  ) as T;
}

/** Names of the Updates accepted in a history, in order. */
async function updateNames(
  history: Promise<{
    events?: Array<{
      workflowExecutionUpdateAcceptedEventAttributes?: {
        acceptedRequest?: { input?: { name?: string | null } | null } | null;
      } | null;
    }> | null;
  }>,
): Promise<string[]> {
  return ((await history).events ?? []).flatMap((e) => {
    const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    return name ? [name] : [];
  });
}
