/**
 * Client review fixes, each checked against @langchain/langgraph 1.7.3 (MemorySaver) where LangGraph has the behaviour:
 * extra `configurable` keys reach nodes and routers (LangGraph passes the call's config; observed: a node and a router
 * read `config.configurable.user_id`, a run started by `Command({ goto })` or `invoke(null)` sees that call's keys),
 * `invoke(input, { streamMode })` resolves to the stream's chunks (R49: LangGraph's invoke() is its stream(),
 * collected), ThreadBusyError / NoPendingInterruptError say how to continue, and getState revives chat messages in
 * interrupt payloads as invoke() does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage } from '@langchain/core/messages';
import { MemorySaver, StateGraph as LgStateGraph } from '@langchain/langgraph';
import { registry as lgRegistry } from '@langchain/langgraph/zod';
import { z } from 'zod';
import {
  Command,
  END,
  InvalidInputError,
  NoPendingInterruptError,
  NodeInterrupt,
  START,
  StateGraph,
  ThreadBusyError,
  appendReducer,
  interrupt,
  isDurableGraphError,
  withReducer,
} from '../../../src/index.js';
import type { NodeConfig } from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

const log = () => withReducer(z.array(z.string()), appendReducer, () => []);
const State = z.object({ x: z.number().optional(), log: log() });

/** What a node or router saw in `config.configurable`, besides thread_id. */
const seen = (config: NodeConfig) => `${config.configurable.user_id}/${config.configurable.model}`;

const routed: string[] = [];
const configGraph = new StateGraph(State)
  .addNode('a', (_s, config) => ({ log: [`a:${seen(config)}`] }))
  .addNode('b', (_s, config) => {
    const answer = interrupt<string>('ok?');
    return { log: [`b:${seen(config)}:${answer}`] };
  })
  .addEdge(START, 'a')
  .addConditionalEdges('a', (_s, config) => {
    routed.push(`router:${seen(config)}`);
    return 'b';
  })
  .addEdge('b', END)
  .compile({ name: 'review-configurable' });

const plainGraph = new StateGraph(State)
  .addNode('a', (_s, config) => ({ log: [`a:${Object.keys(config.configurable).join(',')}`] }))
  .addEdge(START, 'a')
  .addEdge('a', END)
  .compile({ name: 'review-plain' });

let failOnce = true;
const flakyBuilder = new StateGraph(State)
  .addNode('a', (_s, config) => ({ log: [`a:${seen(config)}`] }))
  .addNode(
    'boom',
    (_s, config) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('boom');
      }
      return { log: [`boom:${seen(config)}`] };
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addEdge(START, 'a')
  .addEdge('a', 'boom')
  .addEdge('boom', END);
const flakyGraph = flakyBuilder.compile({ name: 'review-flaky' });
/** The same graph with the run ending at a failed node (LangGraph's behaviour) instead of parking. */
const flakyEndingGraph = flakyBuilder.compile({ name: 'review-flaky-ending', onNodeFailure: 'fail' });

