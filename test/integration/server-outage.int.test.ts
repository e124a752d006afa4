/**
 * The Temporal server goes away for 30 s (SIGKILL) and comes back on the same port and database, while calls wait on
 * it: an `invoke()` whose node is running, a resume sent during the outage and a state read. Each carries on once the
 * server is back; a client that waits less gets a typed SERVER_UNREACHABLE naming the thread, and nothing it sent was
 * lost or half-applied.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { GraphClient } from '../../src/client.js';
import { Command, END, START, ServerUnreachableError, StateGraph } from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';
import { startRestartableServer, type RestartableServer } from '../helpers/restartable-server.js';

const OUTAGE_MS = 30_000;

let entered: () => void = () => {};
const slowGraph = new StateGraph(z.object({ done: z.boolean().optional() }))
  .addNode('work', async () => {
    entered();
    await sleep(3_000); // finishes while the server is down
    return { done: true };
  })
  .addEdge(START, 'work')
  .addEdge('work', END)
  .compile({ name: 'outage-slow' });

describe('a server outage of 30 s', () => {
  let server: RestartableServer;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let client: GraphClient;
  let impatient: GraphClient;
  const taskQueue = `outage-${threadId()}`;

  before(async () => {
    server = await startRestartableServer();
    connection = await NativeConnection.connect({ address: server.address });
    worker = await createWorker({
      graphs: [approvalGraph, slowGraph],
      connection,
      namespace: server.namespace,
      taskQueue,
    });
    running = worker.run();
    client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    impatient = await GraphClient.connect({
      address: server.address,
      namespace: server.namespace,
      taskQueue,
      serverOutageTimeout: '2s',
    });
  });

  after(async () => {
    await client?.close();
    await impatient?.close();
    worker?.shutdown();
    await running?.catch(() => {});
    await connection?.close();
    await server?.stop();
  });

  it('is waited out by invoke(), resumes and reads; a shorter wait fails typed and loses nothing', async (t) => {
    const approval = client.graph(approvalGraph);
    const answered = { configurable: { thread_id: threadId('outage-resume') } };
    const refused = { configurable: { thread_id: threadId('outage-refused') } };
    for (const config of [answered, refused]) {
      const paused = await approval.invoke({ request: 'budget' }, config);
      assert.equal(paused.__interrupt__?.length, 1);
    }
    const slowConfig = { configurable: { thread_id: threadId('outage-slow') } };
    const nodeRunning = new Promise<void>((resolve) => (entered = resolve));
    const slow = client.graph(slowGraph).invoke({}, slowConfig);
    await nodeRunning;

    await server.kill();
    const down = Date.now();

    // Sent while nothing answers.
    const resumed = approval.invoke(new Command({ resume: true }), answered);
    const read = approval.getState(refused);
    const failed = await impatient
      .graph(approvalGraph)
      .invoke(new Command({ resume: true }), refused)
      .then(
        () => assert.fail('a 2 s wait cannot outlast a 30 s outage'),
        (error: unknown) => error,
      );
    assert.ok(failed instanceof ServerUnreachableError, String(failed));
    assert.equal(failed.code, 'SERVER_UNREACHABLE');
    assert.equal(failed.threadId, refused.configurable.thread_id);
    assert.equal(failed.address, server.address);
    assert.match(failed.message, /did not answer a call on thread "outage-refused-[^"]*" in time/);
    assert.match(failed.message, /getState\(config\)/);

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
    await server.restart();

    const back = Date.now();
    const since = <T>(call: Promise<T>, what: string) =>
      call.then(
        (value) => (t.diagnostic(`${what}: answered ${Date.now() - back} ms after the server was back`), value),
      );
    const [slowDone, resumedDone, state] = await Promise.all([
      since(slow, 'invoke() with a node running'),
      since(resumed, 'resume sent during the outage'),
      since(read, 'getState sent during the outage'),
    ]);
    assert.equal(slowDone.done, true);
    assert.equal(resumedDone.result, 'EXECUTED: send email about budget');
    assert.equal(state.values.request, 'budget');
    assert.deepEqual(state.next, ['human_review']);

    // The call that gave up applied nothing: its thread still waits for its answer, which works now.
    const still = await approval.getState(refused);
    assert.equal(still.tasks[0]?.interrupts.length, 1);
    const done = await approval.invoke(new Command({ resume: false }), refused);
    assert.equal(done.result, 'REJECTED: send email about budget');
  });
});
