/**
 * A node that throws something other than an Error (`throw { code: 42 }`, `throw 'text'`, `throw null`) keeps what
 * it threw in the failure: the caller's NodeFailedError, the parked thread's `getState()` and the failure's details.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { END, NodeFailedError, START, StateGraph } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

const thrown: { value: unknown } = { value: undefined };
const graph = new StateGraph(z.object({ n: z.number() }))
  .addNode(
    'call_api',
    () => {
      throw thrown.value;
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addEdge(START, 'call_api')
  .addEdge('call_api', END)
  .compile({ name: 'thrown-values' });

describe('a node that throws a value that is not an Error', () => {
  it('keeps what it threw in the failure message, its details and the parked thread state', async () => {
    await withGraphs([graph], async ({ client }) => {
      const app = client.graph(graph);
      const cases: Array<{ value: unknown; shown: string; details: unknown[] }> = [
        { value: { code: 42 }, shown: '{"code":42}', details: [{ code: 42 }] },
        { value: 'quota exceeded', shown: 'quota exceeded', details: ['quota exceeded'] },
        { value: null, shown: 'null', details: [null] },
        {
          value: { text: 'x'.repeat(2000) },
          shown: `{"text":"${'x'.repeat(480)}`,
          details: [{ text: 'x'.repeat(2000) }],
        },
      ];
      for (const { value, shown, details } of cases) {
        thrown.value = value;
        const config = { configurable: { thread_id: threadId('thrown') } };
        const error = await app.invoke({ n: 1 }, config).then(
          () => assert.fail('the node throws'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof NodeFailedError, String(error));
        assert.ok(error.message.includes(`Node "call_api" failed`), error.message);
        assert.ok(error.message.includes(shown), error.message);
        assert.doesNotMatch(error.message, /undefined/);
        const cause = error.cause;
        assert.ok(cause instanceof ApplicationFailure, String(cause));
        assert.deepEqual(cause.details, details);

        const state = await app.getState(config);
        assert.equal(state.status, 'error');
        assert.ok(state.failures?.[0]?.error.message.includes(shown), JSON.stringify(state.failures));
        assert.ok(state.tasks[0]?.error?.message.includes(shown), JSON.stringify(state.tasks));
      }
    });
  });
});
