/**
 * `npm run bench:crash`: how long a node takes to run again after its worker is killed (SIGKILL) mid-node, per heartbeat
 * timeout, and whether a node that blocks its event loop (a CPU-bound step) is timed out falsely. Workers are
 * `durable-graph worker bench/graphs/crash.ts` processes on a headless dev server of its own; two poll each task
 * queue, as replicas do, and the one running the node is killed, so the time is Temporal's detection and dispatch
 * alone (a replacement process's start-up, several seconds, comes on top when there is no other worker).
 * Writes bench/results/worker-crash.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { GraphClient } from 'durable-graph/client';
import { startDevServer, type DevServer } from 'durable-graph/dev-server';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = import.meta.resolve('tsx');
const graphs = join(root, 'bench', 'graphs', 'crash.ts');

interface Marker {
  attempt: number;
  at: number;
  pid: number;
}

async function markersOf(file: string, threadId: string): Promise<Marker[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([id]) => id === threadId)
    .map(([, attempt, at, pid]) => ({ attempt: Number(attempt), at: Number(at), pid: Number(pid) }));
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function startWorker(server: DevServer, taskQueue: string, markers: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--conditions=durable-graph-source',
      '--import',
      tsx,
      join(root, 'src', 'cli', 'main.ts'),
      'worker',
      graphs,
      '--address',
      server.address,
      '--task-queue',
      taskQueue,
    ],
    { env: { ...process.env, CRASH_MARKERS: markers }, stdio: 'ignore' },
  );
}

/** The heartbeat timeout a crash graph runs with. */
function label(graph: string): string {
  return graph === 'crash_default' ? 'default (10 s)' : graph.replace('crash_', '');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dg-crash-'));
  const markers = join(dir, 'markers.txt');
  await writeFile(markers, '');
  const server = await startDevServer({ ui: false, log: () => {} });
  const client = await GraphClient.connect({ address: server.address, namespace: server.namespace });
  const lines: string[] = [
    '# Worker crash: time until a killed node runs again',
    '',
    `Measured ${new Date().toISOString()} on ${process.platform}, Node ${process.version}, dev server ${server.args.join(' ')}.`,
    '',
    '| heartbeat timeout | killed → attempt 2 started | killed → thread finished |',
    '|---|---|---|',
  ];
  try {
    for (const graph of ['crash_5s', 'crash_default', 'crash_20s', 'crash_60s']) {
      const taskQueue = `crash-${graph}-${Date.now()}`;
      const workers = [startWorker(server, taskQueue, markers), startWorker(server, taskQueue, markers)];
      const threadId = `${graph}-${Date.now()}`;
      const client2 = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
      const handle = client2.graph(graph);
      const run = handle.invoke({ sleepMs: 8_000 }, { configurable: { thread_id: threadId } });
      const first = await waitFor('attempt 1', async () =>
        (await markersOf(markers, threadId)).find((m) => m.attempt === 1),
      );
      await sleep(2_000); // mid-node, with heartbeats recorded
      const victim = workers.find((w) => w.pid === first.pid)!;
      victim.kill('SIGKILL');
      const killed = Date.now();
      const second = await waitFor('attempt 2', async () =>
        (await markersOf(markers, threadId)).find((m) => m.attempt === 2),
      );
      await run;
      const finished = Date.now();
      for (const w of workers) w.kill('SIGTERM');
      await client2.close();
      lines.push(
        `| ${graph} | ${((second.at - killed) / 1000).toFixed(1)} s | ${((finished - killed) / 1000).toFixed(1)} s |`,
      );
      console.log(lines.at(-1));
    }
    lines.push('', '## A blocked event loop: false heartbeat timeouts', '');
    lines.push('| heartbeat timeout | event loop blocked | attempts |', '|---|---|---|');
    for (const graph of ['crash_5s', 'crash_default', 'crash_60s']) {
      for (const stallMs of [3_000, 6_000, 9_000]) {
        const taskQueue = `stall-${graph}-${stallMs}-${Date.now()}`;
        const worker = startWorker(server, taskQueue, markers);
        const threadId = `stall-${graph}-${stallMs}-${Date.now()}`;
        const client2 = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
        await client2
          .graph(graph)
          .invoke({ stallMs, stalls: 3 }, { configurable: { thread_id: threadId } })
          .catch(() => undefined);
        const attempts = new Set((await markersOf(markers, threadId)).map((m) => m.attempt)).size;
        worker.kill('SIGTERM');
        await client2.close();
        lines.push(`| ${label(graph)} | 3 × ${stallMs / 1000} s | ${attempts} |`);
        console.log(lines.at(-1));
      }
    }
  } finally {
    await client.close();
    await server.stop();
  }
  await writeFile(join(root, 'bench', 'results', 'worker-crash.md'), `${lines.join('\n')}\n`);
}

await main();
