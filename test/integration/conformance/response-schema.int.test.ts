/**
 * Resume validation (LangGraph R45, our decision): interrupt(value, { responseSchema }).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, InvalidResumeError, START, StateGraph, interrupt } from '../../../src/index.js';
import { temporalCli, temporalJson } from '../../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const Answer = z.object({ approved: z.boolean(), comment: z.string().optional() });

function build(parsed: unknown[]) {
  return new StateGraph(z.object({ approved: z.boolean().optional() }))
    .addNode('review', () => {
      const answer = interrupt({ question: 'approve?' }, { responseSchema: Answer });
      parsed.push(answer);
      return { approved: answer.approved };
    })
    .addEdge(START, 'review')
    .compile({ name: 'schema-review' });
}

describe('interrupt() with a response schema', () => {
  it('shows response_schema as JSON Schema, refuses a bad value through the Update before history, and returns the parsed value', async () => {
    const parsed: unknown[] = [];
    const graph = build(parsed);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('schema');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({}, config);
      const pending = paused.__interrupt__![0]!;
      assert.deepEqual(Object.keys(pending), ['id', 'value', 'response_schema']);
      assert.equal((pending.response_schema as { type: string }).type, 'object');
      const before = await temporalJson<{ events: unknown[] }>(['workflow', 'show', '--workflow-id', thread]);
      await assert.rejects(handle.invoke(new Command({ resume: { approved: 'yes' } }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        assert.match(
          (error as Error).message,
          /does not match its response schema: field "approved": expected boolean, got "yes"\. Sent: /,
        );
        return true;
      });
      const after = await temporalJson<{ events: unknown[] }>(['workflow', 'show', '--workflow-id', thread]);
      assert.equal(after.events.length, before.events.length, 'nothing was written to history');
      const done = await handle.invoke(new Command({ resume: { approved: true, extra: 'stripped' } }), config);
      assert.equal(done.approved, true);
      assert.deepEqual(parsed, [{ approved: true }], 'unknown keys are stripped, as zod parses');
    });
  });

  it('records a bad value sent as a plain signal, reports it on the task, and stays paused', async () => {
    const graph = build([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('schema-signal');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({}, config);
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"resume": {"approved": 1}}',
      ]);
      assert.equal(signal.code, 0, signal.stderr);
      const state = await handle.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.equal(state.tasks[0]!.interrupts[0]!.id, paused.__interrupt__![0]!.id);
      assert.match(state.tasks[0]!.error!.message, /does not match its response schema/);
      assert.match(state.rejectedResumes[0]!.reason, /approved/);
      const done = await handle.invoke(new Command({ resume: { approved: false } }), config);
      assert.equal(done.approved, false);
    });
  });
});

describe('a response schema the workflow cannot fully check', () => {
  it('lets the node refuse a value that fails a refine(): invoke rejects with the zod message and the interrupt stays pending', async () => {
    const Even = z.number().refine((n) => n % 2 === 0, 'must be even');
    const graph = new StateGraph(z.object({ n: z.number().optional() }))
      .addNode('pick', () => ({ n: interrupt({ question: 'an even number?' }, { responseSchema: Even }) }))
      .addEdge(START, 'pick')
      .compile({ name: 'schema-refine' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('refine') } };
      const paused = await handle.invoke({}, config);
      await assert.rejects(handle.invoke(new Command({ resume: 3 }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        assert.match((error as Error).message, /must be even/);
        return true;
      });
      const state = await handle.getState(config);
      assert.equal(state.tasks[0]!.interrupts[0]!.id, paused.__interrupt__![0]!.id);
      const done = await handle.invoke(new Command({ resume: 4 }), config);
      assert.equal(done.n, 4);
    });
  });
});
