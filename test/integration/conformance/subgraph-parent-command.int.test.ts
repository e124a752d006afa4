/**
 * `Command({ graph: Command.PARENT, goto, update })` returned from a node of a subgraph added as a node (a Temporal
 * child workflow), against what @langchain/langgraph 1.7.3 with MemorySaver gives for the same graphs:
 * - the child run ends at that node (its later nodes do not run);
 * - the subgraph node's output in the parent is the command's update only (the child's other writes are lost);
 * - the parent runs `goto` in the next step *and* follows its own edges from the subgraph node (static and
 *   conditional, the router seeing the update); a goto that is also an edge target runs once; goto END adds nothing;
 *   `Send`s in goto fan out in the parent.
 * Deliberately different (README "Differences"): a goto to a node the parent lacks, or an update of a field it
 * lacks, fails the step with INVALID_PARENT_COMMAND (LangGraph drops them silently), and Command.PARENT from a graph that
 * is not a subgraph fails (LangGraph's invoke resolves to undefined). As invoke() input it is refused (R30).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  START,
  Send,
  StateGraph,
  appendReducer,
  isDurableGraphError,
  withReducer,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const calls: string[] = [];
const Parent = z.object({
  log: withReducer(z.array(z.string()), appendReducer, () => []),
  note: z.string().optional(),
});
const Child = Parent.extend({ childOnly: z.string().optional() });

const child = new StateGraph(Child)
  .addNode('c1', () => {
    calls.push('c1');
    return { log: ['c1'], note: 'from c1', childOnly: 'x' };
  })
  .addNode('c2', () => {
    calls.push('c2');
    return new Command({ graph: Command.PARENT, goto: 'other', update: { log: ['c2'], note: 'from c2' } });
  })
  .addNode('c3', () => {
    calls.push('c3');
    return { log: ['c3'] };
  })
  .addEdge(START, 'c1')
  .addEdge('c1', 'c2')
  .addEdge('c2', 'c3')
  .addEdge('c3', END)
  .compile({ name: 'parent-command-child' });

const parent = new StateGraph(Parent)
  .addNode('pre', () => {
    calls.push('pre');
    return { log: ['pre'] };
  })
  .addNode('sub', child, { ends: ['other'] })
  .addNode('other', (s) => {
    calls.push(`other:${s.note}`);
    return { log: ['other'] };
  })
  .addNode('post', () => {
    calls.push('post');
    return { log: ['post'] };
  })
  .addEdge(START, 'pre')
  .addEdge('pre', 'sub')
  .addEdge('sub', 'post')
  .addEdge('post', END)
  .addEdge('other', END)
  .compile({ name: 'parent-command-parent' });

/** A parent whose subgraph node `sub` runs one child node returning `command`, followed by a static edge to `x`. */
function oneShot(name: string, command: () => Command, edgeToX = true) {
  const Log = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []), note: z.string().optional() });
  const inner = new StateGraph(Log)
    .addNode('c', command)
    .addEdge(START, 'c')
    .compile({ name: `${name}-child` });
  const graph = new StateGraph(Log)
    .addNode('sub', inner, { ends: ['x'] })
    .addNode('x', (s) => ({ log: [s.note ? `x:${s.note}` : 'x'] }))
    .addEdge(START, 'sub');
  return (edgeToX ? graph.addEdge('sub', 'x') : graph).compile({ name });
}

