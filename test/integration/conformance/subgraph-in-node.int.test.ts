/**
 * A compiled graph called inside a node function (LangGraph R41, scenario h "(2)"): `await child.invoke(input)`
 * runs the child as a thread of its own; its interrupt pauses the parent with the same id; on resume the wrapper
 * node re-runs from its top while the child resumes from where it paused. The call counts are those of
 * @langchain/langgraph 1.7.3 with MemorySaver, which each test also runs on the same node functions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Annotation,
  Command as LangGraphCommand,
  END as LG_END,
  MemorySaver,
  START as LG_START,
  StateGraph as LangGraphStateGraph,
  interrupt as langGraphInterrupt,
} from '@langchain/langgraph';
import { z } from 'zod';
import { Command, END, START, StateGraph, appendReducer, interrupt, withReducer } from '../../../src/index.js';
import { ErrorCode, InterruptOutsideNodeError, isDurableGraphError } from '../../../src/errors.js';
import { threadId, withGraphs } from '../../helpers/env.js';

type Invoke = (input: { topic: string }) => Promise<{ draft?: string; verdict?: string }>;
type Interrupt = (value: unknown) => unknown;

/** The node functions, shared by both engines; `calls` records what ran, in order. */
function nodes(calls: string[], ask: Interrupt, invokeChild: () => Invoke) {
  return {
    childPrep: (s: { topic?: string }) => {
      calls.push('child_prep');
      return { draft: `draft about ${s.topic}` };
    },
    childAsk: (s: { draft?: string }) => {
      calls.push('child_ask');
      const verdict = ask({ question: 'approve?', draft: s.draft });
      calls.push('child_ask:after');
      return { verdict: String(verdict) };
    },
    parentPre: () => {
      calls.push('parent_pre');
      return { log: ['parent_pre'] };
    },
    wrapper: async (s: { topic?: string }) => {
      calls.push('wrapper:before');
      const out = await invokeChild()({ topic: s.topic! });
      calls.push('wrapper:after');
      return { result: `${out.draft} -> ${out.verdict}`, log: ['wrapper'] };
    },
    parentPost: () => {
      calls.push('parent_post');
      return { log: ['parent_post'] };
    },
  };
}

// durable-graph
const calls: string[] = [];
const ChildState = z.object({
  topic: z.string().optional(),
  draft: z.string().optional(),
  verdict: z.string().optional(),
});
const ParentState = z.object({
  topic: z.string().optional(),
  result: z.string().optional(),
  log: withReducer(z.array(z.string()), appendReducer, () => []),
});
const fns = nodes(calls, interrupt, () => (input) => child.invoke(input));
const child = new StateGraph(ChildState)
  .addNode('child_prep', fns.childPrep)
  .addNode('child_ask', fns.childAsk)
  .addEdge(START, 'child_prep')
  .addEdge('child_prep', 'child_ask')
  .addEdge('child_ask', END)
  .compile({ name: 'r41-child' });
const parent = new StateGraph(ParentState)
  .addNode('parent_pre', fns.parentPre)
  .addNode('wrapper', fns.wrapper)
  .addNode('parent_post', fns.parentPost)
  .addEdge(START, 'parent_pre')
  .addEdge('parent_pre', 'wrapper')
  .addEdge('wrapper', 'parent_post')
  .addEdge('parent_post', END)
  .compile({ name: 'r41-parent' });

