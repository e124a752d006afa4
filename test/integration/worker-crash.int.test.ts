/**
 * A worker process killed with SIGKILL mid-node: with the default heartbeat timeout, a replacement worker runs the node
 * again (a second attempt, the same idempotency key) and the thread finishes; nothing is lost and nothing completes
 * twice. Recovery times per heartbeat timeout are measured in bench/worker-crash.ts.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { crashGraph } from './fixtures/crash-graph.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import { eventually } from '../helpers/temporal-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/crash-graph.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

function workerProcess(env: GraphTestEnv, markers: string): ChildProcess {
  const args = [
    'worker',
    fixture,
    '--address',
    env.address,
    '--namespace',
    env.namespace,
    '--task-queue',
    env.taskQueue,
  ];
  return spawn(
    process.execPath,
    ['--conditions=durable-graph-source', '--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args],
    { env: { ...process.env, CRASH_MARKERS: markers }, stdio: 'ignore' },
  );
}

async function attempts(markers: string, thread: string): Promise<{ attempt: number; key: string }[]> {
  const lines = (await readFile(markers, 'utf8')).split('\n').map((line) => line.split(' '));
  return lines.filter(([id]) => id === thread).map(([, attempt, key]) => ({ attempt: Number(attempt), key: key! }));
}

describe('a worker killed mid-node', () => {
  it('is replaced: the node runs again with the same idempotency key and the thread finishes once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dg-crash-'));
    const markers = join(dir, 'markers.txt');
    await writeFile(markers, '');
    const workers: ChildProcess[] = [];
    try {
      await withGraphs(
        [crashGraph],
        async (env) => {
          const thread = threadId('crash');
          workers.push(workerProcess(env, markers));
          const run = env.client.graph(crashGraph).invoke({ sleepMs: 5_000 }, { configurable: { thread_id: thread } });
          await eventually(
            async () => ((await attempts(markers, thread)).length ? true : undefined),
            'attempt 1',
            60_000,
          );
          workers[0]!.kill('SIGKILL');
          workers.push(workerProcess(env, markers));

          const final = await run;
          assert.equal(final.done, true);
          const seen = await attempts(markers, thread);
          assert.deepEqual(
            seen.map((a) => a.attempt),
            [1, 2],
          );
          assert.equal(seen[0]!.key, seen[1]!.key);
          const history = await env.client.graph(crashGraph).getAuditTrail({ configurable: { thread_id: thread } });
          assert.equal(history.filter((e) => e.action === 'start').length, 1);
        },
        { worker: false },
      );
    } finally {
      for (const w of workers) w.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
