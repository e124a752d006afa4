/**
 * Deadlines on pauses (our decision: "Pending pauses wait forever" → interrupt(value, { timeout, onTimeout })).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, START, StateGraph, interrupt } from '../../../src/index.js';
import { temporalJson } from '../../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../../helpers/env.js';

describe('interrupt() with a timeout', () => {
  it('resumes with the onTimeout value when nobody answers in time, recorded as a durable timer', async () => {
    const graph = new StateGraph(z.object({ decision: z.string().optional() }))
      .addNode('ask', () => ({
        decision: interrupt<string>('approve?', { timeout: '1s', onTimeout: { resume: 'auto-rejected' } }),
      }))
      .addEdge(START, 'ask')
      .compile({ name: 'deadline-default' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('deadline');
      const paused = await client.graph(graph).invoke({}, { configurable: { thread_id: thread } });
      assert.ok(paused.__interrupt__);
      const described = await temporalJson<{
        workflowExecutionInfo: { memo: { fields: { durableGraph: { interrupts: Array<{ expiresAt?: string }> } } } };
      }>(['workflow', 'describe', '--workflow-id', thread]);
      assert.match(
        described.workflowExecutionInfo.memo.fields.durableGraph.interrupts[0]!.expiresAt ?? '',
        /^\d{4}-\d\d-\d\dT/,
      );
      const result = await client.temporal.workflow.getHandle(thread).result();
      assert.equal(result.values.decision, 'auto-rejected');
      const events = (await client.temporal.workflow.getHandle(thread).fetchHistory()).events!;
      assert.ok(
        events.some((e) => e.timerFiredEventAttributes),
        'the deadline is a Temporal timer',
      );
    });
  });

  it("shows a pause with a deadline as LangGraph shows any pause: the stream's __interrupt__ and getState carry no expiresAt", async () => {
    const graph = new StateGraph(z.object({ decision: z.string().optional() }))
      .addNode('ask', () => ({ decision: interrupt<string>('approve?', { timeout: '1h' }) }))
      .addEdge(START, 'ask')
      .compile({ name: 'deadline-shown' });
    await withGraphs([graph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('deadline-shown') } };
      const chunks: unknown[] = [];
      for await (const chunk of client.graph(graph).stream({}, { ...config, streamMode: 'updates' }))
        chunks.push(chunk);
      const paused = chunks.at(-1) as { __interrupt__: Array<Record<string, unknown>> };
      assert.deepEqual(Object.keys(paused.__interrupt__[0]!).sort(), ['id', 'value']);
      const state = await client.graph(graph).getState(config);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
    });
  });

  it('fails the node with INTERRUPT_TIMEOUT by default, and an answer in time cancels the deadline', async () => {
    const graph = new StateGraph(z.object({ decision: z.string().optional() }))
      .addNode('ask', () => ({ decision: interrupt<string>('approve?', { timeout: '1s' }) }))
      .addEdge(START, 'ask')
      .compile({ name: 'deadline-fail' });
    await withGraphs([graph], async ({ client }) => {
      const late = threadId('deadline-fail');
      await client.graph(graph).invoke({}, { configurable: { thread_id: late } });
      await assert.rejects(client.temporal.workflow.getHandle(late).result(), (error: unknown) => {
        assert.match(String((error as { cause?: Error }).cause?.message), /expired with no resume/);
        return true;
      });
      const onTime = { configurable: { thread_id: threadId('deadline-ok') } };
      await client.graph(graph).invoke({}, onTime);
      const done = await client.graph(graph).invoke(new Command({ resume: 'yes' }), onTime);
      assert.equal(done.decision, 'yes');
    });
  });
});
