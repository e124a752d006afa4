/**
 * step(): side effects before interrupt() run once per task although the node re-executes on resume
 * (our answer to LangGraph R13 / scenario d).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, START, StateGraph, interrupt, step } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

describe('step()', () => {
  it('runs the memoised side effect once across pause and resume while the node body runs three times', async () => {
    let emails = 0;
    let llmCalls = 0;
    let bodyRuns = 0;
    const graph = new StateGraph(
      z.object({ draft: z.string().optional(), sent: z.number().optional(), verdict: z.string().optional() }),
    )
      .addNode('work', async () => {
        bodyRuns++;
        const draft = await step('draft', async () => `draft #${++llmCalls}`);
        const first = interrupt<string>({ draft });
        const sent = await step('email', () => ++emails);
        const second = interrupt<string>({ sent });
        return { draft, sent, verdict: `${first}/${second}` };
      })
      .addEdge(START, 'work')
      .compile({ name: 'memoised-steps' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('step') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(paused.__interrupt__![0]!.value, { draft: 'draft #1' });
      const second = await handle.invoke(new Command({ resume: 'a' }), config);
      assert.deepEqual(second.__interrupt__![0]!.value, { sent: 1 });
      const done = await handle.invoke(new Command({ resume: 'b' }), config);
      assert.deepEqual(done, { draft: 'draft #1', sent: 1, verdict: 'a/b' });
      assert.equal(bodyRuns, 3);
      assert.equal(llmCalls, 1, 'the model was called once');
      assert.equal(emails, 1, 'the email was sent once');
    });
  });

  it('keeps recorded steps for a retry after the node failed', async () => {
    let charges = 0;
    let attempts = 0;
    const graph = new StateGraph(z.object({ receipt: z.number().optional() }))
      .addNode(
        'pay',
        async () => {
          attempts++;
          const receipt = await step('charge', () => ++charges);
          if (attempts === 1) {
            // Give the heartbeat that records the step time to reach the server before failing.
            await new Promise((r) => setTimeout(r, 1500));
            throw new Error('network blip after charging');
          }
          return { receipt };
        },
        { retryPolicy: { maxAttempts: 3, initialInterval: 50 } },
      )
      .addEdge(START, 'pay')
      .compile({ name: 'step-retry' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('step-retry') } });
      assert.equal(attempts, 2);
      assert.equal(charges, 1);
      assert.equal(done.receipt, 1);
    });
  });

  it('keeps recorded steps for a retry of a re-run that runs as a local Activity after the resume', async () => {
    let charges = 0;
    let attemptsAfterResume = 0;
    const graph = new StateGraph(z.object({ receipt: z.number().optional() }))
      .addNode(
        'pay',
        async () => {
          const approved = interrupt<boolean>('charge?');
          attemptsAfterResume++;
          const receipt = await step('charge', () => (approved ? ++charges : 0));
          if (attemptsAfterResume === 1) throw new Error('network blip after charging');
          return { receipt };
        },
        { retryPolicy: { maxAttempts: 3, initialInterval: 50 } },
      )
      .addEdge(START, 'pay')
      .compile({ name: 'step-local-retry' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('step-local-retry') } };
      await handle.invoke({}, config);
      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.equal(attemptsAfterResume, 2, 'the local re-run failed once and was retried');
      assert.equal(charges, 1, 'the retry reused the recorded charge');
      assert.equal(done.receipt, 1);
      const events = (await client.temporal.workflow.getHandle(config.configurable.thread_id).fetchHistory()).events!;
      assert.equal(
        events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
        1,
        'the re-run was a local Activity',
      );
    });
  });
});
