/**
 * Opt-in OpenTelemetry: with telemetry on in the client and the worker, a run's trace starts at `invoke` (the span of
 * Temporal's client interceptor) and holds one span per node execution, through a pause and its resume: the node's
 * Activity span (`RunActivity:<node>`), or `RunNode:<node>` for nodes that share a local segment's Activity, each
 * with the node's attributes. Spans are collected by an in-memory exporter.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NativeConnection } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt, isInterrupted } from '../../src/index.js';
import { GraphClient } from '../../src/client.js';
import { OwnActivity } from '../../src/protocol/activities.js';
import { createWorker } from '../../src/worker.js';
import '../helpers/env.js'; // the quiet logger
import { getTestServer } from '../helpers/server.js';

// The application's OpenTelemetry setup, as the Node SDK would make it: a provider, a context manager, W3C propagation.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider();
provider.addSpanProcessor(new SimpleSpanProcessor(exporter));
provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
after(() => provider.shutdown());

const graph = new StateGraph(z.object({ text: z.string(), log: z.array(z.string()).default([]) }))
  .addNode('draft', (s) => ({ text: `${s.text}, drafted` }))
  .addNode('review', (s) => ({ log: [...s.log, `review: ${interrupt<string>({ question: 'Publish?' })}`] }))
  .addNode('publish', (s) => ({ log: [...s.log, 'published'] }))
  .addNode('stamp', (s) => ({ log: [...s.log, 'stamped'] }), { local: true })
  .addNode('archive', (s) => ({ log: [...s.log, 'archived'] }), { local: true })
  .addEdge(START, 'draft')
  .addEdge('draft', 'review')
  .addEdge('review', 'publish')
  .addEdge('publish', 'stamp')
  .addEdge('stamp', 'archive')
  .addEdge('archive', END)
  .compile({ name: 'traced' });

const Log = z.object({ log: z.array(z.string()).default([]) });
const inner = new StateGraph(Log)
  .addNode('answer', (s) => ({ log: [...s.log, 'answer'] }))
  .addEdge(START, 'answer')
  .addEdge('answer', END)
  .compile({ name: 'traced-inner' });
const sub = new StateGraph(Log)
  .addNode('deep', (s) => ({ log: [...s.log, 'deep'] }))
  .addEdge(START, 'deep')
  .addEdge('deep', END)
  .compile({ name: 'traced-sub' });
const parent = new StateGraph(Log)
  .addNode('ask', async (s) => ({ log: [...s.log, ...(await inner.invoke({})).log] }))
  .addNode('sub', sub)
  .addEdge(START, 'ask')
  .addEdge('ask', 'sub')
  .addEdge('sub', END)
  .compile({ name: 'traced-parent' });

/** Runs `fn` with a client and a worker hosting `graphs`, both with telemetry on. */
async function traced(
  graphs: Parameters<typeof createWorker>[0]['graphs'],
  fn: (client: GraphClient) => Promise<void>,
) {
  const server = await getTestServer();
  const taskQueue = `test-${randomUUID()}`;
  const telemetry = { tracerProvider: provider };
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await GraphClient.connect({
    address: server.address,
    namespace: server.namespace,
    taskQueue,
    telemetry,
  });
  try {
    const worker = await createWorker({ graphs, connection, namespace: server.namespace, taskQueue, telemetry });
    await worker.runUntil(() => fn(client));
  } finally {
    await client.close();
    await connection.close();
  }
}

/** The client span that started the run of `thread`. */
function runSpan(spans: ReadableSpan[], thread: string): ReadableSpan {
  // invoke() starts the run with an Update-with-Start, start() with a plain start: either way one client span.
  const starts = spans.filter(
    (s) =>
      s.attributes.temporalWorkflowId === thread &&
      /^(StartWorkflow|SignalWithStartWorkflow|UpdateWithStartWorkflow):/.test(s.name),
  );
  assert.equal(starts.length, 1, `one start of ${thread}`);
  return starts[0]!;
}

