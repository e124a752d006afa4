/**
 * getStateHistory (LangGraph R7, R10, R50, R51, R52): one snapshot per superstep, newest first, across every
 * run of the thread, rebuilt from Temporal history.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { approvalGraph } from '../../../examples/approval/graph.js';
import type { GraphHandle, StateHistoryOptions, StateHistorySnapshot } from '../../../src/client.js';
import {
  Command,
  END,
  MessagesZodState,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

async function historyOf<S extends Record<string, unknown>>(
  handle: GraphHandle<S>,
  thread: string,
  options?: StateHistoryOptions,
): Promise<StateHistorySnapshot<S>[]> {
  const out: StateHistorySnapshot<S>[] = [];
  for await (const snapshot of handle.getStateHistory({ configurable: { thread_id: thread } }, options))
    out.push(snapshot);
  return out;
}

const steps = (history: StateHistorySnapshot<any>[]) =>
  history.map((s) => [s.metadata.step, s.metadata.source, s.next]);

describe('getStateHistory', () => {
  it('gives the approval flow 5 snapshots newest first, the paused one holding the interrupt and the eventual result (R51, R10)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('history');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ request: 'Q3 report' }, config);

      const whilePaused = await historyOf(handle, thread);
      assert.deepEqual(steps(whilePaused), [
        [1, 'loop', ['human_review']],
        [0, 'loop', ['propose']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(
        whilePaused[0]!.tasks[0]!.interrupts,
        paused.__interrupt__,
        'same id and value as the pausing invoke',
      );
      assert.equal('result' in whilePaused[0]!.tasks[0]!, false);

      await handle.invoke(new Command({ resume: true }), config);
      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history), [
        [3, 'loop', []],
        [2, 'loop', ['execute']],
        [1, 'loop', ['human_review']],
        [0, 'loop', ['propose']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(
        history.map((s) => s.values),
        [
          {
            request: 'Q3 report',
            proposed_action: 'send email about Q3 report',
            approved: true,
            result: 'EXECUTED: send email about Q3 report',
          },
          { request: 'Q3 report', proposed_action: 'send email about Q3 report', approved: true },
          { request: 'Q3 report', proposed_action: 'send email about Q3 report' },
          { request: 'Q3 report' },
          {},
        ],
      );
      const review = history[2]!.tasks[0]!;
      assert.equal(review.name, 'human_review');
      assert.deepEqual(review.interrupts, paused.__interrupt__);
      assert.deepEqual(review.result, { approved: true });
      assert.deepEqual(
        history[4]!.tasks.map((t) => [t.name, t.result]),
        [['__start__', { request: 'Q3 report' }]],
      );

      const { runId } = await client.temporal.workflow.getHandle(thread).describe();
      for (const [i, s] of history.entries()) {
        assert.deepEqual(s.metadata, { source: s.metadata.source, step: s.metadata.step, thread_id: thread });
        assert.deepEqual(s.config, {
          configurable: { thread_id: thread, checkpoint_id: `${runId}:${s.metadata.step}` },
        });
        assert.deepEqual(s.parentConfig, history[i + 1]?.config);
        assert.equal(s.runId, runId);
      }
      assert.deepEqual(
        history[0]!.values,
        (await handle.getState(config)).values,
        'the newest snapshot is the current state',
      );
    });
  });

  it('spans both runs of a two-turn thread: 10 snapshots, the step count continuing (R50, R51); limit, filter and before narrow it (R52)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('two-turns');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({ request: 'first' }, config);
      await handle.invoke(new Command({ resume: true }), config);
      await handle.invoke({ request: 'second' }, config);
      await handle.invoke(new Command({ resume: false }), config);

      const history = await historyOf(handle, thread);
      assert.deepEqual(
        history.map((s) => s.metadata.step),
        [8, 7, 6, 5, 4, 3, 2, 1, 0, -1],
      );
      assert.deepEqual(
        history.map((s) => s.metadata.source),
        ['loop', 'loop', 'loop', 'loop', 'input', 'loop', 'loop', 'loop', 'loop', 'input'],
      );
      const runs = [...new Set(history.map((s) => s.runId))];
      assert.equal(runs.length, 2, 'each turn is its own run of the Workflow Id');
      assert.equal(history[4]!.runId, runs[0]);
      assert.equal(history[5]!.runId, runs[1]);
      assert.deepEqual(
        history[4]!.values,
        history[5]!.values,
        "turn 2's input snapshot starts from turn 1's final values",
      );
      assert.deepEqual(steps([history[2]!, history[7]!]), [
        [6, 'loop', ['human_review']],
        [1, 'loop', ['human_review']],
      ]);
      assert.equal(history[2]!.values.approved, true, "turn 2's pause still shows turn 1's approval (R50)");
      assert.equal(history[0]!.values.result, 'REJECTED: send email about second');
      assert.deepEqual(history[2]!.tasks[0]!.result, { approved: false });
      assert.deepEqual(history[7]!.tasks[0]!.result, { approved: true });
      assert.notEqual(history[2]!.tasks[0]!.interrupts[0]!.id, history[7]!.tasks[0]!.interrupts[0]!.id);
      assert.deepEqual(history[4]!.parentConfig, history[5]!.config, 'linked across runs');

      assert.deepEqual(
        (await historyOf(handle, thread, { limit: 3 })).map((s) => s.metadata.step),
        [8, 7, 6],
      );
      assert.deepEqual(
        (await historyOf(handle, thread, { filter: { source: 'input' } })).map((s) => s.metadata.step),
        [4, -1],
      );
      const page2 = await historyOf(handle, thread, { before: history[2]!.config, limit: 4 });
      assert.deepEqual(
        page2.map((s) => s.metadata.step),
        [5, 4, 3, 2],
      );
      assert.deepEqual(page2, history.slice(3, 7));
    });
  });

  it('is rebuilt from history alone: it needs no worker, and a thread that never ran has none', async () => {
    await withGraphs(
      [approvalGraph],
      async ({ client, startWorker }) => {
        const handle = client.graph(approvalGraph);
        const thread = threadId('no-worker');
        const worker = await startWorker();
        await worker.runUntil(handle.invoke({ request: 'offline' }, { configurable: { thread_id: thread } }));
        assert.equal(worker.getState(), 'STOPPED');
        const history = await historyOf(handle, thread);
        assert.deepEqual(
          history.map((s) => s.metadata.step),
          [1, 0, -1],
        );
        assert.equal(history[0]!.tasks[0]!.interrupts.length, 1);
        assert.deepEqual(await historyOf(handle, threadId('never-ran')), []);
      },
      { worker: false },
    );
  });

  it('two interrupt() calls in one node: one superstep, showing the last interrupt and the result (as LangGraph)', async () => {
    const graph = new StateGraph(z.object({ name: z.string().optional(), age: z.number().optional() }))
      .addNode('ask', () => {
        const name = interrupt<string>({ question: 'name?' });
        const age = interrupt<number>({ question: `age of ${name}?` });
        return { name, age };
      })
      .addEdge(START, 'ask')
      .addEdge('ask', END)
      .compile({ name: 'history-two-questions' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('two-questions');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({}, config);
      const second = await handle.invoke(new Command({ resume: 'Ada' }), config);
      const paused = await historyOf(handle, thread);
      assert.deepEqual(steps(paused), [
        [0, 'loop', ['ask']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(paused[0]!.tasks[0]!.interrupts, second.__interrupt__, 'the pending (second) interrupt');

      await handle.invoke(new Command({ resume: 36 }), config);
      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history), [
        [1, 'loop', []],
        [0, 'loop', ['ask']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(history[1]!.tasks[0]!.interrupts, second.__interrupt__);
      assert.deepEqual(history[1]!.tasks[0]!.result, { name: 'Ada', age: 36 });
      assert.deepEqual(history[0]!.values, { name: 'Ada', age: 36 });
    });
  });

  it('a parallel superstep is one snapshot: every task, each interrupt with its own id, values as the superstep started', async () => {
    const State = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });
    const graph = new StateGraph(State)
      .addNode('plan', () => ({ log: ['plan'] }))
      .addNode('left', () => ({ log: [`left:${interrupt<string>({ side: 'left' })}`] }))
      .addNode('right', () => ({ log: [`right:${interrupt<string>({ side: 'right' })}`] }))
      .addNode('quiet', () => ({ log: ['quiet'] }))
      .addNode('join', () => ({ log: ['join'] }))
      .addEdge(START, 'plan')
      .addEdge('plan', 'left')
      .addEdge('plan', 'right')
      .addEdge('plan', 'quiet')
      .addEdge(['left', 'right', 'quiet'], 'join')
      .addEdge('join', END)
      .compile({ name: 'history-parallel' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('parallel');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({}, config);
      const [left, right] = paused.__interrupt__!;
      await handle.invoke(new Command({ resume: { [right!.id]: 'R' } }), config);
      await handle.invoke(new Command({ resume: { [left!.id]: 'L' } }), config);

      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history), [
        [3, 'loop', []],
        [2, 'loop', ['join']],
        [1, 'loop', ['left', 'right', 'quiet']],
        [0, 'loop', ['plan']],
        [-1, 'input', ['__start__']],
      ]);
      const parallel = history[2]!;
      assert.deepEqual(parallel.values, { log: ['plan'] }, 'not the writes of the superstep itself (R10)');
      assert.deepEqual(
        parallel.tasks.map((t) => [t.name, t.interrupts, t.result]),
        [
          ['left', [left], { log: ['left:L'] }],
          ['right', [right], { log: ['right:R'] }],
          ['quiet', [], { log: ['quiet'] }],
        ],
      );
      // The superstep's writes apply in LangGraph's task-path order (node names), whatever order the tasks
      // completed in across the pauses (quiet, then right, then left).
      assert.deepEqual(history[0]!.values.log, ['plan', 'left:L', 'quiet', 'right:R', 'join']);
    });
  });

  it('a run paused at a breakpoint and abandoned for new input contributes its snapshots, the paused superstep included', async () => {
    const State = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });
    const graph = new StateGraph(State)
      .addNode('draft', () => ({ log: ['draft'] }))
      .addNode('send', () => ({ log: ['send'] }))
      .addEdge(START, 'draft')
      .addEdge('draft', 'send')
      .addEdge('send', END)
      .compile({ name: 'history-breakpoint', interruptBefore: ['send'] });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('breakpoint');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({ log: ['one'] }, config);
      const paused = await historyOf(handle, thread);
      assert.deepEqual(steps(paused), [
        [1, 'loop', ['send']],
        [0, 'loop', ['draft']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(paused[0]!.values, { log: ['one', 'draft'] });
      assert.deepEqual(
        paused[0]!.tasks.map((t) => [t.name, t.interrupts]),
        [['send', []]],
        'a breakpoint pause has no interrupt (R5)',
      );

      await handle.invoke({ log: ['two'] }, { ...config, abandonPendingInterrupts: true });
      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history), [
        [3, 'loop', ['send']],
        [2, 'loop', ['draft']],
        [1, 'input', ['__start__']],
        [1, 'loop', ['send']],
        [0, 'loop', ['draft']],
        [-1, 'input', ['__start__']],
      ]);
      assert.deepEqual(history.slice(3), paused, 'the abandoned run reads as it did while paused');
      assert.deepEqual(history[2]!.values, { log: ['one', 'draft'] }, 'the new run starts from the paused values');
      assert.deepEqual(history[0]!.values, { log: ['one', 'draft', 'two', 'draft'] });
    });
  });

  it('gives chat messages back as message objects, in values and task results', async () => {
    const graph = new StateGraph(MessagesZodState)
      .addNode('agent', () => ({ messages: [new AIMessage('hello')] }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile({ name: 'history-messages' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('messages');
      await handle.invoke({ messages: [new HumanMessage('hi')] }, { configurable: { thread_id: thread } });
      const [final, agent] = await historyOf(handle, thread);
      assert.deepEqual(
        final!.values.messages.map((m) => m.constructor.name),
        ['HumanMessage', 'AIMessage'],
      );
      assert.ok(agent!.values.messages[0] instanceof HumanMessage);
      assert.ok((agent!.tasks[0]!.result as { messages: unknown[] }).messages[0] instanceof AIMessage);
    });
  });

  it('updateState adds an "update" snapshot after the paused superstep, which keeps the values it paused with (R31)', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('update-state');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ request: 'Q3' }, config);
      await handle.updateState(config, { proposed_action: 'send a shorter email' });
      const whilePaused = await historyOf(handle, thread);
      assert.deepEqual(steps(whilePaused), [
        [1, 'update', ['human_review']],
        [1, 'loop', ['human_review']],
        [0, 'loop', ['propose']],
        [-1, 'input', ['__start__']],
      ]);
      assert.equal(whilePaused[0]!.values.proposed_action, 'send a shorter email');
      assert.equal(whilePaused[1]!.values.proposed_action, 'send email about Q3');
      assert.deepEqual(
        whilePaused[0]!.tasks[0]!.interrupts,
        paused.__interrupt__,
        'the edit kept the interrupt pending (our decision)',
      );
      assert.notEqual(
        whilePaused[0]!.config.configurable.checkpoint_id,
        whilePaused[1]!.config.configurable.checkpoint_id,
      );

      await handle.invoke(new Command({ resume: true }), config);
      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history), [
        [3, 'loop', []],
        [2, 'loop', ['execute']],
        [1, 'update', ['human_review']],
        [1, 'loop', ['human_review']],
        [0, 'loop', ['propose']],
        [-1, 'input', ['__start__']],
      ]);
      assert.equal(history[1]!.values.proposed_action, 'send a shorter email');
      assert.deepEqual(history[2]!.tasks[0]!.result, { approved: true });
      assert.equal(
        history[3]!.values.proposed_action,
        'send email about Q3',
        'the paused superstep keeps its own values',
      );
      assert.deepEqual(
        (await historyOf(handle, thread, { filter: { source: 'update' } })).map((s) => s.metadata.step),
        [1],
      );
    });
  });

  it('updateState(..., asNode) on a finished thread starts a run whose first snapshot has source "update"', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('update-finished');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({ request: 'Q3' }, config);
      await handle.invoke(new Command({ resume: false }), config);
      await handle.updateState(config, { approved: true }, 'human_review');
      const paused = await historyOf(handle, thread);
      assert.deepEqual(steps(paused.slice(0, 2)), [
        [5, 'loop', ['execute']],
        [4, 'update', ['__start__']],
      ]);
      assert.equal(paused[0]!.values.approved, true);
      await handle.invoke(null, config);
      const history = await historyOf(handle, thread);
      assert.deepEqual(steps(history.slice(0, 3)), [
        [6, 'loop', []],
        [5, 'loop', ['execute']],
        [4, 'update', ['__start__']],
      ]);
      assert.equal(history[0]!.values.result, 'EXECUTED: send email about Q3');
      assert.equal(history.length, 8);
    });
  });
});
