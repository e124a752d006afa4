import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from '../../src/index.js';
import { approvalGraph } from '../../examples/approval/graph.js';
import { threadId, withGraphs } from '../helpers/env.js';

describe('a paused thread and its workers', () => {
  it('survives the worker stopping while paused: a new worker resumes it to completion', async () => {
    await withGraphs(
      [approvalGraph],
      async ({ client, startWorker }) => {
        const handle = client.graph(approvalGraph);
        const config = { configurable: { thread_id: threadId('restart') } };
        // First worker: runs the thread to its pause, then stops completely.
        const first = await startWorker();
        const paused = await first.runUntil(handle.invoke({ request: 'budget' }, config));
        assert.ok(paused.__interrupt__);
        assert.equal(first.getState(), 'STOPPED');

        // Resume while no worker of ours holds the thread in memory; a brand-new worker picks it up.
        const second = await startWorker();
        const done = await second.runUntil(handle.invoke(new Command({ resume: true }), config));
        assert.equal(done.result, 'EXECUTED: send email about budget');
      },
      { worker: false },
    );
  });
});
