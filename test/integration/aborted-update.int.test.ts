/**
 * A resume Update racing a resume Signal: when the Signal arrives while the worker completes the workflow task that
 * carries the Update, the server fails that task (UnhandledCommand) and drops the Update with a FAILED_PRECONDITION
 * "unexpected workflow task failure". The client sends it again, so the caller gets the engine's verdict: applied,
 * or refused with a typed error saying the Signal just answered the interrupt. Never a raw ServiceError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt, isDurableGraphError } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

// The paused node is the last: once the Signal's answer is in, the run ends at once, which makes the race likely.
const graph = new StateGraph(z.object({ answer: z.unknown().optional() }))
  .addNode('ask', () => ({ answer: interrupt('Go ahead?') }))
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'aborted_update' });

const THREADS = 60;

describe('a resume Update racing a resume Signal', () => {
  it('is applied or refused with a typed error, never a raw ServiceError', async () => {
    await withGraphs([graph], async (env) => {
      const app = env.client.graph(graph);
      const ids = Array.from({ length: THREADS }, () => threadId('aborted-update'));
      await Promise.all(ids.map((id) => app.invoke({}, { configurable: { thread_id: id } })));
      const outcomes = await Promise.all(
        ids.map(async (id) => {
          const config = { configurable: { thread_id: id } };
          const signal = env.client.temporal.workflow
            .getHandle(id)
            .signal('resume', { resume: 'by Signal' })
            .catch(() => undefined); // the run may have ended on the Update's answer
          const update = app.invoke(new Command({ resume: 'by Update' }), config).then(
            (done) => ({ applied: done.answer === 'by Update' }),
            (error: unknown) => ({ error }),
          );
          const [outcome] = await Promise.all([update, signal]);
          return outcome;
        }),
      );
      for (const outcome of outcomes) {
        if ('applied' in outcome) {
          assert.equal(outcome.applied, true);
          continue;
        }
        const { error } = outcome;
        assert.ok(isDurableGraphError(error), `untyped: ${String(error)} (cause: ${String((error as Error).cause)})`);
        assert.equal(error.code, 'NO_PENDING_INTERRUPT', error.message);
      }
    });
  });
});
