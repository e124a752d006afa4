/**
 * Per-test wiring: a real worker hosting the given graphs on a fresh task queue of the test server,
 * and a GraphClient pointed at it. Every test gets its own thread ids (`threadId()`).
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { GraphClient } from '../../src/client.js';
import type { CompiledGraph } from '../../src/graph/compiled-graph.js';
import type { StorageSetting } from '../../src/storage.js';
import { createWorker } from '../../src/worker.js';
import { getTestServer, type TestServer } from './server.js';

export interface GraphTestEnv {
  client: GraphClient;
  taskQueue: string;
  address: string;
  namespace: string;
  /** Starts another worker on the same task queue (e.g. after stopping the first one). */
  startWorker(graphs?: readonly CompiledGraph<any, any>[]): Promise<Worker>;
}

// Keep test output readable: only warnings and errors from the SDK.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** A unique thread id for one test. */
export function threadId(prefix = 'thread'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Runs `fn` while a worker hosting `graphs` polls a fresh task queue; stops the worker afterwards.
 * With `{ worker: false }` no worker runs unless the test starts one with `startWorker()`; `storage` is given to the
 * client and every worker (else DURABLE_GRAPH_STORAGE applies, as in production); with `{ server }` the test talks to
 * that server (e.g. one started with lowered limits) instead of the shared one.
 */
export async function withGraphs<T>(
  graphs: readonly CompiledGraph<any, any>[],
  fn: (env: GraphTestEnv) => Promise<T>,
  options: { worker?: boolean; storage?: StorageSetting; server?: TestServer } = {},
): Promise<T> {
  const server = options.server ?? (await getTestServer());
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: server.address });
  const storage = options.storage === undefined ? {} : { storage: options.storage };
  const client = await GraphClient.connect({
    address: server.address,
    namespace: server.namespace,
    taskQueue,
    ...storage,
  });
  const extraWorkers: Worker[] = [];
  const startWorker = async (g: readonly CompiledGraph<any, any>[] = graphs) => {
    const worker = await createWorker({ graphs: g, connection, namespace: server.namespace, taskQueue, ...storage });
    extraWorkers.push(worker);
    return worker;
  };
  try {
    const env: GraphTestEnv = { client, taskQueue, address: server.address, namespace: server.namespace, startWorker };
    if (options.worker === false) return await fn(env);
    const worker = await createWorker({ graphs, connection, namespace: server.namespace, taskQueue, ...storage });
    return await worker.runUntil(() => fn(env));
  } finally {
    for (const w of extraWorkers) if (w.getState() === 'RUNNING') w.shutdown();
    await client.close();
    await connection.close();
  }
}
