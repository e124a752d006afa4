/**
 * `npm run bench:dispatch [-- '<worker options JSON>']`: how long the dev server takes to hand each workflow task
 * to the worker (WorkflowTaskScheduled → WorkflowTaskStarted, from the event times), for A's 10-node chain and B's
 * hand-written one, run in turns on one fresh dev server. It prints the per-task times of every cycle and their
 * median from the 4th cycle on. Extra dynamic config for the server: `BENCH_DC="key=value key=value"`.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { GraphClient } from 'durable-graph/client';
import { startDevServer } from 'durable-graph/dev-server';
import { createWorker } from 'durable-graph/worker';
import { chainGraph } from './graphs/durable-graph.js';
import { eventTimeMs } from './history.js';
import * as rawActivities from './raw/activities.js';

const CYCLES = 8;
const workerOptions = JSON.parse(process.argv[2] ?? '{}') as Partial<WorkerOptions>;
const dynamicConfig = (process.env.BENCH_DC ?? '').split(' ').filter(Boolean);

const server = await startDevServer({
  ui: false,
  extraArgs: dynamicConfig.flatMap((v) => ['--dynamic-config-value', v]),
});
const stops: Array<() => Promise<void>> = [() => server.stop()];
try {
  const native = await NativeConnection.connect({ address: server.address });
  const a = await createWorker({
    graphs: [chainGraph],
    connection: native,
    namespace: server.namespace,
    taskQueue: 'probe-a',
    workerOptions,
  });
  const b = await Worker.create({
    connection: native,
    namespace: server.namespace,
    taskQueue: 'probe-b',
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./raw/workflows.ts', import.meta.url)),
    }),
    activities: rawActivities,
    ...workerOptions,
  });
  const runs = [a.run(), b.run()];
  stops.unshift(async () => {
    a.shutdown();
    b.shutdown();
    await Promise.all(runs);
  });
  const graphs = await GraphClient.connect({
    address: server.address,
    namespace: server.namespace,
    taskQueue: 'probe-a',
  });
  const temporal = new Client({
    connection: await Connection.connect({ address: server.address }),
    namespace: server.namespace,
  });

  /** Scheduled → Started of each workflow task of `workflowId`, in ms. */
  const dispatchTimes = async (workflowId: string): Promise<number[]> => {
    const out: number[] = [];
    let scheduled = 0;
    for (const e of (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
      if (e.workflowTaskScheduledEventAttributes) scheduled = eventTimeMs(e.eventTime);
      if (e.workflowTaskStartedEventAttributes) out.push(Math.round(eventTimeMs(e.eventTime) - scheduled));
    }
    return out;
  };

  const later: number[] = [];
  for (let i = 0; i < CYCLES; i++) {
    const idA = `probe-a-${i}`;
    let t0 = performance.now();
    await graphs.graph(chainGraph).invoke({ n: 0 }, { configurable: { thread_id: idA } });
    const msA = performance.now() - t0;
    const idB = `probe-b-${i}`;
    t0 = performance.now();
    await temporal.workflow.execute('rawChain', { taskQueue: 'probe-b', workflowId: idB, args: [{ n: 0 }] });
    const msB = performance.now() - t0;
    const [qa, qb] = [await dispatchTimes(idA), await dispatchTimes(idB)];
    if (i >= 3) later.push(...qa.slice(1), ...qb.slice(1)); // the first task goes to the normal queue, the rest to the sticky one
    console.log(
      `cycle ${i + 1}: A ${msA.toFixed(0)} ms, tasks waited ${qa.join(',')} | B ${msB.toFixed(0)} ms, tasks waited ${qb.join(',')}`,
    );
  }
  const median = [...later].sort((x, y) => x - y)[Math.floor(later.length / 2)];
  console.log(
    `worker options ${JSON.stringify(workerOptions)}, dynamic config [${dynamicConfig.join(', ')}]: median wait of a sticky workflow task from cycle 4 on: ${median} ms`,
  );
} finally {
  for (const stop of stops) await stop();
}
process.exit(0);
