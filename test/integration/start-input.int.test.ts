/**
 * Starting a thread with a plain Temporal client: the input may carry the graph's shape as `spec` (the compiled
 * spec), which durable-graph's client leaves alone; a `spec` that is not one ends the run with INVALID_INPUT.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { END, START, StateGraph } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

const graph = new StateGraph(z.object({ n: z.number() }))
  .addNode('inc', (s) => ({ n: s.n + 1 }))
  .addEdge(START, 'inc')
  .addEdge('inc', END)
  .compile({ name: 'start-input' });

describe('a run started by a plain Temporal client', () => {
  it('runs on the compiled spec passed in its input, and the input keeps it as sent', async () => {
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const id = threadId('start-input');
      const handle = await client.temporal.workflow.start(graph.name, {
        workflowId: id,
        taskQueue,
        args: [{ input: { n: 1 }, spec: graph.spec }],
      });
      assert.deepEqual(((await handle.result()) as { values: unknown }).values, { n: 2 });
      const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
      const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8'));
      assert.deepEqual(input.spec, JSON.parse(JSON.stringify(graph.spec)), 'a user-written spec is not moved away');
      assert.equal(started.header?.fields?.['durable-graph-spec'], undefined);
    });
  });

  it('ends with INVALID_INPUT, not a retried workflow task, when its spec is not a graph spec', async () => {
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const handle = await client.temporal.workflow.start(graph.name, {
        workflowId: threadId('start-input-bad'),
        taskQueue,
        args: [{ input: { n: 1 }, spec: { nodes: 'inc' } }],
      });
      await assert.rejects(handle.result(), (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError);
        assert.ok(error.cause instanceof ApplicationFailure);
        assert.equal(error.cause.type, 'INVALID_INPUT');
        assert.match(error.cause.message, /not a graph spec/);
        return true;
      });
    });
  });
});
