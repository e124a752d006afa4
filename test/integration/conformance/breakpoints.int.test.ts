/**
 * Static breakpoints (LangGraph R5, R23): compile({ interruptBefore, interruptAfter }).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { temporalCli } from '../../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const State = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });

function build(options: { interruptBefore?: string[]; interruptAfter?: string[] }, name: string) {
  return new StateGraph(State)
    .addNode('draft', () => ({ log: ['draft'] }))
    .addNode('send', () => ({ log: ['send'] }))
    .addEdge(START, 'draft')
    .addEdge('draft', 'send')
    .addEdge('send', END)
    .compile({ name, ...options });
}

describe('static breakpoints', () => {
  it('pauses before a node with __interrupt__: [] and next naming it, then continues on invoke(null) (R5)', async () => {
    const graph = build({ interruptBefore: ['send'] }, 'before-send');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('before') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(paused.__interrupt__, []);
      assert.deepEqual(paused.log, ['draft']);
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['send']);
      assert.deepEqual(
        state.tasks.map((t) => t.interrupts),
        [[]],
      );
      assert.equal(state.status, 'interrupted');
      const done = await handle.invoke(null, config);
      assert.deepEqual(done.log, ['draft', 'send']);
      assert.equal('__interrupt__' in done, false);
    });
  });

  it('pauses after a node, and continues with the plain temporal CLI signal {}', async () => {
    const graph = build({ interruptAfter: ['draft'] }, 'after-draft');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('after');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(paused.__interrupt__, []);
      assert.deepEqual((await handle.getState(config)).next, ['send']);
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{}',
      ]);
      assert.equal(signal.code, 0, signal.stderr);
      const result = await client.temporal.workflow.getHandle(thread).result();
      assert.deepEqual(result.values.log, ['draft', 'send']);
    });
  });

  it('hands a resume sent at a breakpoint to the first interrupt() of that node, which then does not pause (R23)', async () => {
    let asked = 0;
    const graph = new StateGraph(State)
      .addNode('ask', () => {
        asked++;
        return { log: [`ask:${interrupt<string>('q')}`] };
      })
      .addEdge(START, 'ask')
      .compile({ name: 'before-ask', interruptBefore: ['ask'] });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r23') } };
      await handle.invoke({}, config);
      assert.equal(asked, 0, 'the node has not run at the breakpoint');
      const done = await handle.invoke(new Command({ resume: 'early' }), config);
      assert.deepEqual(done.log, ['ask:early']);
      assert.equal(asked, 1);
    });
  });

  it('pauses after the last node too, with nothing next, and completes on invoke(null)', async () => {
    const graph = build({ interruptAfter: ['send'] }, 'after-last');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('after-last') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(paused.__interrupt__, []);
      assert.deepEqual((await handle.getState(config)).next, []);
      const done = await handle.invoke(null, config);
      assert.deepEqual(done.log, ['draft', 'send']);
      assert.equal('__interrupt__' in done, false);
    });
  });

  it("paused after a node, lists the next step's tasks with interrupts: [] and the ids they run with; updateState keeps them (R5, R31)", async () => {
    const ranWith: Record<string, string> = {};
    const graph = new StateGraph(State)
      .addNode('draft', () => ({ log: ['draft'] }))
      .addNode('send', (_s, config) => ((ranWith.send = config.metadata.task_id), { log: ['send'] }))
      .addNode('other', (_s, config) => ((ranWith.other = config.metadata.task_id), {}))
      .addEdge(START, 'draft')
      .addEdge('draft', 'send')
      .addEdge('draft', 'other')
      .addEdge('send', END)
      .compile({ name: 'after-draft-tasks', interruptAfter: ['draft'] });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('after-tasks') } };
      await handle.invoke({}, config);
      const paused = await handle.getState(config);
      assert.deepEqual(paused.next, ['send', 'other']);
      assert.deepEqual(
        paused.tasks.map((t) => ({ name: t.name, interrupts: t.interrupts })),
        [
          { name: 'send', interrupts: [] },
          { name: 'other', interrupts: [] },
        ],
      );
      assert.equal(paused.metadata?.source, 'loop');
      await handle.updateState(config, { log: ['edit'] });
      const edited = await handle.getState(config);
      assert.equal(edited.metadata?.source, 'update');
      assert.deepEqual(edited.tasks, paused.tasks, 'an edit keeps the pending tasks and their ids');
      const done = await handle.invoke(null, config);
      assert.deepEqual([...done.log].sort(), ['draft', 'edit', 'send']);
      assert.deepEqual(
        ranWith,
        Object.fromEntries(paused.tasks.map((t) => [t.name, t.id])),
        'each task ran with the id getState showed',
      );
    });
  });

  it('refuses a breakpoint on an unknown node at compile time', () => {
    assert.throws(
      () => build({ interruptBefore: ['nope'] }, 'bad-breakpoint'),
      /compile\(\{ interruptBefore \}\) names unknown node "nope"/,
    );
  });
});
