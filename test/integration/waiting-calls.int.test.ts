/**
 * A client holds a bounded number of calls open on the server while they wait (`maxWaitingCalls`): the server refuses
 * long polls past a per-namespace limit that the workers' own polls share. Here that limit is lowered to 30 and 40
 * `invoke()` calls wait at once on nodes that take 3 s. A gRPC interceptor under the client's counts the server's
 * refusals: without the bound the server refuses some (and the client waits them out); with it there are none.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { z } from 'zod';
import { GraphClient, outageRetryInterceptor, waitingCallLimitInterceptor } from '../../src/client.js';
import { startDevServer, type DevServer } from '../../src/dev-server/index.js';
import { END, START, StateGraph } from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';

const NAMESPACE_LONG_POLLS = 30;
const CALLS = 40;

const heldGraph = new StateGraph(z.object({ n: z.number(), done: z.boolean().optional() }))
  .addNode('hold', async () => {
    await sleep(3_000);
    return { done: true };
  })
  .addEdge(START, 'hold')
  .addEdge('hold', END)
  .compile({ name: 'waiting-calls-held' });

/** A gRPC interceptor that counts the calls the server refused as too busy (each attempt, before any retry). */
function refusalCounter(): { interceptor: Interceptor; count: () => number } {
  let refused = 0;
  const interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(
      nextCall(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, next) =>
          next(
            metadata,
            new ListenerBuilder()
              .withOnReceiveStatus((status, nextStatus) => {
                if (status.code === 8) refused++; // RESOURCE_EXHAUSTED
                nextStatus(status);
              })
              .build(),
          ),
        )
        .build(),
    );
  return { interceptor, count: () => refused };
}

describe('calls waiting on the server at once', () => {
  let server: DevServer;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `waiting-${threadId()}`;

  before(async () => {
    server = await startDevServer({
      ui: false,
      log: () => {},
      extraArgs: ['--dynamic-config-value', `frontend.namespaceCount=${NAMESPACE_LONG_POLLS}`],
    });
    connection = await NativeConnection.connect({ address: server.address });
    worker = await createWorker({
      graphs: [heldGraph],
      connection,
      namespace: server.namespace,
      taskQueue,
      // Few pollers: the workers' share of the namespace's long polls is small.
      workerOptions: { maxConcurrentWorkflowTaskPolls: 2, maxConcurrentActivityTaskPolls: 2 },
    });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running?.catch(() => {});
    await connection?.close();
    await server?.stop();
  });

  /** Sends CALLS invokes at once through a client with this bound; returns the server's refusals and the results. */
  async function invokeAtOnce(bound: number | undefined) {
    const refusals = refusalCounter();
    const grpc = await Connection.connect({
      address: server.address,
      interceptors: [
        outageRetryInterceptor(120_000),
        ...(bound === undefined ? [] : [waitingCallLimitInterceptor(bound)]),
        refusals.interceptor,
      ],
    });
    try {
      const client = await GraphClient.connect({ connection: grpc, namespace: server.namespace, taskQueue });
      const graph = client.graph(heldGraph);
      const results = await Promise.allSettled(
        Array.from({ length: CALLS }, (_, n) =>
          graph.invoke({ n }, { configurable: { thread_id: threadId(`waiting-${n}`) } }),
        ),
      );
      return { refused: refusals.count(), results };
    } finally {
      await grpc.close();
    }
  }

  function assertAllDone(results: PromiseSettledResult<{ done?: boolean }>[]) {
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    assert.deepEqual(failed, [], 'no call failed');
    for (const r of results) assert.equal((r as PromiseFulfilledResult<{ done?: boolean }>).value.done, true);
  }

  it('without a bound, the server refuses some of them as busy, and the client waits that out', async () => {
    const { refused, results } = await invokeAtOnce(undefined);
    assert.ok(refused > 0, `the server refused ${refused} calls`);
    assertAllDone(results);
  });

  it('with a bound under the server limit, every call waits its turn in the client: the server refuses none', async () => {
    const { refused, results } = await invokeAtOnce(10);
    assert.equal(refused, 0, 'calls the server refused as busy');
    assertAllDone(results);
  });
});
