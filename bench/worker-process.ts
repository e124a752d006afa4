/**
 * A Temporal worker in its own process, so that its RSS is the worker's alone. Forked by bench/worker-host.ts with
 * a {@link WorkerProcessConfig} as argument; answers memory requests and stops on demand.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createWorker } from 'durable-graph/worker';
import { engineWebpackConfigHook } from '../src/worker/engine-bundle.js';
import { approvalGraph, approvalQuietGraph, chainGraph, chainLocalGraph } from './graphs/durable-graph.js';
import { loadBodyCounts, loadGraph } from './graphs/load.js';
import * as rawActivities from './raw/activities.js';
import type { ChildMessage, MemorySample, ParentMessage, WorkerProcessConfig } from './worker-protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessConfig;
const send = (message: ChildMessage) => process.send?.(message);

let peakRss = 0;
let peakHeapUsed = 0;
const sampler = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
}, 200);
sampler.unref();

function memory(resetPeak: boolean): MemorySample {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  const sample = {
    rss,
    heapUsed,
    peakRss: Math.max(peakRss, rss),
    peakHeapUsed: Math.max(peakHeapUsed, heapUsed),
    cpuMs: (user + system) / 1000,
  };
  if (resetPeak) {
    peakRss = rss;
    peakHeapUsed = heapUsed;
  }
  return sample;
}

/** A slot supplier or poller behaviour in a few words: `fixed-size 100`, `simple-maximum 5`, `resource-based`. */
function describeSetting(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const { type, ...rest } = value as { type?: string } & Record<string, unknown>;
  const numbers = Object.values(rest).filter((v) => typeof v === 'number');
  return [type, ...numbers].filter((v) => v !== undefined).join(' ');
}

function settingsOf(worker: Worker): Record<string, string | number> {
  const { tuner, maxCachedWorkflows, workflowTaskPollerBehavior, activityTaskPollerBehavior } = worker.options;
  return {
    maxCachedWorkflows,
    workflowTaskSlots: describeSetting(tuner.workflowTaskSlotSupplier),
    activityTaskSlots: describeSetting(tuner.activityTaskSlotSupplier),
    localActivitySlots: describeSetting(tuner.localActivityTaskSlotSupplier),
    workflowTaskPollers: describeSetting(workflowTaskPollerBehavior),
    activityTaskPollers: describeSetting(activityTaskPollerBehavior),
  };
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

async function main(): Promise<void> {
  const started = performance.now();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.address });
  const cache = {
    ...config.workerOptions,
    ...(config.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: config.maxCachedWorkflows }),
  };
  let worker: Worker;
  if (config.kind === 'durable-graph') {
    worker = await createWorker({
      graphs: [approvalGraph, approvalQuietGraph, chainGraph, chainLocalGraph, loadGraph],
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      workerOptions: cache,
    });
  } else {
    const workflowsPath = fileURLToPath(new URL('./raw/workflows.ts', import.meta.url));
    worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      // Compiled for the same target as A's engine (ES2022), so neither side pays for downlevelled syntax.
      workflowBundle: await bundleWorkflowCode({
        workflowsPath,
        webpackConfigHook: engineWebpackConfigHook,
        logger: quietLogger,
      }),
      activities: rawActivities,
      ...cache,
    });
  }
  const running = worker.run();
  running.catch((error: unknown) => {
    send({ type: 'error', message: `worker stopped: ${String(error)}` });
    process.exit(1);
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      if (message.gc) (globalThis as { gc?: () => void }).gc?.();
      send({ type: 'memory', id: message.id, memory: memory(message.resetPeak) });
    } else if (message.type === 'counts') {
      send({ type: 'counts', id: message.id, counts: [...loadBodyCounts] });
    } else if (message.type === 'stop') {
      worker.shutdown();
      void running
        .then(() => connection.close())
        .finally(() => {
          send({ type: 'stopped' });
          process.disconnect?.();
          process.exit(0);
        });
    }
  });
  // The parent going away must not leave a worker polling.
  process.on('disconnect', () => process.exit(0));
  send({
    type: 'ready',
    maxCachedWorkflows: worker.options.maxCachedWorkflows,
    startupMs: performance.now() - started,
    memory: memory(true),
    settings: settingsOf(worker),
  });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
