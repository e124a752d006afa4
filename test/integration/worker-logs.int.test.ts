/**
 * The worker's logs about a node execution are structured: the SDK's own lines ("Activity failed"), durable-graph's,
 * and those a node writes with `log` from `@temporalio/activity` carry `threadId`, `graph`, `node`, `step`, `taskId`
 * and `attempt` as attributes, including a retried attempt and nodes that share a local segment's Activity.
 * The logger is Temporal's (Runtime.install, once per process): this file installs one that keeps every entry, and
 * so does not use test/helpers/env.ts (which installs a quiet one).
 */
import { DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import { log } from '@temporalio/activity';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { z } from 'zod';
import { END, START, StateGraph } from '../../src/index.js';
import { GraphClient } from '../../src/client.js';
import { createWorker } from '../../src/worker.js';
import { getTestServer } from '../helpers/server.js';

const entries: LogEntry[] = [];
Runtime.install({ logger: new DefaultLogger('DEBUG', (entry) => entries.push(entry)) });

const charges = new Map<string, number>();

const graph = new StateGraph(z.object({ paid: z.boolean().default(false), trail: z.array(z.string()).default([]) }))
  .addNode(
    'charge',
    (_state, config) => {
      const thread = config.configurable.thread_id;
      const attempt = (charges.get(thread) ?? 0) + 1;
      charges.set(thread, attempt);
      log.info('charging the card', { amount: 42 });
      if (attempt === 1) throw new Error('the card processor timed out');
      return { paid: true };
    },
    { retryPolicy: { maxAttempts: 2, initialInterval: 10, maxInterval: 10 } },
  )
  .addNode(
    'receipt',
    (s) => {
      log.info('writing the receipt');
      return { trail: [...s.trail, 'receipt'] };
    },
    { local: true },
  )
  .addNode(
    'notify',
    (s) => {
      log.info('notifying the customer');
      return { trail: [...s.trail, 'notify'] };
    },
    { local: true },
  )
  .addEdge(START, 'charge')
  .addEdge('charge', 'receipt')
  .addEdge('receipt', 'notify')
  .addEdge('notify', END)
  .compile({ name: 'worker-logs' });

/** The entries about `thread` whose message is `message`. */
function linesOf(thread: string, message: string): Array<Record<string, unknown>> {
  return entries.filter((e) => e.message === message && e.meta?.threadId === thread).map((e) => e.meta!);
}

describe('worker logs', () => {
  it('carry the thread, graph, node, step, task and attempt of every node execution, retries and local segments included', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const thread = `logs-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: server.address });
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const worker = await createWorker({ graphs: [graph], connection, namespace: server.namespace, taskQueue });
      const done = await worker.runUntil(
        client.graph(graph).invoke({}, { configurable: { thread_id: thread } }) as Promise<Record<string, unknown>>,
      );
      assert.deepEqual(done, { paid: true, trail: ['receipt', 'notify'] });
    } finally {
      await client.close();
      await connection.close();
    }

    // The node's own line, once per attempt: same task and step, attempts 1 and 2.
    const charging = linesOf(thread, 'charging the card');
    assert.equal(charging.length, 2);
    const [first, second] = charging as [Record<string, unknown>, Record<string, unknown>];
    for (const line of charging) {
      assert.equal(line.graph, 'worker-logs');
      assert.equal(line.node, 'charge');
      assert.equal(typeof line.step, 'number');
      assert.equal(typeof line.taskId, 'string');
      assert.equal(line.amount, 42, "the node's own metadata is kept");
    }
    assert.deepEqual([first.attempt, second.attempt], [1, 2]);
    assert.equal(second.taskId, first.taskId);
    assert.equal(second.step, first.step);

    // The SDK's line about the failed attempt, with the node's attributes.
    const failed = linesOf(thread, 'Activity failed');
    assert.equal(failed.length, 1);
    assert.deepEqual(
      pick(failed[0]!, ['graph', 'node', 'step', 'taskId', 'attempt']),
      pick(first, ['graph', 'node', 'step', 'taskId', 'attempt']),
    );
    // ... and the one about the attempt that completed.
    const completed = linesOf(thread, 'Activity completed').filter((l) => l.node === 'charge');
    assert.deepEqual(
      completed.map((l) => pick(l, ['step', 'taskId', 'attempt'])),
      [pick(second, ['step', 'taskId', 'attempt'])],
    );

    // Two nodes in one local segment (one Activity): each line names its own node, step and task.
    const [receipt] = linesOf(thread, 'writing the receipt');
    const [notify] = linesOf(thread, 'notifying the customer');
    assert.ok(receipt && notify, 'both local nodes logged');
    assert.equal(receipt.activityId, notify.activityId, 'the two nodes ran in one Activity');
    assert.deepEqual(pick(receipt, ['graph', 'node', 'step', 'attempt']), {
      graph: 'worker-logs',
      node: 'receipt',
      step: (first.step as number) + 1,
      attempt: 1,
    });
    assert.deepEqual(pick(notify, ['graph', 'node', 'step', 'attempt']), {
      graph: 'worker-logs',
      node: 'notify',
      step: (first.step as number) + 2,
      attempt: 1,
    });
    assert.notEqual(receipt.taskId, notify.taskId);
  });

  it('are one JSON object a line, with the same attributes, from `durable-graph worker --log-format json`', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const thread = `json-logs-${randomUUID()}`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const flags = ['--address', server.address, '--namespace', server.namespace, '--task-queue', taskQueue];
    const child = spawn(
      process.execPath,
      [
        'bin/durable-graph.mjs',
        'worker',
        'examples/approval/graph.ts',
        '--log-format',
        'json',
        '--log-level',
        'DEBUG',
        ...flags,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const paused = await client
        .graph(approvalGraph)
        .invoke({ request: 'Q3 report' }, { configurable: { thread_id: thread } });
      assert.ok(paused.__interrupt__);
    } finally {
      child.kill('SIGINT');
      await once(child, 'close');
      await client.close();
    }
    const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length > 0, stderr);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const review = entries.find(
      (e) => e.threadId === thread && e.node === 'human_review' && e.message === 'Activity completed',
    );
    assert.ok(review, `no "Activity completed" line for human_review in:\n${stderr}`);
    assert.equal(review.graph, 'approval');
    assert.equal(review.level, 'DEBUG');
    assert.equal(review.attempt, 1);
    assert.equal(typeof review.step, 'number');
    assert.equal(typeof review.taskId, 'string');
    assert.match(String(review.time), /^\d{4}-\d\d-\d\dT/);
  });
});

function pick(line: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, line[k]]));
}
