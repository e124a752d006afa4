/**
 * `durable-graph resume` (the CLI as its own process) run while the Temporal server is down (SIGKILL): it waits for
 * the server for `--server-outage-timeout`, and once the server is back on the same port and database (its worker
 * polling again a moment later) it resumes the thread once and exits 0. A CLI whose wait is shorter than the outage
 * exits 1, saying in CLI words that nothing was sent to the thread and how to check it; that thread is still paused
 * when the server is back.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { approvalGraph } from '../../examples/approval/graph.js';
import { GraphClient } from '../../src/client.js';
import { createWorker } from '../../src/worker.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { threadId } from '../helpers/env.js';
import { startRestartableServer, type RestartableServer } from '../helpers/restartable-server.js';

/** Longer than the CLI's connect timeout of 10 s, and than the impatient CLI's wait. */
const OUTAGE_MS = 20_000;
/** Advice in code, which a shell user cannot run. */
const CODE_ADVICE = /invoke\(|new Command\(|getState\(/;

/** Watches a CLI's stderr: `said` resolves once the CLI has written `pattern` (never, if it does not). */
function watch(pattern: RegExp): { onStderr: (chunk: string) => void; said: Promise<void> } {
  let text = '';
  let resolve: () => void = () => {};
  const said = new Promise<void>((r) => (resolve = r));
  return { onStderr: (chunk) => pattern.test((text += chunk)) && resolve(), said };
}

describe('durable-graph resume during a server outage', () => {
  let server: RestartableServer;
  let connection: NativeConnection;
  let client: GraphClient;
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
  const taskQueue = `cli-outage-${threadId()}`;
  const startWorker = async () => {
    const worker = await createWorker({ graphs: [approvalGraph], connection, namespace: server.namespace, taskQueue });
    const entry = { worker, running: worker.run() };
    workers.push(entry);
    return entry;
  };

  before(async () => {
    server = await startRestartableServer();
    connection = await NativeConnection.connect({ address: server.address });
    client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
  });

  after(async () => {
    await client?.close();
    for (const { worker, running } of workers) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
    }
    await connection?.close();
    await server?.stop();
  });

  it('waits for the server and its worker, and resumes once; a shorter wait exits 1 having sent nothing', async () => {
    const approval = client.graph(approvalGraph);
    const waited = threadId('cli-outage-waited');
    const gaveUp = threadId('cli-outage-gave-up');
    const config = (id: string) => ({ configurable: { thread_id: id } });
    const first = await startWorker();
    for (const id of [waited, gaveUp]) {
      const paused = await approval.invoke({ request: id }, config(id));
      assert.equal(paused.__interrupt__?.length, 1);
    }
    // The worker stops with the server; one comes back after it (as a worker retrying its polls does).
    first.worker.shutdown();
    await first.running;
    const env = { address: server.address, namespace: server.namespace, taskQueue };

    await server.kill();
    const down = Date.now();
    const forServer = watch(/does not answer; waiting up to 120 s for it/);
    const forWorker = watch(/has just come back: waiting up to \d+ s for a worker of thread/);
    const patient = durableGraph(env, ['resume', waited, 'true', '--server-outage-timeout', '120'], {
      onStderr: (chunk) => (forServer.onStderr(chunk), forWorker.onStderr(chunk)),
    });
    const impatient = await durableGraph(env, ['resume', gaveUp, 'true', '--server-outage-timeout', '3']);

    assert.equal(impatient.code, 1, `stdout:\n${impatient.stdout}\nstderr:\n${impatient.stderr}`);
    assert.ok(
      impatient.stderr.includes(`nothing was sent to thread "${gaveUp}": nothing was applied`),
      impatient.stderr,
    );
    assert.ok(
      impatient.stderr.includes(`\`durable-graph show ${gaveUp} --address ${server.address}`),
      impatient.stderr,
    );
    assert.match(impatient.stderr, /--server-outage-timeout/);
    assert.doesNotMatch(impatient.stderr, CODE_ADVICE);

    await Promise.race([forServer.said, patient]);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
    await server.restart();
    // Until a worker polls again, the restarted server lists none: the CLI waits for one rather than refusing.
    await Promise.race([forWorker.said, patient]);
    await startWorker();

    const resumed = await patient;
    assert.equal(resumed.code, 0, `stdout:\n${resumed.stdout}\nstderr:\n${resumed.stderr}`);
    assert.ok(resumed.stdout.includes(`Resumed thread "${waited}"`), resumed.stdout);
    assert.match(resumed.stdout, /Completed\. Final values:/);
    const done = await approval.getState(config(waited));
    assert.equal(done.values.result, `EXECUTED: send email about ${waited}`);
    const resumes = (await approval.getAuditTrail(config(waited))).filter((e) => e.action === 'resume');
    assert.deepEqual(
      resumes.map((r) => [r.via, r.outcome]),
      [['update', 'applied']],
      'one resume reached the thread, applied once',
    );

    // The CLI that gave up sent nothing: its thread still waits for its answer, which the CLI gives now.
    const still = await approval.getState(config(gaveUp));
    assert.equal(still.tasks[0]?.interrupts.length, 1);
    assert.deepEqual(
      (await approval.getAuditTrail(config(gaveUp))).filter((e) => e.action === 'resume'),
      [],
    );
    const later = await durableGraph(env, ['resume', gaveUp, 'false']);
    assert.equal(later.code, 0, later.stderr);
    assert.equal((await approval.getState(config(gaveUp))).values.result, `REJECTED: send email about ${gaveUp}`);
  });
});
