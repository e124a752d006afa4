/**
 * A worker running the engine as durable-graph 0.1.0 recorded it (engine level 0, test/integration/fixtures), on a test
 * environment's server and task queue: for tests of what an old engine does beside the current one.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import type { AnyCompiledGraph } from '../../src/graph/compiled-graph.js';
import { engineInterceptorsPath, engineWebpackConfigHook } from '../../src/worker/engine-bundle.js';
import type { GraphTestEnv } from './env.js';

/** Runs `fn` while a level-0 worker hosting `graphs` polls the environment's task queue. */
export async function withLevelZeroWorker<T>(
  env: Pick<GraphTestEnv, 'address' | 'namespace' | 'taskQueue'>,
  graphs: AnyCompiledGraph[],
  fn: () => Promise<T>,
): Promise<T> {
  const connection = await NativeConnection.connect({ address: env.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: env.namespace,
      taskQueue: env.taskQueue,
      workflowsPath: fileURLToPath(new URL('../integration/fixtures/level-zero-engine.ts', import.meta.url)),
      bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
      interceptors: { workflowModules: [engineInterceptorsPath()] },
      activities: createActivities(graphs),
    });
    return await worker.runUntil(fn);
  } finally {
    await connection.close();
  }
}
