import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, isInterrupted } from '../../src/index.js';
import { approvalGraph } from '../../examples/approval/graph.js';
import { threadId, withGraphs } from '../helpers/env.js';

describe('the seed approval graph', () => {
  it('pauses at human_review with the interrupt payload and executes after approval', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const graph = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('approve') } };
      const paused = await graph.invoke({ request: 'Q3 report' }, config);
      assert.ok(isInterrupted(paused));
      assert.equal(paused.__interrupt__.length, 1);
      const [pending] = paused.__interrupt__;
      assert.match(pending!.id, /^[0-9a-f]{32}$/);
      assert.deepEqual(pending!.value, {
        question: 'Approve this action?',
        proposed_action: 'send email about Q3 report',
      });
      assert.equal(paused.proposed_action, 'send email about Q3 report');
      assert.equal(paused.result, undefined);

      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal('__interrupt__' in done, false);
      assert.equal(done.approved, true);
      assert.equal(done.result, 'EXECUTED: send email about Q3 report');
    });
  });

  it('records a rejection when the human answers false', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const graph = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('reject') } };
      await graph.invoke({ request: 'layoffs' }, config);
      const done = await graph.invoke(new Command({ resume: false }), config);
      assert.equal(done.approved, false);
      assert.equal(done.result, 'REJECTED: send email about layoffs');
    });
  });
});
