/**
 * The CLI with encryption on: `durable-graph show` and `resume` read and answer an encrypted thread with the keys of
 * DURABLE_GRAPH_ENCRYPTION_KEYS (and name the missing key without them), and `durable-graph codec-server` serves the
 * `temporal` CLI, refusing to start without a token.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { encryptionCodec, parseEncryptionKeys } from '../../src/codec/index.js';
import { GraphClient } from '../../src/client.js';
import { NativeConnection } from '@temporalio/worker';
import { createWorker } from '../../src/worker.js';
import { runDurableGraph } from '../helpers/durable-graph-cli.js';
import { threadId } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';
import { temporalCli } from '../helpers/temporal-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const codec = encryptionCodec({ keys: parseEncryptionKeys(KEYS) });
const withKeys: NodeJS.ProcessEnv = { ...process.env, DURABLE_GRAPH_ENCRYPTION_KEYS: KEYS };
const withoutKeys = { ...process.env, DURABLE_GRAPH_ENCRYPTION_KEYS: '' };

/** `durable-graph <args>` against the test's server and task queue, with `processEnv`. */
function durableGraph(
  env: { address: string; namespace: string; taskQueue: string },
  args: string[],
  processEnv: NodeJS.ProcessEnv,
) {
  const flags = ['--address', env.address, '--namespace', env.namespace, '--task-queue', env.taskQueue];
  return runDurableGraph([...args, ...flags], { env: processEnv });
}

/** Runs `fn` with a Worker (keys given explicitly) and a client on a fresh task queue. */
async function withEncryptedWorker<T>(
  fn: (env: { client: GraphClient; address: string; namespace: string; taskQueue: string }) => Promise<T>,
): Promise<T> {
  const { address, namespace } = await getTestServer();
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const client = await GraphClient.connect({ address, namespace, taskQueue, payloadCodec: codec });
  try {
    const worker = await createWorker({
      graphs: [approvalGraph],
      connection,
      namespace,
      taskQueue,
      payloadCodec: codec,
    });
    return await worker.runUntil(() => fn({ client, address, namespace, taskQueue }));
  } finally {
    await client.close();
    await connection.close();
  }
}

describe('the CLI with encryption on', () => {
  it('shows and resumes an encrypted thread with DURABLE_GRAPH_ENCRYPTION_KEYS, and names the missing key without it', async () => {
    await withEncryptedWorker(async (env) => {
      const thread = threadId('cli-encrypted');
      await env.client
        .graph(approvalGraph)
        .invoke({ request: 'encrypted report' }, { configurable: { thread_id: thread } });
      const keyless = await durableGraph(env, ['show', thread], withoutKeys);
      assert.equal(keyless.code, 1, keyless.stdout);
      assert.match(keyless.stderr, /encrypted with key "k1".*DURABLE_GRAPH_ENCRYPTION_KEYS="k1:/s);
      // One encrypted thread does not end the listing of every other: it is listed from its search attributes.
      const listed = await durableGraph(env, ['threads', '--query', `WorkflowId="${thread}"`], withoutKeys);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`${thread}\\s+approval\\s+interrupted`));
      assert.match(listed.stdout, /could not be decoded .*set DURABLE_GRAPH_ENCRYPTION_KEYS/);
      const shown = await durableGraph(env, ['show', thread], withKeys);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /send email about encrypted report/);
      const resumed = await durableGraph(env, ['resume', thread, 'true'], withKeys);
      assert.equal(resumed.code, 0, resumed.stderr);
      const state = await env.client.graph(approvalGraph).getState({ configurable: { thread_id: thread } });
      assert.equal(state.values.result, 'EXECUTED: send email about encrypted report');
    });
  });

  it('serves the temporal CLI from `durable-graph codec-server`, which refuses to start without a token', async () => {
    const { DURABLE_GRAPH_CODEC_TOKEN: _unset, ...noToken } = withKeys;
    const refused = await runDurableGraph(['codec-server', '--port', '0'], { env: noToken });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /needs a token: pass --token or set DURABLE_GRAPH_CODEC_TOKEN/);

    await withEncryptedWorker(async (env) => {
      const thread = threadId('cli-codec-server');
      await env.client
        .graph(approvalGraph)
        .invoke({ request: 'codec report' }, { configurable: { thread_id: thread } });
      const token = randomUUID();
      const server = spawn(
        process.execPath,
        [
          '--conditions=durable-graph-source',
          '--import',
          'tsx',
          join(root, 'src', 'cli', 'main.ts'),
          'codec-server',
          '--port',
          '0',
        ],
        { cwd: root, env: { ...withKeys, DURABLE_GRAPH_CODEC_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          server.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString('utf8');
            const match = /listening on (http:\/\/\S+) /.exec(out);
            if (match) resolve(match[1]!);
          });
          server.once('exit', (code) => reject(new Error(`codec-server exited (${code}): ${out}`)));
        });
        const shown = await temporalCli([
          'workflow',
          'show',
          '--workflow-id',
          thread,
          '--output',
          'json',
          '--codec-endpoint',
          url,
          '--codec-auth',
          `Bearer ${token}`,
        ]);
        assert.equal(shown.code, 0, shown.stderr);
        const events = JSON.stringify(JSON.parse(shown.stdout));
        const decoded = [...events.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)]
          .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
          .join('\n');
        assert.match(decoded, /codec report/);
      } finally {
        server.kill('SIGTERM');
      }
    });
  });
});
