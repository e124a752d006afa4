/**
 * `npm run bench:eager [-- <runs>]`: what eager workflow start saves a service that runs its own worker. One worker
 * and two clients in this process, on one fresh dev server: one client shares the worker's NativeConnection (its
 * `start()` starts eagerly), the other has a connection of its own (its runs start through the task queue). For the
 * 10-node chain with local nodes and with regular nodes, it times `start()` + `handle.result()` in turns (runs
 * interleaved, 50 ms apart, 10 warm-up runs each) and prints p50 / p95 and how many runs started eagerly.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { GraphClient } from 'durable-graph/client';
import { startDevServer } from 'durable-graph/dev-server';
import { createWorker } from 'durable-graph/worker';
import { chainGraph, chainLocalGraph } from './graphs/durable-graph.js';
import { percentile } from './stats.js';

Runtime.install({ logger: new DefaultLogger('WARN') });

const RUNS = Number(process.argv[2] ?? 60);
const WARMUP = 10;

const server = await startDevServer({ ui: false });
const stops: Array<() => Promise<void>> = [() => server.stop()];
try {
  const taskQueue = `eager-${randomUUID()}`;
  const shared = await NativeConnection.connect({ address: server.address });
  stops.unshift(() => shared.close());
  const own = await NativeConnection.connect({ address: server.address });
  stops.unshift(() => own.close());
  const worker = await createWorker({
    graphs: [chainLocalGraph, chainGraph],
    connection: shared,
    namespace: server.namespace,
    taskQueue,
  });
  const clients = {
    eager: await GraphClient.connect({ connection: shared, namespace: server.namespace, taskQueue }),
    'task queue': await GraphClient.connect({ connection: own, namespace: server.namespace, taskQueue }),
  };
  await worker.runUntil(async () => {
    for (const graph of [chainLocalGraph, chainGraph]) {
      const times: Record<string, number[]> = { eager: [], 'task queue': [] };
      let eagerly = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const order = Object.entries(clients);
        if (i % 2) order.reverse();
        for (const [name, client] of order) {
          const t0 = performance.now();
          const handle = await client
            .graph(graph)
            .start({ n: 0 }, { configurable: { thread_id: `${name.replace(' ', '-')}-${randomUUID()}` } });
          await handle.result();
          if (i >= WARMUP) times[name]!.push(performance.now() - t0);
          if (i >= WARMUP && name === 'eager' && handle.eagerlyStarted) eagerly++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const line = Object.entries(times).map(([name, t]) => {
        const sorted = [...t].sort((x, y) => x - y);
        return `${name} p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
      });
      console.log(
        `${graph.name}: ${line.join('; ')} (${RUNS} runs each; ${eagerly} of the eager client's started eagerly)`,
      );
    }
  });
} finally {
  for (const stop of stops) await stop();
}
