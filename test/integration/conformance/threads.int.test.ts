/**
 * Threads (LangGraph R24, R50; our decision on new input while paused).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  START,
  StateGraph,
  ThreadBusyError,
  appendReducer,
  interrupt,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const State = z.object({
  requests: withReducer(z.array(z.string()), appendReducer, () => []),
  answer: z.string().optional(),
});

const graph = new StateGraph(State)
  .addNode('ask', (s) => ({ answer: interrupt<string>({ about: s.requests.at(-1) }) }))
  .addEdge(START, 'ask')
  .compile({ name: 'abandon' });

describe('new input on a paused thread', () => {
  it('is refused unless the caller asks to abandon the pending interrupt; then the thread restarts from START with the input merged (R24)', async () => {
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('abandon');
      const config = { configurable: { thread_id: thread } };
      const first = await handle.invoke({ requests: ['one'] }, config);
      const { runId: firstRun } = await client.temporal.workflow.getHandle(thread).describe();
      await assert.rejects(handle.invoke({ requests: ['two'] }, config), ThreadBusyError);
      const second = await handle.invoke({ requests: ['two'] }, { ...config, abandonPendingInterrupts: true });
      assert.deepEqual(second.requests, ['one', 'two'], 'reducers accumulate across the abandoned run');
      assert.deepEqual(
        second.__interrupt__!.map((i) => i.value),
        [{ about: 'two' }],
      );
      assert.notEqual(second.__interrupt__![0]!.id, first.__interrupt__![0]!.id);
      // The abandoned run is terminated on purpose, and its history says which interrupt was given up.
      const abandoned = client.temporal.workflow.getHandle(thread, firstRun);
      assert.equal((await abandoned.describe()).status.name, 'TERMINATED');
      const events = (await abandoned.fetchHistory()).events!;
      const reason = events.at(-1)!.workflowExecutionTerminatedEventAttributes!.reason!;
      assert.match(reason, new RegExp(`abandoned the pending interrupt\\(s\\) ${first.__interrupt__![0]!.id}`));
      const done = await handle.invoke(new Command({ resume: 'ok' }), config);
      assert.equal(done.answer, 'ok');
    });
  });
});
