/**
 * Eager workflow start: a GraphClient on the NativeConnection of a worker in the same process starts runs with
 * `start()` on that worker directly (the first workflow task comes back in the start response). Without such a
 * worker, or on a plain client Connection, the run starts through the task queue as usual.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { GraphClient } from '../../src/client.js';
import { END, START, StateGraph, appendReducer, withReducer } from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';

const graph = new StateGraph(
  z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []), topic: z.string() }),
)
  .addNode('draft', (s) => ({ log: [`draft about ${s.topic}`] }))
  .addNode('review', (s) => ({ log: [`reviewed ${s.log.length} entries`] }))
  .addEdge(START, 'draft')
  .addEdge('draft', 'review')
  .addEdge('review', END)
  .compile({ name: 'eager-start' });

const config = (id: string) => ({ configurable: { thread_id: id } });

/** The `log` of the run's final state. */
async function finalLog(handle: WorkflowHandle): Promise<string[]> {
  return ((await handle.result()) as { values: { log: string[] } }).values.log;
}

/** The identity the history records on the run's first WorkflowTaskStarted event. */
async function firstWorkflowTaskIdentity(handle: WorkflowHandle): Promise<string> {
  const history = await handle.fetchHistory();
  const started = history.events?.find((e) => e.workflowTaskStartedEventAttributes);
  assert.ok(started, 'the history has a started workflow task');
  return started.workflowTaskStartedEventAttributes!.identity ?? '';
}

describe('eager start', () => {
  it('start() on a client sharing the worker’s NativeConnection runs the first workflow task on that worker, from the start response', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: server.address });
    const other = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const worker = await createWorker({
        graphs: [graph],
        connection,
        namespace: server.namespace,
        taskQueue,
        workerOptions: { identity: 'eager-worker' },
      });
      const shared = await GraphClient.connect({
        connection,
        namespace: server.namespace,
        taskQueue,
        identity: 'eager-client',
      });
      await worker.runUntil(async () => {
        const thread = threadId('eager');
        const handle = await shared.graph(graph).start({ topic: 'Q3' }, config(thread));
        assert.equal(
          handle.eagerlyStarted,
          true,
          'the server handed the first workflow task back in the start response',
        );
        assert.deepEqual(await finalLog(handle), ['draft about Q3', 'reviewed 1 entries']);
        // Handed back in the start response, the first task is recorded as started by the start request's sender.
        assert.equal(await firstWorkflowTaskIdentity(handle), 'eager-client');

        // A second start on the finished thread takes the other start path (a new run that carries the last state).
        const again = await shared.graph(graph).start({ topic: 'Q4' }, config(thread));
        assert.equal(again.eagerlyStarted, true);
        assert.deepEqual(await finalLog(again), [
          'draft about Q3',
          'reviewed 1 entries',
          'draft about Q4',
          'reviewed 3 entries',
        ]);

        // Everything else works through the NativeConnection as through a client Connection.
        const invoked = await shared.graph(graph).invoke({ topic: 'Q1' }, config(threadId('eager-invoke')));
        assert.deepEqual(invoked.log, ['draft about Q1', 'reviewed 1 entries']);
        assert.equal((await shared.graph(graph).getState(config(thread))).values.log.length, 4);

        // A client with its own connection cannot start eagerly; its run goes through the task queue.
        const plain = await other.graph(graph).start({ topic: 'Q2' }, config(threadId('plain')));
        assert.equal(plain.eagerlyStarted, false);
        assert.deepEqual(await finalLog(plain), ['draft about Q2', 'reviewed 1 entries']);
        assert.equal(
          await firstWorkflowTaskIdentity(plain),
          'eager-worker',
          'polled from the task queue by the worker',
        );
      });
      await shared.close();
    } finally {
      await other.close();
      await connection.close();
    }
  });

  it('start() on a NativeConnection that no worker runs on starts the run through the task queue', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const workerConnection = await NativeConnection.connect({ address: server.address });
    const clientConnection = await NativeConnection.connect({ address: server.address });
    try {
      const worker = await createWorker({
        graphs: [graph],
        connection: workerConnection,
        namespace: server.namespace,
        taskQueue,
        workerOptions: { identity: 'queue-worker' },
      });
      const client = await GraphClient.connect({
        connection: clientConnection,
        namespace: server.namespace,
        taskQueue,
      });
      await worker.runUntil(async () => {
        const handle = await client.graph(graph).start({ topic: 'Q3' }, config(threadId('not-eager')));
        assert.equal(handle.eagerlyStarted, false, 'no worker on this connection could take the task');
        assert.deepEqual(await finalLog(handle), ['draft about Q3', 'reviewed 1 entries']);
        assert.equal(
          await firstWorkflowTaskIdentity(handle),
          'queue-worker',
          'polled from the task queue by the worker',
        );
      });
    } finally {
      await clientConnection.close();
      await workerConnection.close();
    }
  });
});
