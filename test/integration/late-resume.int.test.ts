/**
 * A resume Update that a resume Signal beat to the same interrupt is refused, and says so: the interrupt was just
 * answered by a Signal (and when), nothing was applied, and the thread's status. Whether the worker handles both in
 * one workflow task (sent while no worker runs) or the Signal first (a worker running).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command, NoPendingInterruptError } from '../../src/index.js';
import type { ThreadState } from '../../src/protocol/payloads.js';
import { unpackStop, type StopState } from '../../src/protocol/stop-state.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

const config = (id: string) => ({ configurable: { thread_id: id } });

/** The thread's state when its run ends. */
async function finalState(env: GraphTestEnv, id: string): Promise<ThreadState> {
  const stop = (await env.client.temporal.workflow.getHandle(id).result()) as StopState;
  return unpackStop(stop, { threadId: id, graph: approvalGraph.name });
}

/** The Update's refusal, checked to say that the Signal answered the interrupt first. */
function assertJustAnswered(error: unknown, id: string, interruptId: string): void {
  assert.ok(error instanceof NoPendingInterruptError, String(error));
  const { message } = error as Error;
  assert.ok(
    message.includes(`Interrupt "${interruptId}" (node "human_review") of thread "${id}" was just answered`),
    message,
  );
  assert.match(message, /by a resume Signal at \d{4}-\d\d-\d\dT[\d:.]+Z/);
  assert.match(message, /this resume was not applied and nothing changed/);
  assert.match(message, /\(status: (interrupted|running)\)|status is now completed/);
  assert.doesNotMatch(message, /has no pending interrupt/);
}

/** Pauses one approval thread and returns its interrupt's id. */
async function pause(env: GraphTestEnv, id: string): Promise<string> {
  return (await env.client.graph(approvalGraph).invoke({ request: id }, config(id))).__interrupt__![0]!.id;
}

describe('a resume Update that a resume Signal beat to the interrupt', () => {
  it('says the interrupt was just answered by a Signal when both wait for a worker', async () => {
    await withGraphs(
      [approvalGraph],
      async (env) => {
        const ids = [threadId('late'), threadId('late'), threadId('late')];
        const paused = await (await env.startWorker()).runUntil(Promise.all(ids.map((id) => pause(env, id))));
        const app = env.client.graph(approvalGraph);
        const updates = [];
        for (const id of ids) {
          await env.client.temporal.workflow.getHandle(id).signal('resume', { resume: true });
          updates.push(
            app.invoke(new Command({ resume: false }), config(id)).then(
              () => assert.fail('the Update must lose to the Signal'),
              (error: unknown) => error,
            ),
          );
        }
        const worker = await env.startWorker();
        const [errors, finals] = await worker.runUntil(
          Promise.all([Promise.all(updates), Promise.all(ids.map((id) => finalState(env, id)))]),
        );
        for (const [i, id] of ids.entries()) {
          assertJustAnswered(errors[i], id, paused[i]!);
          assert.equal(finals[i]!.values.approved, true, "the Signal's answer was applied");
          assert.deepEqual(finals[i]!.rejectedResumes, [], 'a refused Update is recorded nowhere');
        }
      },
      { worker: false },
    );
  });

  it('says the interrupt was just answered by a Signal when the worker handled the Signal first', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('late-live');
      const interruptId = await pause(env, id);
      const handle = env.client.temporal.workflow.getHandle(id);
      await handle.signal('resume', { resume: true });
      const error = await env.client
        .graph(approvalGraph)
        .invoke(new Command({ resume: false }), config(id))
        .then(
          () => assert.fail('the Update must lose to the Signal'),
          (e: unknown) => e,
        );
      // Refused while the run goes on with the Signal's answer, or, if it already ended, as a completed thread.
      if ((error as NoPendingInterruptError).status === 'completed') {
        assert.match((error as Error).message, /has no pending interrupt \(status: completed\)/);
      } else assertJustAnswered(error, id, interruptId);
      assert.equal((await finalState(env, id)).values.approved, true);
    });
  });
});