const twoStepGraph = new StateGraph(State)
  .addNode('a', () => ({ log: ['a'] }))
  .addNode('b', () => ({ log: ['b'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'b')
  .addEdge('b', END)
  .compile({ name: 'review-two-step' });

const askGraph = new StateGraph(State)
  .addNode('ask', () => ({ log: [`ask:${interrupt<string>('q')}`] }))
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'review-ask' });

const parallelGraph = new StateGraph(State)
  .addNode('left', () => ({ log: [`left:${interrupt<string>('left?')}`] }))
  .addNode('right', () => ({ log: [`right:${interrupt<string>('right?')}`] }))
  .addEdge(START, 'left')
  .addEdge(START, 'right')
  .addEdge('left', END)
  .addEdge('right', END)
  .compile({ name: 'review-parallel' });

const guardedGraph = new StateGraph(State)
  .addNode('check', (s) => {
    if ((s.x ?? 0) > 5) throw new NodeInterrupt(`x too big: ${s.x}`);
    return { log: ['check'] };
  })
  .addEdge(START, 'check')
  .addEdge('check', END)
  .compile({ name: 'review-guarded' });

const breakpointGraph = new StateGraph(State)
  .addNode('a', () => ({ log: ['a'] }))
  .addNode('send', () => ({ log: ['send'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'send')
  .addEdge('send', END)
  .compile({ name: 'review-breakpoint', interruptBefore: ['send'] });

const messageGraph = new StateGraph(State)
  .addNode('review', () => {
    const answer = interrupt<string>({
      m: new AIMessage({
        content: 'draft',
        id: 'msg-1',
        tool_calls: [{ id: 'call-1', name: 'send_email', args: { to: 'a@b.c' } }],
      }),
    });
    return { log: [answer] };
  })
  .addEdge(START, 'review')
  .addEdge('review', END)
  .compile({ name: 'review-message-interrupt' });

/** The same two-step graph on LangGraph.js, to compare invoke()'s streamMode results with. */
function langGraphTwoStep(): { invoke(input: unknown, config: Record<string, unknown>): Promise<unknown> } {
  const LgState = z.object({
    log: z
      .array(z.string())
      .register(lgRegistry, { reducer: { fn: (a: string[], b: string[]) => a.concat(b) }, default: () => [] }),
  });
  return new (LgStateGraph as any)(LgState)
    .addNode('a', () => ({ log: ['a'] }))
    .addNode('b', () => ({ log: ['b'] }))
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('b', END)
    .compile({ checkpointer: new MemorySaver() });
}

/** The decoded (JSON) payloads of a thread's history events of one kind. */
async function eventInputs(
  client: { temporal: any },
  thread: string,
  attributes: 'workflowExecutionStartedEventAttributes' | 'activityTaskScheduledEventAttributes',
): Promise<any[]> {
  const history = await client.temporal.workflow.getHandle(thread).fetchHistory();
  return history.events
    .filter((e: any) => e[attributes])
    .map((e: any) => JSON.parse(Buffer.from(e[attributes].input.payloads[0].data).toString()));
}

describe('extra configurable keys (client review 1)', () => {
  it('gives nodes and routers the extra configurable keys of the call, and records them in the run input', async () => {
    routed.length = 0;
    await withGraphs([configGraph], async ({ client }) => {
      const app = client.graph(configGraph);
      const thread = threadId('cfg');
      const paused = await app.invoke({}, { configurable: { thread_id: thread, user_id: 'u1', model: 'gpt' } });
      assert.deepEqual(paused.log, ['a:u1/gpt']);
      assert.deepEqual(routed, ['router:u1/gpt'], 'the conditional edge after "a" reads them too');

      const [run] = await eventInputs(client, thread, 'workflowExecutionStartedEventAttributes');
      assert.deepEqual(run.configurable, { user_id: 'u1', model: 'gpt' }, 'recorded with the run, thread_id left out');
      const tasks = await eventInputs(client, thread, 'activityTaskScheduledEventAttributes');
      assert.ok(tasks.length >= 2);
      for (const task of tasks) assert.deepEqual(task.configurable, { user_id: 'u1', model: 'gpt' });

      // As in LangGraph, the resuming call's keys are the ones the nodes that run from then on see.
      const done = await app.invoke(new Command({ resume: 'yes' }), {
        configurable: { thread_id: thread, user_id: 'u2', model: 'gpt' },
      });
      assert.deepEqual(done.log, ['a:u1/gpt', 'b:u2/gpt:yes']);
    });
  });

  it("keeps the run's keys for a resume that gives none (an ops tool, the temporal CLI) — LangGraph would drop them", async () => {
    routed.length = 0;
    await withGraphs([configGraph], async ({ client }) => {
      const app = client.graph(configGraph);
      const thread = threadId('cfg-keep');
      await app.invoke({}, { configurable: { thread_id: thread, user_id: 'u1', model: 'gpt' } });
      const done = await app.invoke(new Command({ resume: 'ok' }), { configurable: { thread_id: thread } });
      assert.deepEqual(done.log, ['a:u1/gpt', 'b:u1/gpt:ok']);
    });
  });

  it('keeps the Activity input of a graph run without extra keys as it was (no configurable field)', async () => {
    await withGraphs([plainGraph], async ({ client }) => {
      const thread = threadId('plain');
      const done = await client.graph(plainGraph).invoke({}, { configurable: { thread_id: thread } });
      assert.deepEqual(done.log, ['a:thread_id']);
      const [run] = await eventInputs(client, thread, 'workflowExecutionStartedEventAttributes');
      assert.equal('configurable' in run, false);
      const [task] = await eventInputs(client, thread, 'activityTaskScheduledEventAttributes');
      assert.equal('configurable' in task, false);
    });
  });

  it('gives a run started by Command({ goto }) on a finished thread the keys of that call', async () => {
    routed.length = 0;
    await withGraphs([plainGraph], async ({ client }) => {
      const app = client.graph(plainGraph);
      const thread = threadId('goto');
      await app.invoke({}, { configurable: { thread_id: thread, user_id: 'u1' } });
      const again = await app.invoke(new Command({ goto: 'a' }), {
        configurable: { thread_id: thread, user_id: 'u2', model: 'm' },
      });
      assert.deepEqual(again.log, ['a:thread_id,user_id', 'a:thread_id,user_id,model']);
    });
  });

  it('gives the re-run of a failed step (invoke(null)) the keys of the invoke(null) call', async () => {
    failOnce = true;
    await withGraphs([flakyGraph], async ({ client }) => {
      const app = client.graph(flakyGraph);
      const thread = threadId('flaky');
      await assert.rejects(
        app.invoke({}, { configurable: { thread_id: thread, user_id: 'u1', model: 'a' } }),
        (error: unknown) => isDurableGraphError(error) && error.code === 'NODE_FAILED',
      );
      const done = await app.invoke(null, { configurable: { thread_id: thread, user_id: 'u3', model: 'b' } });
      assert.deepEqual(done.log, ['a:u1/a', 'boom:u3/b']);
    });
  });

  it('refuses a configurable value that is not plain JSON, naming the key, before anything starts', async () => {
    await withGraphs([plainGraph], async ({ client }) => {
      const app = client.graph(plainGraph);
      const thread = threadId('nonjson');
      await assert.rejects(
        app.invoke({}, { configurable: { thread_id: thread, user_id: 'u1', db: new Map() } }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError);
          assert.match(
            error.message,
            /config\.configurable\.db for thread ".*" would not survive serialization unchanged: configurable\.db: a Map instance/,
          );
          assert.match(error.message, /Nothing was started\./);
          return true;
        },
      );
      await assert.rejects(
        app.invoke({}, { configurable: { thread_id: thread, callback: () => 1 } }),
        /config\.configurable\.callback .*a function/,
      );
      await assert.rejects(client.temporal.workflow.getHandle(thread).describe(), /not found/i);
    });
  });
});

describe('invoke() with streamMode (client review 2, R49)', () => {
  it('resolves to the chunks stream() yields, as LangGraph.js does', async () => {
    const lg = langGraphTwoStep();
    const expectedUpdates = await lg.invoke({}, { configurable: { thread_id: 'u' }, streamMode: 'updates' });
    const expectedTuples = await lg.invoke({}, { configurable: { thread_id: 't' }, streamMode: ['updates', 'values'] });
    const expectedValues = await lg.invoke({}, { configurable: { thread_id: 'v' }, streamMode: 'values' });
    assert.deepEqual(expectedUpdates, [{ a: { log: ['a'] } }, { b: { log: ['b'] } }]);
    await withGraphs([twoStepGraph, askGraph], async ({ client }) => {
      const app = client.graph(twoStepGraph);
      const updates = await app.invoke({}, { configurable: { thread_id: threadId('upd') }, streamMode: 'updates' });
      assert.deepEqual(updates, expectedUpdates);
      const tuples = await app.invoke(
        {},
        { configurable: { thread_id: threadId('tup') }, streamMode: ['updates', 'values'] },
      );
      assert.deepEqual(tuples, expectedTuples);
      const values = await app.invoke({}, { configurable: { thread_id: threadId('val') }, streamMode: 'values' });
      assert.deepEqual(values, expectedValues);

      // A pause ends the "updates" chunks with the interrupt chunk, as LangGraph's (ids are ours).
      const ask = client.graph(askGraph);
      const config = { configurable: { thread_id: threadId('ask') } };
      const paused = await ask.invoke({}, { ...config, streamMode: 'updates' });
      assert.equal(paused.length, 1);
      const [chunk] = paused as Array<{ __interrupt__: Array<{ id: string; value: unknown }> }>;
      assert.equal(chunk!.__interrupt__[0]!.value, 'q');
      const resumed = await ask.invoke(new Command({ resume: 'yes' }), { ...config, streamMode: 'updates' });
      assert.deepEqual(resumed, [{ ask: { log: ['ask:yes'] } }]);
    });
  });
});

describe('ThreadBusyError on a paused thread (client review 3)', () => {
  const busy = (error: unknown): ThreadBusyError => {
    assert.ok(error instanceof ThreadBusyError, String(error));
    assert.equal(error.status, 'interrupted');
    assert.match(error.message, /\{ abandonPendingInterrupts: true \}/);
    return error;
  };

  it('names a single pending interrupt and its node, and suggests a plain resume', async () => {
    await withGraphs([askGraph], async ({ client }) => {
      const app = client.graph(askGraph);
      const config = { configurable: { thread_id: threadId('busy1') } };
      const paused = await app.invoke({}, config);
      const id = paused.__interrupt__![0]!.id;
      await assert.rejects(app.invoke({ x: 1 }, config), (error: unknown) => {
        const e = busy(error);
        assert.deepEqual(e.pendingIds, [id]);
        assert.match(e.message, new RegExp(`is interrupted \\(paused at interrupt "${id}" in node "ask"\\)`));
        assert.match(e.message, /invoke\(new Command\(\{ resume: <value> \}\), config\)/);
        return true;
      });
    });
  });

  it('names every pending interrupt and suggests the id map, not a plain resume, when several are pending', async () => {
    await withGraphs([parallelGraph], async ({ client }) => {
      const app = client.graph(parallelGraph);
      const config = { configurable: { thread_id: threadId('busy2') } };
      const paused = await app.invoke({}, config);
      const ids = paused.__interrupt__!.map((i) => i.id);
      assert.equal(ids.length, 2);
      await assert.rejects(app.invoke({ x: 1 }, config), (error: unknown) => {
        const e = busy(error);
        assert.deepEqual([...e.pendingIds].sort(), [...ids].sort());
        assert.match(e.message, /interrupt "[0-9a-f]+" in node "left"/);
        assert.match(e.message, /interrupt "[0-9a-f]+" in node "right"/);
        assert.ok(e.message.includes(`resume: { ${ids.map((id) => `"${id}": <value>`).join(', ')} }`), e.message);
        assert.doesNotMatch(e.message, /resume: <value>/);
        return true;
      });
    });
  });

  it('suggests invoke(null), not a resume value, for a NodeInterrupt', async () => {
    await withGraphs([guardedGraph], async ({ client }) => {
      const app = client.graph(guardedGraph);
      const config = { configurable: { thread_id: threadId('busy3') } };
      await app.invoke({ x: 10 }, config);
      await assert.rejects(app.invoke({ x: 1 }, config), (error: unknown) => {
        const e = busy(error);
        assert.deepEqual(e.pendingIds, []);
        assert.match(e.message, /a NodeInterrupt in node "check"/);
        assert.match(e.message, /invoke\(null, config\)/);
        assert.doesNotMatch(e.message, /Command\(\{ resume/);
        return true;
      });
    });
  });

  it('suggests invoke(null), not a resume value, at a breakpoint', async () => {
    await withGraphs([breakpointGraph], async ({ client }) => {
      const app = client.graph(breakpointGraph);
      const config = { configurable: { thread_id: threadId('busy4') } };
      await app.invoke({}, config);
      await assert.rejects(app.invoke({ x: 1 }, config), (error: unknown) => {
        const e = busy(error);
        assert.match(e.message, /a breakpoint before node\(s\) "send"/);
        assert.match(e.message, /Continue past the breakpoint with invoke\(null, config\)/);
        assert.doesNotMatch(e.message, /Command\(\{ resume/);
        return true;
      });
    });
  });
});

describe('NoPendingInterruptError on a failed thread (client review 4)', () => {
  it('says that invoke(null) re-runs the failed step', async () => {
    failOnce = true;
    await withGraphs([flakyEndingGraph], async ({ client }) => {
      const app = client.graph(flakyEndingGraph);
      const config = { configurable: { thread_id: threadId('failed') } };
      await assert.rejects(
        app.invoke({}, config),
        (error: unknown) => isDurableGraphError(error) && error.code === 'NODE_FAILED',
      );
      await assert.rejects(app.invoke(new Command({ resume: 'x' }), config), (error: unknown) => {
        assert.ok(error instanceof NoPendingInterruptError);
        assert.equal(error.status, 'failed');
        assert.match(error.message, /status: failed/);
        assert.match(error.message, /invoke\(null, config\) re-runs the failed step/);
        return true;
      });
      const done = await app.invoke(null, config);
      assert.deepEqual(done.log, ['a:undefined/undefined', 'boom:undefined/undefined'], 'and it does');
    });
  });
});

describe('chat messages in interrupt payloads (client review 5)', () => {
  it('returns the same AIMessage from getState().tasks[].interrupts as from invoke().__interrupt__', async () => {
    await withGraphs([messageGraph], async ({ client }) => {
      for (const app of [client.graph(messageGraph), client.graph('review-message-interrupt')]) {
        const config = { configurable: { thread_id: threadId('msg') } };
        const paused = await app.invoke({}, config);
        const fromInvoke = paused.__interrupt__!;
        const state = await app.getState(config);
        const fromState = state.tasks.flatMap((t) => t.interrupts);
        assert.deepEqual(fromState, fromInvoke);
        for (const interrupts of [fromInvoke, fromState]) {
          const m = (interrupts[0]!.value as { m: unknown }).m;
          assert.ok(m instanceof AIMessage, `got ${JSON.stringify(m)}`);
          assert.equal(m.content, 'draft');
          assert.deepEqual(
            m.tool_calls?.map((c) => [c.name, c.args]),
            [['send_email', { to: 'a@b.c' }]],
          );
        }
      }
    });
  });
});