describe('Command({ graph: Command.PARENT }) from a subgraph node', () => {
  it('ends the child run there; the parent applies the update as the subgraph node output, runs goto and its own edge', async () => {
    calls.length = 0;
    await withGraphs([parent], async ({ client }) => {
      const handle = client.graph(parent);
      const thread = threadId('parent-cmd');
      const config = { configurable: { thread_id: thread } };
      const chunks: unknown[] = [];
      for await (const chunk of handle.stream({}, { ...config, streamMode: 'updates' })) chunks.push(chunk);
      // LangGraph: updates {pre}, {sub: {log: ["c2"], note: "from c2"}}, then other and post (one step).
      assert.deepEqual(chunks.slice(0, 2), [{ pre: { log: ['pre'] } }, { sub: { log: ['c2'], note: 'from c2' } }]);
      assert.deepEqual(new Set(chunks.slice(2)), new Set([{ other: { log: ['other'] } }, { post: { log: ['post'] } }]));
      const state = await handle.getState(config);
      assert.deepEqual(
        state.values,
        { log: ['pre', 'c2', 'other', 'post'], note: 'from c2' },
        "as LangGraph: c1's writes are not the node output",
      );
      assert.deepEqual(calls, ['pre', 'c1', 'c2', 'other:from c2', 'post'], 'c3 never ran; other saw the update');
    });
  });

  it("evaluates the parent's conditional edges from the subgraph node on the updated state", async () => {
    const seen: string[] = [];
    const Log = z.object({
      log: withReducer(z.array(z.string()), appendReducer, () => []),
      note: z.string().optional(),
    });
    const inner = new StateGraph(Log)
      .addNode('c', () => new Command({ graph: Command.PARENT, goto: 'other', update: { log: ['c'], note: 'n' } }))
      .addEdge(START, 'c')
      .compile({ name: 'parent-command-routed-child' });
    const graph = new StateGraph(Log)
      .addNode('sub', inner, { ends: ['other'] })
      .addNode('other', () => ({ log: ['other'] }))
      .addNode('routed', () => ({ log: ['routed'] }))
      .addEdge(START, 'sub')
      .addConditionalEdges(
        'sub',
        (s) => {
          seen.push(`${s.note}:${s.log.join('|')}`);
          return 'routed';
        },
        ['routed'],
      )
      .compile({ name: 'parent-command-routed' });
    await withGraphs([graph], async ({ client }) => {
      const done = await client.graph(graph).invoke({}, { configurable: { thread_id: threadId('parent-cmd-routed') } });
      assert.deepEqual(done, { log: ['c', 'other', 'routed'], note: 'n' }, 'as LangGraph');
      assert.deepEqual(seen, ['n:c']);
    });
  });

  it('runs a goto that is also an edge target once, adds nothing for goto END, and fans out Sends in the parent', async () => {
    const same = oneShot(
      'parent-command-same',
      () => new Command({ graph: Command.PARENT, goto: 'x', update: { log: ['c'] } }),
    );
    const toEnd = oneShot(
      'parent-command-end',
      () => new Command({ graph: Command.PARENT, goto: END, update: { log: ['c8'] } }),
    );
    const sends = oneShot(
      'parent-command-sends',
      () => new Command({ graph: Command.PARENT, goto: [new Send('x', { note: 'A' }), new Send('x', { note: 'B' })] }),
      false,
    );
    await withGraphs([same, toEnd, sends], async ({ client }) => {
      const run = (g: typeof same) =>
        client.graph(g).invoke({}, { configurable: { thread_id: threadId('parent-cmd-small') } });
      assert.deepEqual((await run(same)).log, ['c', 'x'], 'LangGraph: ["c", "post"]: the node runs once');
      assert.deepEqual((await run(toEnd)).log, ['c8', 'x'], 'LangGraph: ["c8", "x"]');
      assert.deepEqual((await run(sends)).log, ['x:A', 'x:B'], 'LangGraph: ["x:A", "x:B"]');
    });
  });

  it('fails the step with INVALID_PARENT_COMMAND naming thread and nodes when goto names a node the parent lacks', async () => {
    const missing = oneShot(
      'parent-command-missing',
      () => new Command({ graph: Command.PARENT, goto: 'nowhere', update: { log: ['c'] } }),
    );
    await withGraphs([missing], async ({ client }) => {
      const thread = threadId('parent-cmd-missing');
      await assert.rejects(
        client.graph(missing).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, 'INVALID_PARENT_COMMAND');
          assert.equal(error.threadId, thread);
          assert.equal(error.node, 'sub');
          assert.match(
            error.message,
            new RegExp(
              `Node "c" of subgraph "parent-command-missing-child" \\(node "sub" of thread "${thread}"\\) returned Command\\(\\{ graph: Command.PARENT \\}\\) with goto "nowhere", but parent graph "parent-command-missing" has no such node`,
            ),
          );
          assert.match(error.message, /Fix the goto, or add the node to the parent graph/);
          return true;
        },
      );
    });
  });

  it('fails the step when the update writes a field the parent state lacks (LangGraph drops it silently)', async () => {
    const Small = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });
    const Wide = Small.extend({ childOnly: z.string().optional() });
    const inner = new StateGraph(Wide)
      .addNode('c', () => new Command({ graph: Command.PARENT, goto: 'x', update: { childOnly: 'z' } }))
      .addEdge(START, 'c')
      .compile({ name: 'parent-command-field-child' });
    const graph = new StateGraph(Small)
      .addNode('sub', inner, { ends: ['x'] })
      .addNode('x', () => ({ log: ['x'] }))
      .addEdge(START, 'sub')
      .compile({ name: 'parent-command-field' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: threadId('parent-cmd-field') } }),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error));
          assert.equal(error.code, 'INVALID_PARENT_COMMAND');
          assert.match(
            error.message,
            /update of field\(s\) "childOnly", which parent graph "parent-command-field" does not have/,
          );
          return true;
        },
      );
    });
  });

  it('fails the run when the graph is not running as a subgraph: there is no parent graph', async () => {
    const Log = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });
    const root = new StateGraph(Log)
      .addNode('a', () => new Command({ graph: Command.PARENT, goto: 'b' }), { ends: ['b'] })
      .addNode('b', () => ({ log: ['b'] }))
      .addEdge(START, 'a')
      .compile({ name: 'parent-command-root' });
    await withGraphs([root], async ({ client }) => {
      const thread = threadId('parent-cmd-root');
      await assert.rejects(client.graph(root).invoke({}, { configurable: { thread_id: thread } }), (error: unknown) => {
        assert.ok(isDurableGraphError(error));
        assert.equal(error.code, 'NO_PARENT_GRAPH');
        assert.equal(error.node, 'a');
        assert.match(error.message, /there is no parent graph/);
        return true;
      });
      // As invoke() input it stays refused, before anything is sent (R30).
      await assert.rejects(
        client
          .graph(root)
          .invoke(new Command({ graph: Command.PARENT, goto: 'b' }), { configurable: { thread_id: thread } }),
        /there is no parent graph\. Pass new Command/,
      );
    });
  });

  it("shows the node that returned Command.PARENT in the child thread's getStateHistory, as LangGraph's child checkpoints", async () => {
    calls.length = 0;
    await withGraphs([parent], async ({ client }) => {
      const thread = threadId('parent-cmd-history');
      const config = { configurable: { thread_id: thread } };
      await client.graph(parent).invoke({}, config);
      // The child thread (Workflow Id `<thread>/sub/<task id prefix>`), found through visibility.
      let childId: string | undefined;
      for (let i = 0; i < 100 && !childId; i++) {
        for await (const execution of client.temporal.workflow.list({ query: `ParentWorkflowId="${thread}"` }))
          childId = execution.workflowId;
        if (!childId) await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(childId ?? '', new RegExp(`^${thread}/sub/[0-9a-f]{8}$`));

      // LangGraph 1.7.3 (MemorySaver, checkpoint_ns "sub:<task id>"): step 1 next ["c2"], values c1's writes, task c2 with
      // error { name: "ParentCommand", message: "" } and no result; step 0 next ["c1"], its result; step -1 the input.
      const childConfig = { configurable: { thread_id: childId! } };
      const childHistory = [];
      for await (const snapshot of client.graph('parent-command-child').getStateHistory(childConfig))
        childHistory.push(snapshot);
      const c2 = childHistory.find((s) => s.next.includes('c2'));
      assert.ok(c2, `a snapshot whose next is c2: ${JSON.stringify(childHistory.map((s) => s.next))}`);
      assert.deepEqual(c2.values, { log: ['pre', 'c1'], note: 'from c1', childOnly: 'x' });
      assert.deepEqual(
        c2.tasks.map(({ name, interrupts, result, error }) => ({ name, interrupts, result, error })),
        [{ name: 'c2', interrupts: [], result: undefined, error: { name: 'ParentCommand', message: '' } }],
      );
      const c1 = childHistory.find((s) => s.next.includes('c1'))!;
      assert.deepEqual(
        c1.tasks.map((t) => t.result),
        [{ log: ['c1'], note: 'from c1', childOnly: 'x' }],
      );
      assert.deepEqual(
        childHistory.map((s) => s.next),
        [['c2'], ['c1'], ['__start__']],
        'no later snapshot: c3 never ran, as in LangGraph',
      );
    });
  });
});
