/**
 * NodeInterrupt, LangGraph's legacy dynamic breakpoint (R6, scenario p). Observed on @langchain/langgraph 1.7.3
 * with MemorySaver for the same graph: the pause is `{ value: "x too big: 10" }` with no id in `__interrupt__`,
 * in getState `tasks[].interrupts` (next: ["check"]) and in the last "updates"/"values" stream chunks;
 * `Command({ resume })` and `invoke(null)` re-run the node, which throws again; `updateState({ x: 1 })` then
 * `invoke(null)` ends with `{ x: 1, log: ["a", "check", "b"] }`; `Command({ update: { x: 2 } })` ends with
 * `{ x: 2, log: ["a", "check", "b"] }`. Ours differs on purpose only in refusing a resume value (README "Differences").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeInterrupt as LangGraphNodeInterrupt } from '@langchain/langgraph';
import { z } from 'zod';
import {
  Command,
  END,
  NodeInterrupt,
  START,
  StateGraph,
  appendReducer,
  interrupt,
  isDurableGraphError,
  isGraphInterrupt,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const calls: string[] = [];
const State = z.object({ x: z.number(), log: withReducer(z.array(z.string()), appendReducer, () => []) });

const guarded = new StateGraph(State)
  .addNode('a', () => {
    calls.push('a');
    return { log: ['a'] };
  })
  .addNode('check', (s) => {
    calls.push('check');
    try {
      if (s.x > 5) throw new NodeInterrupt(`x too big: ${s.x}`);
    } catch (error) {
      if (isGraphInterrupt(error)) throw error; // LangGraph's idiom: a NodeInterrupt is a graph interrupt
      throw error;
    }
    return { log: ['check'] };
  })
  .addNode('b', () => {
    calls.push('b');
    return { log: ['b'] };
  })
  .addEdge(START, 'a')
  .addEdge('a', 'check')
  .addEdge('check', 'b')
  .addEdge('b', END)
  .compile({ name: 'node-interrupt-guarded' });

const count = (node: string) => calls.filter((c) => c === node).length;

describe('NodeInterrupt (R6)', () => {
  it('pauses with { value } and no id in __interrupt__, getState, the memo, search attributes and the Web UI details', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const thread = threadId('ni');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ x: 10 }, config);
      assert.deepEqual(paused, { x: 10, log: ['a'], __interrupt__: [{ value: 'x too big: 10' }] });
      assert.deepEqual(Object.keys(paused.__interrupt__![0]!), ['value'], 'no id key, as LangGraph');

      const state = await handle.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.next, ['check']);
      assert.deepEqual(
        state.tasks.map((t) => ({ name: t.name, interrupts: t.interrupts })),
        [{ name: 'check', interrupts: [{ value: 'x too big: 10' }] }],
      );
      assert.deepEqual(state.metadata?.step, 1);

      const temporal = client.temporal.workflow.getHandle(thread);
      const described = await temporal.describe();
      const memo = described.memo?.durableGraph as {
        status: string;
        interrupts: unknown[];
        nodeInterrupts?: unknown[];
        resumeCommand: string;
      };
      assert.equal(memo.status, 'interrupted');
      assert.deepEqual(memo.interrupts, [], 'nothing that takes a resume value');
      assert.deepEqual(memo.nodeInterrupts, [{ node: 'check', value: 'x too big: 10' }]);
      assert.match(memo.resumeCommand, /--input '\{\}'$/, 'the command that continues is {}');
      assert.deepEqual(described.searchAttributes.DurableGraphStatus, ['interrupted']);
      assert.deepEqual(described.searchAttributes.DurableGraphPendingNodes, ['check']);
      const metadata = await temporal.query<{ currentDetails: string }>('__temporal_workflow_metadata');
      assert.match(metadata.currentDetails, /Paused at `check` by NodeInterrupt/);
      assert.match(metadata.currentDetails, /x too big: 10/);
      assert.doesNotMatch(metadata.currentDetails, /"resume"/, 'no resume value is suggested');

      // getStateHistory: the paused superstep's snapshot holds the NodeInterrupt, as LangGraph's history does.
      const history = [];
      for await (const snapshot of handle.getStateHistory(config)) history.push(snapshot);
      const pausedSnapshot = history.find((h) => h.metadata?.step === 1)!;
      assert.deepEqual(pausedSnapshot.next, ['check']);
      assert.deepEqual(
        pausedSnapshot.tasks.map((t) => t.interrupts),
        [[{ value: 'x too big: 10' }]],
      );
    });
  });

  it('runs the node again on invoke(null) (it throws again), and refuses a resume value or map without running anything', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const config = { configurable: { thread_id: threadId('ni-rerun') } };
      await handle.invoke({ x: 10 }, config);
      const again = await handle.invoke(null, config);
      assert.deepEqual(again, { x: 10, log: ['a'], __interrupt__: [{ value: 'x too big: 10' }] });
      assert.equal(count('check'), 2, 'invoke(null) re-ran the node');

      // LangGraph re-runs the node and ignores the value; we refuse it, so no input is silently dropped.
      for (const resume of ['ok', { '0123456789abcdef0123456789abcdef': 'x' }]) {
        await assert.rejects(handle.invoke(new Command({ resume }), config), (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, 'INVALID_RESUME');
          assert.match(
            error.message,
            /paused by NodeInterrupt in node "check" \("x too big: 10"\), which takes no resume value; nothing was applied/,
          );
          assert.match(error.message, /invoke\(null\)/);
          return true;
        });
      }
      await assert.rejects(
        handle.invoke(new Command({ resume: 'ok', update: { x: 1 } }), config),
        /takes no resume value/,
      );
      assert.equal(count('check'), 2, 'a refused resume runs nothing');
      assert.deepEqual((await handle.getState(config)).values, { x: 10, log: ['a'] }, 'and writes nothing');

      // A resume Signal (always recorded by Temporal) is listed as rejected, never applied later.
      await client.temporal.workflow.getHandle(config.configurable.thread_id).signal('resume', { resume: true });
      let state = await handle.getState(config);
      for (let i = 0; i < 50 && state.rejectedResumes.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await handle.getState(config);
      }
      assert.equal(state.rejectedResumes.length, 1);
      assert.match(state.rejectedResumes[0]!.reason, /NodeInterrupt/);
      assert.equal(state.status, 'interrupted');
      assert.equal(count('check'), 2);
    });
  });

  it('continues once updateState changes the condition and invoke(null) re-runs the node', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const config = { configurable: { thread_id: threadId('ni-update') } };
      await handle.invoke({ x: 10 }, config);
      await handle.updateState(config, { x: 1 });
      const done = await handle.invoke(null, config);
      assert.deepEqual(done, { x: 1, log: ['a', 'check', 'b'] }, 'as LangGraph');
      assert.deepEqual(calls, ['a', 'check', 'check', 'b']);
    });
  });

  it('continues on Command({ update }) without resume: the update applies, then the node re-runs (R27, R29)', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const config = { configurable: { thread_id: threadId('ni-command') } };
      await handle.invoke({ x: 10 }, config);
      const done = await handle.invoke(new Command({ update: { x: 2 } }), config);
      assert.deepEqual(done, { x: 2, log: ['a', 'check', 'b'] }, 'as LangGraph');
    });
  });

  it('skips the node with updateState(..., asNode) (R32)', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const config = { configurable: { thread_id: threadId('ni-asnode') } };
      await handle.invoke({ x: 10 }, config);
      await handle.updateState(config, { log: ['by hand'] }, 'check');
      const done = await handle.invoke(null, config);
      assert.deepEqual(done, { x: 10, log: ['a', 'by hand', 'b'] });
      assert.equal(count('check'), 1, 'the node did not run again');
    });
  });

  it('ends "updates" and "values" streams with { __interrupt__: [{ value }] }, as LangGraph 1.7.3 (R49)', async () => {
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const config = { configurable: { thread_id: threadId('ni-stream') } };
      const chunks: unknown[] = [];
      for await (const chunk of handle.stream({ x: 10 }, { ...config, streamMode: ['updates', 'values'] }))
        chunks.push(chunk);
      assert.deepEqual(chunks.slice(-4), [
        ['updates', { a: { log: ['a'] } }],
        ['values', { x: 10, log: ['a'] }],
        ['updates', { __interrupt__: [{ value: 'x too big: 10' }] }],
        ['values', { __interrupt__: [{ value: 'x too big: 10' }] }],
      ]);
      const resumed: unknown[] = [];
      for await (const chunk of handle.stream(null, { ...config, streamMode: ['updates', 'values'] }))
        resumed.push(chunk);
      assert.deepEqual(resumed, [
        ['values', { x: 10, log: ['a'] }],
        ['updates', { __interrupt__: [{ value: 'x too big: 10' }] }],
        ['values', { __interrupt__: [{ value: 'x too big: 10' }] }],
      ]);
    });
  });

  it('lists a NodeInterrupt beside a parallel interrupt() in task order; a plain resume answers the one that takes a value', async () => {
    let flip = true;
    const Both = z.object({
      got: z.string().optional(),
      log: withReducer(z.array(z.string()), appendReducer, () => []),
    });
    const parallel = new StateGraph(Both)
      .addNode('check', () => {
        if (flip) throw new NodeInterrupt({ reason: 'obj' });
        return { log: ['check'] };
      })
      .addNode('other', () => ({ log: [`other:${interrupt<string>('other?')}`] }))
      .addEdge(START, 'check')
      .addEdge(START, 'other')
      .compile({ name: 'node-interrupt-parallel' });
    await withGraphs([parallel], async ({ client }) => {
      const handle = client.graph(parallel);
      const config = { configurable: { thread_id: threadId('ni-parallel') } };
      const paused = await handle.invoke({}, config);
      const [held, asked] = paused.__interrupt__!;
      assert.deepEqual(
        held,
        { value: { reason: 'obj' } },
        'LangGraph: [{ value: { reason: "obj" } }, { id, value: "other?" }]',
      );
      assert.equal(asked!.value, 'other?');
      assert.match(asked!.id, /^[0-9a-f]{32}$/);
      const afterAnswer = await handle.invoke(new Command({ resume: 'A' }), config);
      assert.deepEqual(
        afterAnswer.__interrupt__,
        [{ value: { reason: 'obj' } }],
        'the NodeInterrupt still holds its node',
      );
      assert.deepEqual(afterAnswer.log, ['other:A']);
      flip = false;
      const done = await handle.invoke(null, config);
      // Both writes belong to one superstep and apply in LangGraph's task-path order (node names), as in LangGraph.
      assert.deepEqual(done, { log: ['check', 'other:A'] });
    });
  });

  it("pauses on LangGraph's own NodeInterrupt too, so a ported node keeps its import", async () => {
    const Ported = z.object({ x: z.number() });
    const ported = new StateGraph(Ported)
      .addNode('check', (s) => {
        if (s.x > 5) throw new LangGraphNodeInterrupt('too big');
        return { x: s.x };
      })
      .addEdge(START, 'check')
      .compile({ name: 'node-interrupt-ported' });
    await withGraphs([ported], async ({ client }) => {
      const handle = client.graph(ported);
      const config = { configurable: { thread_id: threadId('ni-ported') } };
      const paused = await handle.invoke({ x: 9 }, config);
      assert.deepEqual(paused.__interrupt__, [{ value: 'too big' }]);
    });
  });

  it('pauses the parent when a subgraph node throws NodeInterrupt; invoke(null) and Command({ update }) re-run it in the child', async () => {
    const inner = new StateGraph(State)
      .addNode('inner_check', (s) => {
        if (s.x > 5) throw new NodeInterrupt(`inner x ${s.x}`);
        return { log: ['inner_check'] };
      })
      .addEdge(START, 'inner_check')
      .compile({ name: 'node-interrupt-inner' });
    const outer = new StateGraph(State)
      .addNode('sub', inner)
      .addEdge(START, 'sub')
      .compile({ name: 'node-interrupt-outer' });
    await withGraphs([outer], async ({ client }) => {
      const handle = client.graph(outer);
      const config = { configurable: { thread_id: threadId('ni-sub') } };
      const paused = await handle.invoke({ x: 7 }, config);
      assert.deepEqual(paused.__interrupt__, [{ value: 'inner x 7' }]);
      assert.deepEqual(
        (await handle.getState(config)).tasks.map((t) => t.interrupts),
        [[{ value: 'inner x 7' }]],
      );
      await assert.rejects(handle.invoke(new Command({ resume: 1 }), config), /takes no resume value/);
      const again = await handle.invoke(null, config);
      assert.deepEqual(again.__interrupt__, [{ value: 'inner x 7' }], 'the child re-ran its node, which threw again');
      const done = await handle.invoke(new Command({ update: { x: 1 } }), config);
      assert.deepEqual(done.log, ['inner_check']);
      assert.equal(done.__interrupt__, undefined);
    });
  });

  it('names the NodeInterrupt, not a breakpoint, in the termination reason when new input abandons it (R24)', async () => {
    calls.length = 0;
    await withGraphs([guarded], async ({ client }) => {
      const handle = client.graph(guarded);
      const thread = threadId('ni-abandon');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({ x: 10 }, config);
      const pausedRun = (await client.temporal.workflow.getHandle(thread).describe()).runId;
      const again = await handle.invoke({ x: 1 }, { ...config, abandonPendingInterrupts: true });
      assert.equal(again.x, 1);
      const events = (await client.temporal.workflow.getHandle(thread, pausedRun).fetchHistory()).events!;
      const reason = events.at(-1)!.workflowExecutionTerminatedEventAttributes!.reason!;
      assert.equal(
        reason,
        'durable-graph: new input abandoned the pending interrupt(s) NodeInterrupt in node "check" (abandonPendingInterrupts)',
      );
    });
  });
});