/** The parent and child graphs on LangGraph.js with MemorySaver, the wrapper calling the child's invoke(). */
function langGraphParent(lgCalls: string[]) {
  const lgFns = nodes(lgCalls, langGraphInterrupt, () => (input) => lgChild.invoke(input));
  const LgChildState = Annotation.Root({
    topic: Annotation<string>,
    draft: Annotation<string>,
    verdict: Annotation<string>,
  });
  const lgChild = new LangGraphStateGraph(LgChildState)
    .addNode('child_prep', lgFns.childPrep)
    .addNode('child_ask', lgFns.childAsk)
    .addEdge(LG_START, 'child_prep')
    .addEdge('child_prep', 'child_ask')
    .addEdge('child_ask', LG_END)
    .compile();
  const LgParentState = Annotation.Root({
    topic: Annotation<string>,
    result: Annotation<string>,
    log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  });
  const lgParent = new LangGraphStateGraph(LgParentState)
    .addNode('parent_pre', lgFns.parentPre)
    .addNode('wrapper', lgFns.wrapper)
    .addNode('parent_post', lgFns.parentPost)
    .addEdge(LG_START, 'parent_pre')
    .addEdge('parent_pre', 'wrapper')
    .addEdge('wrapper', 'parent_post')
    .addEdge('parent_post', LG_END)
    .compile({ checkpointer: new MemorySaver() });
  return lgParent;
}

/** The same graph on LangGraph.js with MemorySaver: the calls after the pause and after the resume. */
async function langGraphCalls(): Promise<{ paused: string[]; done: string[]; result: unknown; log: unknown }> {
  const lgCalls: string[] = [];
  const lgParent = langGraphParent(lgCalls);
  const config = { configurable: { thread_id: 'lg' } };
  await lgParent.invoke({ topic: 'Q3' }, config);
  const paused = [...lgCalls];
  const done = await lgParent.invoke(new LangGraphCommand({ resume: 'yes' }), config);
  return { paused, done: [...lgCalls], result: done.result, log: done.log };
}

/**
 * The same graph on LangGraph.js with MemorySaver, paused at the child's interrupt, then sent `second` (invoke(null)
 * or a Command({ update })), then resumed with 'yes': the calls and interrupts after each.
 */
async function langGraphRerun(second: null | { update: Record<string, unknown> }) {
  const lgCalls: string[] = [];
  const lgParent = langGraphParent(lgCalls);
  const config = { configurable: { thread_id: 'lg-rerun' } };
  const first = (
    (await lgParent.invoke({ topic: 'Q3' }, config)) as unknown as {
      __interrupt__: Array<{ id: string; value: unknown }>;
    }
  ).__interrupt__;
  const paused = lgCalls.length;
  const again = (
    (await lgParent.invoke(second === null ? null : new LangGraphCommand(second), config)) as unknown as {
      __interrupt__: Array<{ id: string; value: unknown }>;
    }
  ).__interrupt__;
  const rerun = lgCalls.slice(paused);
  const done = await lgParent.invoke(new LangGraphCommand({ resume: 'yes' }), config);
  return { first, again, rerun, resumed: lgCalls.slice(paused + rerun.length), result: done.result, log: done.log };
}

