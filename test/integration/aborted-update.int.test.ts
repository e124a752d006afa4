/**
 * An Update racing a resume Signal: when the Signal arrives while the worker completes the workflow task that
 * carries the Update, the server fails that task (UnhandledCommand) and drops the Update with a FAILED_PRECONDITION
 * "unexpected workflow task failure". The client sends it again, so the caller gets the engine's verdict: a resume
 * applied, or refused with a typed error saying the Signal just answered the interrupt; an `updateState` applied (to
 * the paused run, or by a run of its own once the Signal ended it), or refused as the thread is running. Never a raw
 * ServiceError, nor the server's reason for dropping it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt, isDurableGraphError } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

// The paused node is the last: once the Signal's answer is in, the run ends at once, which makes the race likely.
const graph = new StateGraph(z.object({ answer: z.unknown().optional(), note: z.string().optional() }))
  .addNode('ask', () => ({ answer: interrupt('Go ahead?') }))
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'aborted_update' });

const THREADS = 60;

describe('an Update racing a resume Signal', () => {
  it('as a resume, is applied or refused with a typed error, never a raw ServiceError', async () => {
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

  it('as updateState, with or without asNode, is applied or refused by the engine, never dropped', async () => {
    await withGraphs([graph], async (env) => {
      const app = env.client.graph(graph);
      const ids = Array.from({ length: THREADS }, () => threadId('aborted-update-state'));
      await Promise.all(ids.map((id) => app.invoke({}, { configurable: { thread_id: id } })));
      const outcomes = await Promise.all(
        ids.map(async (id, i) => {
          const config = { configurable: { thread_id: id } };
          // Half write values alone (the interrupt stays pending), half stand in for the paused node.
          const asNode = i % 2 === 0 ? undefined : 'ask';
          const signal = env.client.temporal.workflow.getHandle(id).signal('resume', { resume: 'by Signal' });
          const update = (
            asNode === undefined
              ? app.updateState(config, { note: 'by updateState' })
              : app.updateState(config, { answer: 'by updateState' }, asNode)
          ).then(
            () => ({ applied: true as const }),
            (error: unknown) => ({ error }),
          );
          const [outcome] = await Promise.all([update, signal]);
          // An edit applied as the node leaves the Signal nothing to answer: the thread holds after that step (or, when
          // the Signal had ended the run first, the edit's own run has ended). Otherwise the Signal answers, and the
          // thread ends.
          if (!('applied' in outcome && asNode)) await env.client.temporal.workflow.getHandle(id).result();
          return { asNode, outcome, values: (await app.getState(config)).values };
        }),
      );
      for (const { asNode, outcome, values } of outcomes) {
        if ('applied' in outcome) {
          if (asNode) assert.equal(values.answer, 'by updateState', 'the edit is the node output');
          else assert.deepEqual(values, { answer: 'by Signal', note: 'by updateState' });
          continue;
        }
        const { error } = outcome;
        assert.ok(isDurableGraphError(error), `untyped: ${String(error)} (cause: ${String((error as Error).cause)})`);
        assert.equal(error.code, 'UPDATE_STATE_REFUSED', error.message);
        assert.deepEqual(values, { answer: 'by Signal' }, 'a refused edit wrote nothing');
      }
    });
  });
});
