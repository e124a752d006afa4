/**
 * Subgraphs (LangGraph R11, R40, scenario h): a compiled graph used as a node runs as a Temporal child
 * workflow; its interrupts surface in the parent with the same id; resuming the parent resumes the child
 * where it paused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, Send, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { temporalJson } from '../../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const calls: string[] = [];
const Shared = z.object({
  log: withReducer(z.array(z.string()), appendReducer, () => []),
  answer: z.string().optional(),
});

const child = new StateGraph(Shared)
  .addNode('child_prep', () => {
    calls.push('child_prep');
    return { log: ['child_prep'] };
  })
  .addNode('child_ask', () => {
    calls.push('child_ask');
    return { answer: interrupt<string>({ question: 'from the child' }), log: ['child_ask'] };
  })
  .addEdge(START, 'child_prep')
  .addEdge('child_prep', 'child_ask')
  .addEdge('child_ask', END)
  .compile({ name: 'review-subgraph' });

const parent = new StateGraph(Shared)
  .addNode('parent_pre', () => {
    calls.push('parent_pre');
    return { log: ['parent_pre'] };
  })
  .addNode('sub', child)
  .addNode('parent_post', (s) => {
    calls.push('parent_post');
    return { log: [`parent_post:${s.answer}`] };
  })
  .addEdge(START, 'parent_pre')
  .addEdge('parent_pre', 'sub')
  .addEdge('sub', 'parent_post')
  .addEdge('parent_post', END)
  .compile({ name: 'with-subgraph' });

describe('a subgraph used as a node', () => {
  it('pauses the parent with the child interrupt (same id), resumes the child where it paused, and links parent and child in Temporal', async () => {
    calls.length = 0;
    await withGraphs([parent], async ({ client }) => {
      const handle = client.graph(parent);
      const thread = threadId('sub');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        [{ question: 'from the child' }],
      );
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['sub']);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);

      // The child is a real child workflow of the parent, which the Web UI links.
      const childId = `${thread}/sub/${state.tasks[0]!.id.slice(0, 8)}`;
      const described = await temporalJson<{ workflowExecutionInfo: { parentExecution?: { workflowId: string } } }>([
        'workflow',
        'describe',
        '--workflow-id',
        childId,
      ]);
      assert.equal(described.workflowExecutionInfo.parentExecution?.workflowId, thread);
      assert.deepEqual(
        state.tasks[0]!.state,
        { configurable: { thread_id: childId } },
        'R11: the task points at the child thread',
      );
      const nested = await handle.getState(config, { subgraphs: true });
      const childSnapshot = nested.tasks[0]!.state as unknown as { values: { log: string[] }; next: string[] };
      assert.deepEqual(childSnapshot.next, ['child_ask'], 'with subgraphs: true the task holds the child snapshot');
      assert.deepEqual(childSnapshot.values.log, ['parent_pre', 'child_prep']);
      const childState = await client.graph('review-subgraph').getState({ configurable: { thread_id: childId } });
      assert.deepEqual(
        childState.tasks[0]!.interrupts.map((i) => i.id),
        paused.__interrupt__!.map((i) => i.id),
        'the same id in child and parent',
      );

      const done = await handle.invoke(new Command({ resume: 'yes' }), config);
      assert.equal(done.answer, 'yes');
      // R40: the child's completed node ran once, its interrupted node twice; the parent's earlier node once.
      assert.deepEqual(calls, ['parent_pre', 'child_prep', 'child_ask', 'child_ask', 'parent_post']);
      // Shared reducer key: the child's full output is merged again (LangGraph's subgraph-output semantics).
      assert.deepEqual(done.log, ['parent_pre', 'parent_pre', 'child_prep', 'child_ask', 'parent_post:yes']);
    });
  });

  it('gives a Send to a subgraph node its argument as the child input', async () => {
    const Topic = z.object({
      topic: z.string().optional(),
      results: withReducer(z.array(z.string()), appendReducer, () => []),
    });
    const worker = new StateGraph(Topic)
      .addNode('work', (s) => ({ results: [`did ${s.topic}`] }))
      .addEdge(START, 'work')
      .compile({ name: 'topic-subgraph' });
    const Results = z.object({ results: withReducer(z.array(z.string()), appendReducer, () => []) });
    const fanOut = new StateGraph(Results)
      .addNode('each', worker)
      .addConditionalEdges(START, () => [new Send('each', { topic: 'A' }), new Send('each', { topic: 'B' })])
      .compile({ name: 'send-to-subgraph' });
    await withGraphs([fanOut], async ({ client }) => {
      const done = await client.graph(fanOut).invoke({}, { configurable: { thread_id: threadId('send-sub') } });
      assert.deepEqual(done.results, ['did A', 'did B']);
    });
  });

  it('passes invoke(null) and Command({ update }) on to a paused subgraph: its node re-runs, with the same id or a new one (R25, R29)', async () => {
    const seen: Array<string | undefined> = [];
    const Note = z.object({ note: z.string().optional(), answer: z.string().optional() });
    const inner = new StateGraph(Note)
      .addNode('ask', (s) => {
        seen.push(s.note);
        return { answer: interrupt<string>('inner?') };
      })
      .addEdge(START, 'ask')
      .compile({ name: 'inner-ask' });
    const outer = new StateGraph(Note)
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile({ name: 'outer-with-inner' });
    await withGraphs([outer], async ({ client }) => {
      const handle = client.graph(outer);
      const config = { configurable: { thread_id: threadId('sub-proceed') } };
      const first = await handle.invoke({}, config);
      const again = await handle.invoke(null, config);
      assert.deepEqual(again.__interrupt__, first.__interrupt__, 'a plain continue keeps the id');
      const edited = await handle.invoke(new Command({ update: { note: 'context' } }), config);
      assert.notEqual(edited.__interrupt__![0]!.id, first.__interrupt__![0]!.id, 'an update gives a new id');
      assert.deepEqual(seen, [undefined, undefined, 'context']);
      const done = await handle.invoke(new Command({ resume: 'ok' }), config);
      assert.equal(done.answer, 'ok');
    });
  });
});