describe('a compiled graph called inside a node (R41)', () => {
  it('pauses the parent with the child interrupt (same id), re-runs the wrapper from its top on resume while the child resumes where it paused', async () => {
    const oracle = await langGraphCalls();
    // What LangGraph.js 1.7.3 does (R41): the wrapper's code before invoke() runs twice, child_prep once.
    assert.deepEqual(oracle.done, [
      'parent_pre',
      'wrapper:before',
      'child_prep',
      'child_ask',
      'wrapper:before',
      'child_ask',
      'child_ask:after',
      'wrapper:after',
      'parent_post',
    ]);
    calls.length = 0;
    await withGraphs([parent, child], async ({ client, taskQueue }) => {
      const handle = client.graph(parent);
      const thread = threadId('r41');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ topic: 'Q3' }, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        [{ question: 'approve?', draft: 'draft about Q3' }],
      );
      assert.deepEqual(calls, oracle.paused);
      const state = await handle.getState(config);
      assert.deepEqual(state.next, ['wrapper']);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
      assert.equal(
        state.tasks[0]!.state,
        undefined,
        'R11: a graph invoked inside a node gives the task no state entry',
      );

      // The child is a thread of its own, of its own Workflow Type, on the same task queue, with a derived id.
      const childId = `${thread}/wrapper/${state.tasks[0]!.id.slice(0, 8)}/0`;
      const described = await client.temporal.workflow.getHandle(childId).describe();
      assert.equal(described.type, 'r41-child');
      assert.equal(described.taskQueue, taskQueue);
      const childState = await client.graph(child).getState({ configurable: { thread_id: childId } });
      assert.deepEqual(
        childState.tasks[0]!.interrupts.map((i) => i.id),
        paused.__interrupt__!.map((i) => i.id),
        'the same id in child and parent',
      );

      const done = await handle.invoke(new Command({ resume: 'yes' }), config);
      assert.equal(done.result, 'draft about Q3 -> yes');
      assert.equal(done.result, oracle.result);
      assert.deepEqual(done.log, oracle.log);
      assert.deepEqual(calls, oracle.done, 'the same executions as LangGraph.js');
      assert.equal((await client.temporal.workflow.getHandle(childId).describe()).status.name, 'COMPLETED');
      assert.equal(
        (await client.graph(child).getState({ configurable: { thread_id: childId } })).values.verdict,
        'yes',
      );
    });
  });

  it('takes answers by id for a child paused at two interrupts: each answer re-runs the wrapper and only the answered child node', async () => {
    const runs: string[] = [];
    const Answers = z.object({ a: z.string().optional(), b: z.string().optional() });
    const twoAsks = new StateGraph(Answers)
      .addNode('ask_a', () => {
        runs.push('ask_a');
        return { a: interrupt<string>('a?') };
      })
      .addNode('ask_b', () => {
        runs.push('ask_b');
        return { b: interrupt<string>('b?') };
      })
      .addEdge(START, 'ask_a')
      .addEdge(START, 'ask_b')
      .compile({ name: 'r41-two-asks' });
    const Joined = z.object({ joined: z.string().optional() });
    const caller = new StateGraph(Joined)
      .addNode('wrapper', async () => {
        runs.push('wrapper:before');
        const out = await twoAsks.invoke({});
        runs.push('wrapper:after');
        return { joined: `${out.a}+${out.b}` };
      })
      .addEdge(START, 'wrapper')
      .compile({ name: 'r41-two-asks-caller' });
    const count = (name: string) => runs.filter((r) => r === name).length;
    await withGraphs([caller, twoAsks], async ({ client }) => {
      const handle = client.graph(caller);
      const config = { configurable: { thread_id: threadId('r41-map') } };
      const paused = await handle.invoke({}, config);
      const byValue = new Map(paused.__interrupt__!.map((i) => [i.value, i.id]));
      assert.deepEqual([...byValue.keys()].sort(), ['a?', 'b?']);

      const half = await handle.invoke(new Command({ resume: { [byValue.get('a?')!]: 'A' } }), config);
      assert.deepEqual(
        half.__interrupt__,
        [{ id: byValue.get('b?'), value: 'b?' }],
        'the other interrupt stays pending with its id',
      );
      assert.deepEqual([count('wrapper:before'), count('ask_a'), count('ask_b'), count('wrapper:after')], [2, 2, 1, 0]);

      const done = await handle.invoke(new Command({ resume: { [byValue.get('b?')!]: 'B' } }), config);
      assert.equal(done.joined, 'A+B');
      assert.deepEqual([count('wrapper:before'), count('ask_a'), count('ask_b'), count('wrapper:after')], [3, 2, 2, 1]);
    });
  });

  it("keeps the wrapper's own interrupt() and the child's apart: each resume goes where its interrupt came from", async () => {
    const runs: string[] = [];
    const Topic = z.object({ topic: z.string().optional(), verdict: z.string().optional() });
    const asking = new StateGraph(Topic)
      .addNode('child_prep', () => {
        runs.push('child_prep');
        return {};
      })
      .addNode('child_ask', (s) => {
        runs.push('child_ask');
        return { verdict: interrupt<string>(`child ${s.topic}?`) };
      })
      .addEdge(START, 'child_prep')
      .addEdge('child_prep', 'child_ask')
      .compile({ name: 'r41-asking-child' });
    const Result = z.object({ result: z.string().optional() });
    const caller = new StateGraph(Result)
      .addNode('wrapper', async () => {
        runs.push('wrapper');
        const go = interrupt<string>('go?');
        const out = await asking.invoke({ topic: go });
        runs.push('wrapper:after');
        return { result: `${go}/${out.verdict}` };
      })
      .addEdge(START, 'wrapper')
      .compile({ name: 'r41-own-then-child' });
    await withGraphs([caller, asking], async ({ client }) => {
      const handle = client.graph(caller);
      const config = { configurable: { thread_id: threadId('r41-own') } };
      assert.deepEqual(
        (await handle.invoke({}, config)).__interrupt__!.map((i) => i.value),
        ['go?'],
      );
      assert.deepEqual(
        (await handle.invoke(new Command({ resume: 'x' }), config)).__interrupt__!.map((i) => i.value),
        ['child x?'],
      );
      const done = await handle.invoke(new Command({ resume: 'y' }), config);
      assert.equal(done.result, 'x/y');
      // As LangGraph.js 1.7.3 with MemorySaver runs the same graph.
      assert.deepEqual(runs, [
        'wrapper',
        'wrapper',
        'child_prep',
        'child_ask',
        'wrapper',
        'child_ask',
        'wrapper:after',
      ]);
    });
  });

  it('does not run a finished child again when the wrapper re-runs after its own interrupt', async () => {
    // LangGraph.js 1.7.3 gives the same counts: plain_prep once, the wrapper twice.
    const runs: string[] = [];
    const Topic = z.object({ topic: z.string().optional(), draft: z.string().optional() });
    const plain = new StateGraph(Topic)
      .addNode('plain_prep', (s) => {
        runs.push('plain_prep');
        return { draft: `draft about ${s.topic}` };
      })
      .addEdge(START, 'plain_prep')
      .compile({ name: 'r41-plain-child' });
    const Out = z.object({ result: z.string().optional() });
    const caller = new StateGraph(Out)
      .addNode('wrapper', async () => {
        runs.push('wrapper');
        const out = await plain.invoke({ topic: 'Q4' });
        const ok = interrupt<string>('send it?');
        return { result: `${out.draft}: ${ok}` };
      })
      .addEdge(START, 'wrapper')
      .compile({ name: 'r41-caller' });
    await withGraphs([caller, plain], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('r41-done') } };
      const paused = await client.graph(caller).invoke({}, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        ['send it?'],
      );
      const done = await client.graph(caller).invoke(new Command({ resume: 'sent' }), config);
      assert.equal(done.result, 'draft about Q4: sent');
      assert.deepEqual(runs, ['wrapper', 'plain_prep', 'wrapper']);
    });
  });

  it('finds the same child thread when the node is retried after the child finished (durable-graph: the child does not run twice)', async () => {
    const runs: string[] = [];
    const Topic = z.object({ topic: z.string().optional(), draft: z.string().optional() });
    const once = new StateGraph(Topic)
      .addNode('expensive', (s) => {
        runs.push('expensive');
        return { draft: `draft about ${s.topic}` };
      })
      .addEdge(START, 'expensive')
      .compile({ name: 'r41-once-child' });
    const Out = z.object({ result: z.string().optional() });
    const caller = new StateGraph(Out)
      .addNode(
        'flaky',
        async () => {
          runs.push('flaky');
          const out = await once.invoke({ topic: 'Q1' });
          if (runs.filter((r) => r === 'flaky').length === 1)
            throw new Error('transient failure after the child finished');
          return { result: out.draft };
        },
        { retryPolicy: { maxAttempts: 2, initialInterval: 100 } },
      )
      .addEdge(START, 'flaky')
      .compile({ name: 'r41-flaky-caller' });
    await withGraphs([caller, once], async ({ client }) => {
      const done = await client.graph(caller).invoke({}, { configurable: { thread_id: threadId('r41-retry') } });
      assert.equal(done.result, 'draft about Q1');
      assert.deepEqual(runs, ['flaky', 'expensive', 'flaky']);
    });
  });

  it('refuses invoke() outside a node, saying what to use instead', async () => {
    await assert.rejects(child.invoke({ topic: 'x' }), (error: unknown) => {
      assert.ok(error instanceof InterruptOutsideNodeError);
      assert.equal(error.code, ErrorCode.INTERRUPT_OUTSIDE_NODE);
      assert.match(error.message, /invoke\(\) of graph "r41-child" was called outside a node/);
      assert.match(error.message, /GraphClient/);
      return true;
    });
  });

  it('fails the node, naming thread and node, when the worker does not host the invoked graph', async () => {
    await withGraphs([parent], async ({ client }) => {
      const thread = threadId('r41-unhosted');
      await assert.rejects(
        client.graph(parent).invoke({ topic: 'Q3' }, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, ErrorCode.UNKNOWN_GRAPH);
          assert.equal(error.threadId, thread);
          assert.equal(error.node, 'wrapper');
          assert.match(error.message, /called invoke\(\) on graph "r41-child", which this Worker does not host/);
          assert.match(error.message, /createWorker\(\{ graphs: \[\.\.\., r41-child\] \}\)/);
          return true;
        },
      );
    });
  });

  it("fails the node, naming thread and node, when it passes invoke() input that is not the child's state", async () => {
    const caller = new StateGraph(z.object({ note: z.string().optional() }))
      .addNode('wrapper', async () => {
        await child.invoke({ nope: 1 } as never);
        return {};
      })
      .addEdge(START, 'wrapper')
      .compile({ name: 'r41-bad-input-caller' });
    await withGraphs([caller, child], async ({ client }) => {
      const thread = threadId('r41-bad-input');
      await assert.rejects(
        client.graph(caller).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, ErrorCode.INVALID_INPUT);
          assert.equal(error.threadId, thread);
          assert.equal(error.node, 'wrapper');
          assert.match(error.message, /"nope" is not a field of the state .*passed to invoke\(\) by node "wrapper"/);
          return true;
        },
      );
    });
  });

  it('fails the node with the child thread named when the invoked graph fails', async () => {
    const Empty = z.object({ note: z.string().optional() });
    const broken = new StateGraph(Empty)
      .addNode(
        'explode',
        () => {
          throw new Error('the child broke');
        },
        { retryPolicy: { maxAttempts: 1 } },
      )
      .addEdge(START, 'explode')
      .compile({ name: 'r41-broken-child' });
    let wrapperRuns = 0;
    const caller = new StateGraph(Empty)
      .addNode('wrapper', async () => {
        wrapperRuns++;
        await broken.invoke({});
        return { note: 'unreachable' };
      })
      .addEdge(START, 'wrapper')
      .compile({ name: 'r41-broken-caller' });
    await withGraphs([caller, broken], async ({ client }) => {
      const thread = threadId('r41-broken');
      await assert.rejects(
        client.graph(caller).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, ErrorCode.NODE_FAILED);
          assert.equal(error.threadId, thread);
          assert.equal(error.node, 'wrapper');
          assert.match(error.message, new RegExp(`child thread "${thread}/wrapper/[0-9a-f]{8}/0"`));
          assert.match(error.message, /the child broke/);
          return true;
        },
      );
      assert.equal(wrapperRuns, 1, 'a failed child is final: the node is not retried into it again');
    });
  });

  it("passes invoke(null) on to the paused child: the wrapper and the child's paused node re-run, the interrupt keeps its id (R25)", async () => {
    const oracle = await langGraphRerun(null);
    // LangGraph.js 1.7.3: the wrapper re-runs, its child resumes from its checkpoint and re-runs child_ask; same id.
    assert.deepEqual(oracle.rerun, ['wrapper:before', 'child_ask']);
    assert.equal(oracle.again[0]!.id, oracle.first[0]!.id);
    assert.deepEqual(oracle.resumed, [
      'wrapper:before',
      'child_ask',
      'child_ask:after',
      'wrapper:after',
      'parent_post',
    ]);
    calls.length = 0;
    await withGraphs([parent, child], async ({ client }) => {
      const handle = client.graph(parent);
      const thread = threadId('r41-null');
      const config = { configurable: { thread_id: thread } };
      const first = (await handle.invoke({ topic: 'Q3' }, config)).__interrupt__!;
      const paused = calls.length;
      const again = (await handle.invoke(null, config)).__interrupt__!;
      assert.deepEqual(calls.slice(paused), oracle.rerun, "the child's paused node ran again, as in LangGraph.js");
      assert.deepEqual(again, first, 'a plain continue keeps the interrupt and its id');
      assert.deepEqual(
        again.map((i) => i.value),
        oracle.again.map((i) => i.value),
      );
      const state = await handle.getState(config);
      const childId = `${thread}/wrapper/${state.tasks[0]!.id.slice(0, 8)}/0`;
      const childState = await client.graph(child).getState({ configurable: { thread_id: childId } });
      assert.deepEqual(
        childState.tasks[0]!.interrupts.map((i) => i.id),
        first.map((i) => i.id),
        'the same child thread, same id',
      );

      const before = calls.length;
      const done = await handle.invoke(new Command({ resume: 'yes' }), config);
      assert.deepEqual(calls.slice(before), oracle.resumed);
      assert.equal(done.result, oracle.result);
      assert.deepEqual(done.log, oracle.log);
    });
  });

  it('starts the child anew on Command({ update }): the wrapper passes the updated input, the child runs from its start with a new id (R29)', async () => {
    const oracle = await langGraphRerun({ update: { topic: 'Q4' } });
    // LangGraph.js 1.7.3: the update makes the wrapper a new task, so its child runs from its start with the new input.
    assert.deepEqual(oracle.rerun, ['wrapper:before', 'child_prep', 'child_ask']);
    assert.notEqual(oracle.again[0]!.id, oracle.first[0]!.id);
    assert.deepEqual(
      oracle.again.map((i) => i.value),
      [{ question: 'approve?', draft: 'draft about Q4' }],
    );
    assert.equal(oracle.result, 'draft about Q4 -> yes');
    calls.length = 0;
    await withGraphs([parent, child], async ({ client }) => {
      const handle = client.graph(parent);
      const thread = threadId('r41-update');
      const config = { configurable: { thread_id: thread } };
      const first = (await handle.invoke({ topic: 'Q3' }, config)).__interrupt__!;
      const childId = `${thread}/wrapper/${(await handle.getState(config)).tasks[0]!.id.slice(0, 8)}/0`;
      const paused = calls.length;
      const again = (await handle.invoke(new Command({ update: { topic: 'Q4' } }), config)).__interrupt__!;
      assert.deepEqual(calls.slice(paused), oracle.rerun, 'the child ran from its start, as in LangGraph.js');
      assert.deepEqual(
        again.map((i) => i.value),
        oracle.again.map((i) => i.value),
      );
      assert.notEqual(again[0]!.id, first[0]!.id, 'a new interrupt id');
      const state = await handle.getState(config);
      assert.deepEqual(state.tasks[0]!.interrupts, again);
      // The new child is a new thread; the one it supersedes (paused on an interrupt nobody can answer) is terminated.
      const newChildState = await client.graph(child).getState({ configurable: { thread_id: `${childId}.1` } });
      assert.deepEqual(
        newChildState.tasks[0]!.interrupts.map((i) => i.id),
        again.map((i) => i.id),
      );
      assert.equal((await client.temporal.workflow.getHandle(childId).describe()).status.name, 'TERMINATED');

      const before = calls.length;
      const done = await handle.invoke(new Command({ resume: 'yes' }), config);
      assert.deepEqual(calls.slice(before), oracle.resumed);
      assert.equal(done.result, oracle.result);
      assert.deepEqual(done.log, oracle.log);
      assert.equal((await client.temporal.workflow.getHandle(`${childId}.1`).describe()).status.name, 'COMPLETED');
    });
  });
});
