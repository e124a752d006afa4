/**
 * `temporal workflow cancel` on a thread whose node is running ends the run Canceled, whichever way the engine
 * waits for the step: one node awaited directly or several on a condition. The thread paused
 * once before, so a run that ended as a failed node would publish a "failed" status: it must not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { Command, START, StateGraph, appendReducer, interrupt, withReducer } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

/** A node body that reports it started and then waits until the test lets it go. */
function gate() {
  let started!: () => void;
  let release!: () => void;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const releaseP = new Promise<void>((resolve) => (release = resolve));
  const node = async () => {
    started();
    await releaseP;
    return { log: ['slow'] };
  };
  return { node, started: startedP, release };
}

const state = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });

describe('cancelling a running thread', () => {
  for (const shape of ['one node in the step', 'two nodes in the step', 'a local segment'] as const) {
    it(`ends the run Canceled, not as a failed node (${shape})`, async () => {
      const slow = gate();
      const builder = new StateGraph(state)
        .addNode('ask', () => ({ log: [`ask:${interrupt<string>('go?')}`] }))
        .addNode('slow', slow.node, shape === 'a local segment' ? { local: true } : {})
        .addEdge(START, 'ask')
        .addEdge('ask', 'slow');
      const graph = (
        shape !== 'two nodes in the step'
          ? builder
          : builder.addNode('quick', () => ({ log: ['quick'] })).addEdge('ask', 'quick')
      ).compile({
        name: {
          'one node in the step': 'cancel-sole',
          'two nodes in the step': 'cancel-pair',
          'a local segment': 'cancel-segment',
        }[shape],
      });
      await withGraphs([graph], async ({ client }) => {
        const thread = threadId('cancel');
        const config = { configurable: { thread_id: thread } };
        assert.ok((await client.graph(graph).invoke({}, config)).__interrupt__, 'the thread pauses first');
        const run = client.graph(graph).invoke(new Command({ resume: 'yes' }), config);
        run.catch(() => undefined); // asserted below
        await slow.started;
        const handle = client.temporal.workflow.getHandle(thread);
        await handle.cancel();
        try {
          await assert.rejects(handle.result(), (error: unknown) => {
            assert.ok(error instanceof WorkflowFailedError, String(error));
            assert.ok(error.cause instanceof CancelledFailure, `cause: ${String(error.cause)}`);
            return true;
          });
          assert.equal((await handle.describe()).status.name, 'CANCELLED');
          const events = (await handle.fetchHistory()).events ?? [];
          assert.ok(
            events.some((e) => e.workflowExecutionCanceledEventAttributes),
            'the history ends with WorkflowExecutionCanceled',
          );
          const requested = events.findIndex((e) => e.workflowExecutionCancelRequestedEventAttributes);
          assert.ok(requested > 0, 'the cancel request is in the history');
          assert.deepEqual(
            events
              .slice(requested)
              .filter(
                (e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes,
              ),
            [],
            'no status (such as "failed") is published after the cancel request',
          );
          await assert.rejects(run);
        } finally {
          slow.release();
        }
      });
    });
  }
});
