/**
 * Parallel interrupts (LangGraph R16, R42; our decisions on R17, R18): several tasks of one superstep pause
 * together, are answered by id (all at once or a few at a time), and completed siblings never re-run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  InvalidResumeError,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

function fanOutGraph(calls: string[]) {
  return new StateGraph(z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) }))
    .addNode('left', () => {
      calls.push('left');
      return { log: [`left:${interrupt<string>('left?')}`] };
    })
    .addNode('right', () => {
      calls.push('right');
      return { log: [`right:${interrupt<string>('right?')}`] };
    })
    .addNode('quiet', () => {
      calls.push('quiet');
      return { log: ['quiet'] };
    })
    .addNode('join', () => {
      calls.push('join');
      return { log: ['join'] };
    })
    .addEdge(START, 'left')
    .addEdge(START, 'right')
    .addEdge(START, 'quiet')
    .addEdge(['left', 'right', 'quiet'], 'join')
    .addEdge('join', END)
    .compile({ name: 'parallel-interrupts' });
}

describe('parallel interrupts', () => {
  it('lists every pending interrupt, keeps the completed sibling write, and resumes all of them with one id map (R3, R16, R42)', async () => {
    const calls: string[] = [];
    const graph = fanOutGraph(calls);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('par') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        ['left?', 'right?'],
      );
      assert.deepEqual(paused.log, ['quiet'], 'the completed sibling write is visible while paused');
      const state = await handle.getState(config);
      assert.deepEqual(
        state.tasks.map((t) => [t.name, t.interrupts.length, t.result]),
        [
          ['left', 1, undefined],
          ['right', 1, undefined],
          ['quiet', 0, { log: ['quiet'] }],
        ],
      );
      const [left, right] = paused.__interrupt__!;
      const done = await handle.invoke(new Command({ resume: { [left!.id]: 'L', [right!.id]: 'R' } }), config);
      // The sibling that completed before the pause keeps its place first, as LangGraph's pending writes do.
      // The superstep's writes apply in LangGraph's task-path order (node names), not in completion order.
      assert.deepEqual(done.log, ['left:L', 'quiet', 'right:R', 'join']);
      assert.deepEqual(
        calls.filter((c) => c === 'quiet'),
        ['quiet'],
        'the completed sibling never re-runs',
      );
    });
  });

  it('answers only the ids in a partial map; the others stay paused with the same id and are not re-executed', async () => {
    const calls: string[] = [];
    const graph = fanOutGraph(calls);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('partial') } };
      const paused = await handle.invoke({}, config);
      const [left, right] = paused.__interrupt__!;
      const stillPaused = await handle.invoke(new Command({ resume: { [left!.id]: 'L' } }), config);
      assert.deepEqual(stillPaused.__interrupt__, [right], 'right keeps its id');
      assert.deepEqual(
        calls.sort(),
        ['left', 'left', 'quiet', 'right'],
        'right was not re-executed (unlike LangGraph.js R16)',
      );
      assert.ok(!calls.includes('join'), 'the join waits for every branch');
      assert.deepEqual(stillPaused.log, ['left:L', 'quiet'], 'completed writes show in task-path order (node names)');
      const done = await handle.invoke(new Command({ resume: { [right!.id]: 'R' } }), config);
      // The superstep's writes apply in LangGraph's task-path order (node names), not in completion order.
      assert.deepEqual(done.log, ['left:L', 'quiet', 'right:R', 'join']);
    });
  });

  it('rejects a plain value while several interrupts are pending, listing their ids (decision on R17)', async () => {
    const graph = fanOutGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('ambiguous') } };
      const paused = await handle.invoke({}, config);
      await assert.rejects(handle.invoke(new Command({ resume: 'both' }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        for (const pending of paused.__interrupt__!) assert.ok((error as Error).message.includes(pending.id));
        assert.match((error as Error).message, /plain resume value is ambiguous/);
        return true;
      });
    });
  });

  it('rejects a map naming an unknown or already-answered id (decision on R18)', async () => {
    const graph = fanOutGraph([]);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('unknown-id') } };
      const paused = await handle.invoke({}, config);
      const [left, right] = paused.__interrupt__!;
      await handle.invoke(new Command({ resume: { [left!.id]: 'L' } }), config);
      await assert.rejects(
        handle.invoke(new Command({ resume: { [left!.id]: 'again' } }), config),
        (error: unknown) => {
          assert.ok(error instanceof InvalidResumeError);
          assert.match((error as Error).message, new RegExp(`${left!.id}.*not pending.*${right!.id}`));
          return true;
        },
      );
    });
  });
});
