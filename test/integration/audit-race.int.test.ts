/**
 * Racing resumes: two answers to the same interrupt reach the engine in one workflow task; it applies the first it
 * handles and refuses the other. The audit trail, rebuilt from history, must say the same: one applied, one rejected
 * with the engine's reason. Several paused threads race at once, with no worker while the answers are sent (so both
 * are handled together) and with a worker running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import type { AuditEntry } from '../../src/client.js';
import { Command } from '../../src/index.js';
import type { ThreadState } from '../../src/protocol/payloads.js';
import { unpackStop, type StopState } from '../../src/protocol/stop-state.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';

const TRIALS = 10;
const config = (id: string) => ({ configurable: { thread_id: id } });

/** The thread's state when its run ends. */
async function finalState(env: GraphTestEnv, id: string): Promise<ThreadState> {
  const stop = (await env.client.temporal.workflow.getHandle(id).result()) as StopState;
  return unpackStop(stop, { threadId: id, graph: approvalGraph.name });
}

/** Pauses `count` approval threads with a worker that stops afterwards. */
async function pausedThreads(env: GraphTestEnv, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => threadId('race'));
  const worker = await env.startWorker();
  await worker.runUntil(
    Promise.all(ids.map((id) => env.client.graph(approvalGraph).invoke({ request: id }, config(id)))),
  );
  return ids;
}

const resumes = (entries: AuditEntry[]) => entries.filter((e) => e.action === 'resume');

/**
 * The audit agrees with the engine: the resume whose value the run took is the one applied (with the interrupt it
 * answered), the other is rejected with the reason the engine recorded.
 */
function assertAgrees(id: string, final: ThreadState, entries: AuditEntry[], appliedValue: boolean): void {
  const all = resumes(entries);
  const applied = all.filter((e) => e.outcome === 'applied');
  const rejected = all.filter((e) => e.outcome === 'rejected');
  assert.equal(applied.length, 1, `${id}: one resume applied: ${JSON.stringify(all)}`);
  assert.equal(applied[0]!.interrupts.length, 1, `${id}: the applied one answered the interrupt`);
  assert.equal(applied[0]!.interrupts[0]!.value, appliedValue, `${id}: the applied one is the value the run took`);
  const refusedByEngine = final.rejectedResumes;
  assert.equal(rejected.length, refusedByEngine.length, `${id}: ${JSON.stringify({ all, refusedByEngine })}`);
  for (const [i, r] of rejected.entries()) {
    assert.equal(r.reason, refusedByEngine[i]!.reason, `${id}: the engine's reason`);
    assert.equal(r.via, refusedByEngine[i]!.via);
    assert.deepEqual(r.interrupts, []);
  }
}

describe('racing resumes in the audit trail', () => {
  it('marks one of two resume Signals sent while no worker runs applied and the other rejected, as the engine did', async () => {
    await withGraphs(
      [approvalGraph],
      async (env) => {
        const ids = await pausedThreads(env, TRIALS);
        for (const id of ids) {
          const handle = env.client.temporal.workflow.getHandle(id);
          await handle.signal('resume', { resume: true });
          await handle.signal('resume', { resume: false });
        }
        const worker = await env.startWorker();
        const finals = await worker.runUntil(Promise.all(ids.map((id) => finalState(env, id))));
        for (const [i, id] of ids.entries()) {
          const final = finals[i]!;
          assert.equal(final.values.approved, true, 'the first Signal is applied');
          assert.equal(final.rejectedResumes.length, 1);
          assert.match(final.rejectedResumes[0]!.reason, /has no pending interrupt/);
          const entries = await env.client.graph(approvalGraph).getAuditTrail(config(id));
          assertAgrees(id, final, entries, true);
          assert.equal(resumes(entries)[1]!.outcome, 'rejected', 'the second Signal is the refused one');
        }
      },
      { worker: false },
    );
  });

  it('agrees with the engine on two resume Signals sent at once to threads a worker runs', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const ids = Array.from({ length: TRIALS }, () => threadId('race-live'));
      await Promise.all(ids.map((id) => env.client.graph(approvalGraph).invoke({ request: id }, config(id))));
      const finals = await Promise.all(
        ids.map(async (id) => {
          const handle = env.client.temporal.workflow.getHandle(id);
          await Promise.all([handle.signal('resume', { resume: true }), handle.signal('resume', { resume: false })]);
          return await finalState(env, id);
        }),
      );
      for (const [i, id] of ids.entries()) {
        const final = finals[i]!;
        const entries = await env.client.graph(approvalGraph).getAuditTrail(config(id));
        assertAgrees(id, final, entries, final.values.approved === true);
      }
    });
  });

  it('agrees with the engine on a resume Update and a resume Signal sent at once, in either order', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const ids = Array.from({ length: TRIALS }, () => threadId('race-update'));
      const app = env.client.graph(approvalGraph);
      await Promise.all(ids.map((id) => app.invoke({ request: id }, config(id))));
      await Promise.all(
        ids.map(async (id, i) => {
          const handle = env.client.temporal.workflow.getHandle(id);
          const signal = () => handle.signal('resume', { resume: true });
          const update = () =>
            app.invoke(new Command({ resume: false }), config(id)).then(
              () => 'applied' as const,
              (error: unknown) => error as Error,
            );
          const [updated] =
            i % 2 === 0 ? await Promise.all([update(), signal()]) : (await Promise.all([signal(), update()])).reverse();
          const final = await finalState(env, id);
          const entries = await app.getAuditTrail(config(id));
          const updates = resumes(entries).filter((e) => e.via === 'update');
          const signals = resumes(entries).filter((e) => e.via === 'signal');
          if (updated === 'applied') {
            assert.equal(final.values.approved, false, `${id}: the Update's answer was taken`);
            assert.equal(updates.length, 1);
            assert.equal(updates[0]!.outcome, 'applied');
            assert.equal(updates[0]!.interrupts[0]?.value, false, `${id}: ${JSON.stringify(entries)}`);
            assert.equal(signals.length, 1);
            assert.equal(signals[0]!.outcome, 'rejected', `${id}: ${JSON.stringify(entries)}`);
            assert.equal(signals[0]!.reason, final.rejectedResumes[0]?.reason);
          } else {
            assert.equal(final.values.approved, true, `${id}: the Signal's answer was taken (${updated?.message})`);
            // A refused Update leaves nothing in history.
            assert.equal(updates.length, 0);
            assert.equal(signals.length, 1);
            assert.equal(signals[0]!.outcome, 'applied', `${id}: ${JSON.stringify(entries)}`);
          }
        }),
      );
    });
  });
});
