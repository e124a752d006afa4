/**
 * Only the parts of details.ts that need no Workflow context: importing @temporalio/workflow outside a
 * Workflow is fine as long as none of its functions are called (resumeCommand calls workflowInfo()).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDetails } from '../../../src/workflows/details.js';

describe('renderDetails without pending interrupts', () => {
  it('shows the status, thread, graph and step', () => {
    const text = renderDetails({
      threadId: 'order-42',
      graph: 'approval',
      status: 'completed',
      step: 3,
      pending: [],
      rejected: [],
    });
    assert.equal(text, '### Completed (reached END)\n\n**Thread** `order-42` · **Graph** `approval` · **Step** 3');
  });

  it('lists only the last three rejected resumes', () => {
    const rejected = [1, 2, 3, 4].map((n) => ({ at: `t${n}`, via: 'signal' as const, reason: `reason ${n}` }));
    const text = renderDetails({ threadId: 't', graph: 'g', status: 'running', step: 0, pending: [], rejected });
    assert.match(
      text,
      /\*\*Rejected resumes\*\* \(nothing was applied\):\n\n- t2 via signal: reason 2\n- t3 via signal: reason 3\n- t4 via signal: reason 4$/,
    );
    assert.doesNotMatch(text, /reason 1/);
  });
});
