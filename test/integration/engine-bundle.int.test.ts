/**
 * A prebuilt engine bundle: `durable-graph bundle --out <file>` writes it, a worker given its path runs a graph on it
 * without bundling the engine itself, and a bundle stamped by another durable-graph version is refused, given in
 * code or named by DURABLE_GRAPH_ENGINE_BUNDLE to `durable-graph worker`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { approvalGraph } from '../../examples/approval/graph.js';
import { GraphClient } from '../../src/client.js';
import { Command, isInterrupted } from '../../src/index.js';
import { createWorker, ENGINE_BUNDLE_ENV } from '../../src/worker.js';
import { runDurableGraph } from '../helpers/durable-graph-cli.js';
import { threadId } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('a prebuilt engine bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durable-graph-engine-bundle-'));
  const built = join(dir, 'engine.js');
  const oldVersion = join(dir, 'engine-0.1.0.js');

  before(async () => {
    const run = await runDurableGraph(['bundle', '--out', built]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(`Start workers with ${ENGINE_BUNDLE_ENV}=${built}.`), run.stdout);
    const code = readFileSync(built, 'utf8');
    const stamp = `"durableGraph":${JSON.stringify(version)}`;
    assert.ok(code.includes(stamp), 'the bundle is stamped with this version');
    writeFileSync(oldVersion, code.replace(stamp, '"durableGraph":"0.1.0"'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('written by `durable-graph bundle` runs a graph to its pause and its end on a worker given its path', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: server.address });
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const worker = await createWorker({
        graphs: [approvalGraph],
        connection,
        namespace: server.namespace,
        taskQueue,
        engineBundle: { codePath: built },
      });
      await worker.runUntil(async () => {
        const graph = client.graph(approvalGraph);
        const config = { configurable: { thread_id: threadId('prebuilt') } };
        const paused = await graph.invoke({ request: 'Q3 report' }, config);
        assert.ok(isInterrupted(paused));
        assert.equal(paused.proposed_action, 'send email about Q3 report');
        const done = await graph.invoke(new Command({ resume: true }), config);
        assert.equal('__interrupt__' in done, false);
        assert.equal(done.result, 'EXECUTED: send email about Q3 report');
      });
    } finally {
      await client.close();
      await connection.close();
    }
  });

  it('stamped by another durable-graph version is refused before the worker connects, saying how to rebuild it', async () => {
    await assert.rejects(
      // No server listens there: the refusal comes first.
      createWorker({
        graphs: [approvalGraph],
        address: '127.0.0.1:1',
        namespace: 'default',
        engineBundle: { codePath: oldVersion },
      }),
      (error: Error) => {
        assert.equal(error.name, 'InvalidInputError');
        assert.ok(error.message.includes(`engineBundle.codePath "${oldVersion}" was built for`), error.message);
        assert.ok(error.message.includes(`durable-graph 0.1.0 (this worker: ${version})`), error.message);
        assert.match(error.message, /`durable-graph bundle --out <file>`.*\[INVALID_INPUT\]/);
        return true;
      },
    );
  });

  it('named by DURABLE_GRAPH_ENGINE_BUNDLE and stamped by another version stops `durable-graph worker`', async () => {
    const server = await getTestServer();
    const run = await runDurableGraph(
      [
        'worker',
        'examples/approval/graph.ts',
        '--address',
        server.address,
        '--namespace',
        server.namespace,
        '--task-queue',
        `test-${randomUUID()}`,
      ],
      { env: { ...process.env, [ENGINE_BUNDLE_ENV]: oldVersion } },
    );
    assert.equal(run.code, 1, run.stdout);
    assert.ok(run.stderr.includes(`${ENGINE_BUNDLE_ENV} "${oldVersion}" was built for`), run.stderr);
    assert.ok(run.stderr.includes(`durable-graph 0.1.0 (this worker: ${version})`), run.stderr);
    assert.match(run.stderr, /or unset DURABLE_GRAPH_ENGINE_BUNDLE/);
    assert.doesNotMatch(run.stdout, /Press Ctrl-C to stop/);
  });
});
