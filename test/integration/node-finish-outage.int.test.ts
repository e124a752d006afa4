/**
 * The Temporal server goes down (SIGKILL) while nodes run, and stays down after their bodies have returned, so the
 * worker may not be able to report their results: a node can then run again once the server is back. Each thread
 * still completes exactly once (one result recorded per task, the next node run once), and a node body that ran
 * again saw the same idempotencyKey() as the first time.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { z } from 'zod';
import { GraphClient } from '../../src/client.js';
import { END, START, StateGraph, appendReducer, idempotencyKey, withReducer } from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';
import { startRestartableServer, type RestartableServer } from '../helpers/restartable-server.js';

const THREADS = 4;
/** How long the server stays down after every body has returned: longer than the worker keeps trying to report. */
const DOWN_AFTER_RETURN_MS = 20_000;

/** Every execution of the charging node's body, in the worker (this process). */
const bodies: Array<{ thread: string; key: string }> = [];
const counter = (n: number) => {
  let resolve: () => void = () => {};
  const reached = new Promise<void>((r) => (resolve = r));
  let count = 0;
  return { reached, add: () => ++count === n && resolve() };
};
let entered = counter(THREADS);
let returned = counter(THREADS);

const graph = new StateGraph(
  z.object({
    charges: withReducer(z.array(z.string()), appendReducer, () => []),
    receipts: withReducer(z.array(z.string()), appendReducer, () => []),
  }),
)
  .addNode('charge', async (_state, config) => {
    const key = idempotencyKey('charge');
    bodies.push({ thread: config.configurable.thread_id, key });
    entered.add();
    await sleep(3_000); // the server is killed meanwhile
    returned.add();
    return { charges: [key] };
  })
  .addNode('receipt', () => ({ receipts: ['sent'] }))
  .addEdge(START, 'charge')
  .addEdge('charge', 'receipt')
  .addEdge('receipt', END)
  .compile({ name: 'node-finish-outage' });

describe('the server down as a node finishes', () => {
  let server: RestartableServer;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let client: GraphClient;
  const taskQueue = `node-finish-outage-${threadId()}`;

  before(async () => {
    server = await startRestartableServer();
    connection = await NativeConnection.connect({ address: server.address });
    worker = await createWorker({ graphs: [graph], connection, namespace: server.namespace, taskQueue });
    running = worker.run();
    client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
  });

  after(async () => {
    await client?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await connection?.close();
    await server?.stop();
  });

  it('completes each thread once; a node body that ran again saw the same idempotency key', async (t) => {
    bodies.length = 0;
    entered = counter(THREADS);
    returned = counter(THREADS);
    const ids = Array.from({ length: THREADS }, () => threadId('node-finish-outage'));
    const app = client.graph(graph);
    const runs = ids.map((id) => app.invoke({}, { configurable: { thread_id: id } }));
    await entered.reached;

    await server.kill();
    await returned.reached;
    await sleep(DOWN_AFTER_RETURN_MS);
    await server.restart();

    const finals = await Promise.all(runs);
    for (const [i, id] of ids.entries()) {
      const final = finals[i]!;
      const ran = bodies.filter((b) => b.thread === id);
      assert.equal(new Set(ran.map((b) => b.key)).size, 1, `one key for every run of the task: ${JSON.stringify(ran)}`);
      assert.deepEqual(final.charges, [ran[0]!.key], 'the task result is recorded once');
      assert.deepEqual(final.receipts, ['sent'], 'the next node ran once');
      assert.equal(final.__interrupt__, undefined);
      const state = await app.getState({ configurable: { thread_id: id } });
      assert.deepEqual(state.next, []);
      assert.deepEqual(state.values, { charges: final.charges, receipts: ['sent'] });
    }
    const again = ids.filter((id) => bodies.filter((b) => b.thread === id).length > 1).length;
    t.diagnostic(`${again} of ${THREADS} threads ran the node body again after the outage (same key each time)`);
  });
});
