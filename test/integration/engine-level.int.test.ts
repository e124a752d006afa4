/**
 * A run's engine level is recorded by the worker that executes it (not chosen by the client that starts it), and a
 * worker refuses a run recorded at a level it does not know: the workflow task fails and is retried, the run stays
 * open, and a worker that knows the level finishes it. Played with a worker one level newer than today's engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { approvalGraph } from '../../examples/approval/graph.js';
import { createActivities } from '../../src/activities/index.js';
import { Command } from '../../src/index.js';
import { resumeSignal } from '../../src/protocol/messages.js';
import { engineInterceptorsPath, engineWebpackConfigHook } from '../../src/worker/engine-bundle.js';
import { engineLevelPatchId } from '../../src/protocol/engine-level.js';
import { ENGINE_LEVEL } from '../../src/workflows/patches.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

const nextLevelEngine = fileURLToPath(new URL('./fixtures/next-level-engine.ts', import.meta.url));
const enginePath = fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url));

/** A worker running the engine one level newer than this one, on the test's task queue. */
async function newerWorker(env: GraphTestEnv, connection: NativeConnection): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: env.namespace,
    taskQueue: env.taskQueue,
    workflowsPath: nextLevelEngine,
    bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
    interceptors: { workflowModules: [engineInterceptorsPath()] },
    activities: createActivities([approvalGraph]),
  });
}

type HistoryEvents = NonNullable<
  Awaited<ReturnType<ReturnType<GraphTestEnv['client']['temporal']['workflow']['getHandle']>['fetchHistory']>>['events']
>;

async function eventsOf(env: GraphTestEnv, id: string): Promise<HistoryEvents> {
  return (await env.client.temporal.workflow.getHandle(id).fetchHistory()).events ?? [];
}

/** The ids of the `patched()` markers in a history. */
function patchIds(events: HistoryEvents): string[] {
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details?.['patch-data']?.payloads?.[0]?.data;
      const text =
        typeof data === 'string' ? Buffer.from(data, 'base64').toString() : Buffer.from(data ?? []).toString();
      return (JSON.parse(text) as { id: string }).id;
    });
}

describe('engine levels across a rolling deploy', () => {
  it('records the level of the worker that runs the thread, refuses it on an older worker without failing the run, and lets a newer worker finish it', async () => {
    await withGraphs(
      [approvalGraph],
      async (env) => {
        const id = threadId('engine-level');
        const config = { configurable: { thread_id: id } };
        const connection = await NativeConnection.connect({ address: env.address });
        try {
          // A newer worker takes the thread first: it records its level in the run's history.
          const paused = await (
            await newerWorker(env, connection)
          ).runUntil(() => env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config));
          assert.ok(paused.__interrupt__?.length, 'the thread pauses on the newer worker');
          assert.deepEqual(patchIds(await eventsOf(env, id)), [engineLevelPatchId(ENGINE_LEVEL + 1)]);

          // Today's worker must replay that history to apply the resume: it refuses, as a failed workflow task.
          const older = await env.startWorker();
          await older.runUntil(async () => {
            await env.client.temporal.workflow.getHandle(id).signal(resumeSignal, { resume: true });
            const deadline = Date.now() + 30_000;
            for (;;) {
              const failed = (await eventsOf(env, id)).find((e) => e.workflowTaskFailedEventAttributes);
              if (failed) {
                assert.match(
                  String(failed.workflowTaskFailedEventAttributes!.failure?.message),
                  new RegExp(
                    `recorded by a durable-graph worker at engine level ${ENGINE_LEVEL + 1}.*runs engine level ${ENGINE_LEVEL}`,
                  ),
                );
                break;
              }
              if (Date.now() > deadline) throw new Error('no workflow task failure within 30 s');
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
          });
          const described = await env.client.temporal.workflow.getHandle(id).describe();
          assert.equal(described.status.name, 'RUNNING', 'the refusal does not end the run');

          // A worker of the recorded level replays it and applies the resume that waited.
          const done = await (
            await newerWorker(env, connection)
          ).runUntil(() => env.client.temporal.workflow.getHandle(id).result());
          assert.equal((done as { values: { result?: string } }).values.result, 'EXECUTED: send email about Q3 report');

          // Offline, today's engine refuses the finished history the same way.
          const history = await env.client.temporal.workflow.getHandle(id).fetchHistory();
          await assert.rejects(
            Worker.runReplayHistory(
              {
                workflowsPath: enginePath,
                bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
                interceptors: { workflowModules: [engineInterceptorsPath()] },
                replayName: 'engine-level-refusal',
              },
              history,
              id,
            ),
            (error: Error) => /engine level/.test(`${error.message} ${String((error as { cause?: unknown }).cause)}`),
          );
        } finally {
          await connection.close();
        }
      },
      { worker: false },
    );
  });

  it("records one marker for this worker's level, none at the 0.1.0 baseline (level 0)", async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('engine-level-baseline');
      const config = { configurable: { thread_id: id } };
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config);
      await env.client.graph(approvalGraph).invoke(new Command({ resume: true }), config);
      assert.deepEqual(patchIds(await eventsOf(env, id)), ENGINE_LEVEL === 0 ? [] : [engineLevelPatchId(ENGINE_LEVEL)]);
    });
  });
});