describe('OpenTelemetry tracing', () => {
  it('records one span per node execution, with its attributes, in the trace started by invoke, across a pause', async () => {
    const thread = `traced-${randomUUID()}`;
    await traced([graph], async (client) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ text: 'Q3 report' }, config);
      assert.ok(isInterrupted(paused));
      const done = await handle.invoke(new Command({ resume: 'yes' }), config);
      assert.deepEqual(done.log, ['review: yes', 'published', 'stamped', 'archived']);
    });

    const spans = exporter.getFinishedSpans();
    const start = runSpan(spans, thread);
    assert.equal(start.parentSpanId, undefined, 'the run starts a trace');
    const run = start.spanContext();

    const nodeSpans = spans.filter((s) => s.attributes.threadId === thread && typeof s.attributes.node === 'string');
    assert.deepEqual(nodeSpans.map((s) => s.name).sort(), [
      'RunActivity:draft',
      'RunActivity:publish',
      'RunActivity:review',
      'RunActivity:review',
      'RunNode:archive',
      'RunNode:stamp',
    ]);
    for (const span of nodeSpans) {
      assert.equal(span.spanContext().traceId, run.traceId, `${span.name} is in the run's trace`);
      const { threadId, graph: graphName, node, step, taskId, attempt } = span.attributes;
      assert.deepEqual({ threadId, graph: graphName, attempt }, { threadId: thread, graph: 'traced', attempt: 1 });
      assert.equal(span.name.split(':')[1], node);
      assert.equal(typeof step, 'number');
      assert.equal(typeof taskId, 'string');
    }

    // A node's own Activity span is a child of the run's start span, before and after the pause.
    const activitySpans = nodeSpans.filter((s) => s.name.startsWith('RunActivity:'));
    for (const span of activitySpans) assert.equal(span.parentSpanId, run.spanId, `${span.name}'s parent`);
    const reviews = byStep(nodeSpans.filter((s) => s.attributes.node === 'review'));
    assert.deepEqual(
      reviews.map((s) => s.attributes.outcome),
      ['interrupt', 'update'],
    );
    assert.equal(reviews[0]!.attributes.step, reviews[1]!.attributes.step, 'the resumed review re-runs its step');

    // Nodes of a local segment: each its own span, under the segment's Activity span, itself under the run.
    const segment = spans.filter(
      (s) => s.name === `RunActivity:${OwnActivity.runLocalSteps}` && s.spanContext().traceId === run.traceId,
    );
    assert.equal(segment.length, 1);
    assert.equal(segment[0]!.parentSpanId, run.spanId);
    const local = byStep(nodeSpans.filter((s) => s.name.startsWith('RunNode:')));
    for (const span of local) assert.equal(span.parentSpanId, segment[0]!.spanContext().spanId);
    assert.deepEqual(
      local.map((s) => [s.attributes.node, s.attributes.outcome]),
      [
        ['stamp', 'update'],
        ['archive', 'update'],
      ],
    );
    const steps = byStep(nodeSpans).map((s) => `${s.attributes.node}@${String(s.attributes.step)}`);
    assert.deepEqual(
      [...new Set(steps)].map((s) => s.split('@')[0]),
      ['draft', 'review', 'publish', 'stamp', 'archive'],
    );
  });

  it("puts the nodes of child threads (a subgraph node, a graph a node invokes) in the parent run's trace", async () => {
    const thread = `traced-parent-${randomUUID()}`;
    await traced([parent, inner], async (client) => {
      const done = await client.graph(parent).invoke({}, { configurable: { thread_id: thread } });
      assert.deepEqual(done.log, ['answer', 'deep']);
    });

    const spans = exporter.getFinishedSpans();
    const run = runSpan(spans, thread).spanContext();
    const only = (name: string) => {
      const found = spans.filter((s) => s.name === name && s.spanContext().traceId === run.traceId);
      assert.equal(found.length, 1, `one ${name} in the run's trace`);
      return found[0]!;
    };
    const ask = only('RunActivity:ask');
    assert.equal(ask.parentSpanId, run.spanId);
    // The graph invoked by `ask` starts from ask's span; its node runs under that start.
    const invoked = only('StartWorkflow:traced-inner');
    assert.equal(invoked.parentSpanId, ask.spanContext().spanId);
    const answer = only('RunActivity:answer');
    assert.equal(answer.parentSpanId, invoked.spanContext().spanId);
    assert.equal(answer.attributes.graph, 'traced-inner');
    assert.notEqual(answer.attributes.threadId, thread, 'a child thread of its own');
    // The subgraph node's child run passes the parent run's context on to its node.
    const deep = only('RunActivity:deep');
    assert.equal(deep.parentSpanId, run.spanId);
    assert.equal(deep.attributes.graph, 'traced-sub');
  });
});

/** Spans in step order (then start time). */
function byStep(spans: ReadableSpan[]): ReadableSpan[] {
  const time = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  return [...spans].sort((a, b) => Number(a.attributes.step) - Number(b.attributes.step) || time(a) - time(b));
}
