import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  InvalidInputError,
  NodeFailedError,
  START,
  StateGraph,
  ThreadBusyError,
  appendReducer,
  interrupt,
  withReducer,
} from '../../src/index.js';
import { approvalGraph } from '../../examples/approval/graph.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { eventually } from '../helpers/temporal-cli.js';

describe('runs of a thread', () => {
  it('continues a finished thread from its final state on new input, as a new run of the same workflow id', async () => {
    const graph = new StateGraph(
      z.object({ turns: withReducer(z.array(z.string()), appendReducer, () => []), last: z.string().optional() }),
    )
      .addNode('turn', (s) => ({ turns: [`turn ${s.turns.length + 1}: ${s.last}`] }))
      .addEdge(START, 'turn')
      .addEdge('turn', END)
      .compile({ name: 'multi-turn' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('turns');
      const config = { configurable: { thread_id: thread } };
      const first = await handle.invoke({ last: 'hello' }, config);
      assert.deepEqual(first.turns, ['turn 1: hello']);
      const second = await handle.invoke({ last: 'again' }, config);
      assert.deepEqual(second.turns, ['turn 1: hello', 'turn 2: again']);
      const state = await handle.getState(config);
      assert.equal(
        state.metadata?.step,
        4,
        'steps continue across runs as in LangGraph R50: run 1 is steps -1, 0, 1; run 2 is 2, 3, 4',
      );
      // Each run is a run of the same Workflow Id (visibility is eventually consistent: poll).
      const runs = await eventually(async () => {
        const found: string[] = [];
        for await (const run of client.temporal.workflow.list({ query: `WorkflowId="${thread}"` }))
          found.push(run.runId);
        return found.length === 2 ? found : undefined;
      }, 'two runs of the thread in visibility');
      assert.equal(new Set(runs).size, 2);
    });
  });

  it('refuses new input on a paused thread with ThreadBusyError and leaves the pause in place', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('busy') } };
      const paused = await handle.invoke({ request: 'one' }, config);
      await assert.rejects(handle.invoke({ request: 'two' }, config), (error: unknown) => {
        assert.ok(error instanceof ThreadBusyError);
        assert.match((error as Error).message, /is interrupted/);
        assert.match((error as Error).message, /Command\(\{ resume/);
        return true;
      });
      const state = await handle.getState(config);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
      assert.equal(state.values.request, 'one');
    });
  });

  it('rejects input that does not match the state schema before starting anything', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('bad-input');
      await assert.rejects(
        handle.invoke({ request: 42 } as never, { configurable: { thread_id: thread } }),
        InvalidInputError,
      );
      await assert.rejects(
        handle.invoke({ nope: 1 } as never, { configurable: { thread_id: thread } }),
        /"nope" is not a field of the state/,
      );
      const state = await handle.getState({ configurable: { thread_id: thread } });
      assert.equal(state.status, undefined, 'nothing was started');
    });
  });
});

describe('the recursion limit', () => {
  it('counts supersteps per invoke, so a human-in-the-loop loop can go round more often than the limit', async () => {
    const graph = new StateGraph(z.object({ rounds: z.number().default(0), done: z.boolean().optional() }))
      .addNode('work', (s) => ({ rounds: s.rounds + 1 }))
      .addNode('review', () => ({ done: interrupt<boolean>('again?') }))
      .addEdge(START, 'work')
      .addEdge('work', 'review')
      .addConditionalEdges('review', (s) => (s.done ? END : 'work'))
      .compile({ name: 'long-loop' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('loop') }, recursionLimit: 3 };
      await handle.invoke({}, config);
      for (let i = 0; i < 4; i++) await handle.invoke(new Command({ resume: false }), config);
      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.equal(done.rounds, 5, 'ten supersteps in all, with a limit of 3 per invoke');
    });
  });

  it('fails a run that loops without pausing past the limit with RecursionLimitError', async () => {
    const graph = new StateGraph(z.object({ n: z.number().default(0) }))
      .addNode('spin', (s) => ({ n: s.n + 1 }))
      .addEdge(START, 'spin')
      .addConditionalEdges('spin', () => 'spin')
      .compile({ name: 'spin' });
    await withGraphs([graph], async ({ client }) => {
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: threadId('spin') }, recursionLimit: 4 }),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'RECURSION_LIMIT');
          assert.match((error as Error).message, /recursion limit of 4 supersteps/);
          return true;
        },
      );
    });
  });
});

describe('a node that fails', () => {
  it('is retried by its retry policy and then fails the run with NodeFailedError naming the thread and node', async () => {
    let attempts = 0;
    const graph = new StateGraph(z.object({ ok: z.boolean().optional() }))
      .addNode(
        'flaky',
        () => {
          attempts++;
          throw new Error('the mail server said no');
        },
        { retryPolicy: { maxAttempts: 2, initialInterval: 10, maxInterval: 10 } },
      )
      .addEdge(START, 'flaky')
      .compile({ name: 'failing' });
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('fail');
      await assert.rejects(
        client.graph(graph).invoke({}, { configurable: { thread_id: thread } }),
        (error: unknown) => {
          assert.ok(error instanceof NodeFailedError);
          assert.equal((error as NodeFailedError).node, 'flaky');
          assert.equal((error as NodeFailedError).threadId, thread);
          assert.match(
            (error as Error).message,
            /Node "flaky" failed in thread ".+" at step 0 \(Error\): the mail server said no/,
          );
          return true;
        },
      );
      assert.equal(attempts, 2);
    });
  });

  it('never retries an interrupt, even with a retry policy', async () => {
    let runs = 0;
    const graph = new StateGraph(z.object({ a: z.unknown().optional() }))
      .addNode(
        'ask',
        () => {
          runs++;
          return { a: interrupt('q') };
        },
        { retryPolicy: { maxAttempts: 5 } },
      )
      .addEdge(START, 'ask')
      .compile({ name: 'no-retry-interrupt' });
    await withGraphs([graph], async ({ client }) => {
      const config = { configurable: { thread_id: threadId('noretry') } };
      const paused = await client.graph(graph).invoke({}, config);
      assert.ok(paused.__interrupt__);
      assert.equal(runs, 1);
      await client.graph(graph).invoke(new Command({ resume: 1 }), config);
      assert.equal(runs, 2);
    });
  });
});

describe('invoke(null) after a node failed', () => {
  it('runs the failed step again in a new run, keeping the writes of the nodes that completed in it (as LangGraph)', async () => {
    let broken = true;
    const calls: string[] = [];
    const graph = new StateGraph(z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) }))
      .addNode('fine', () => {
        calls.push('fine');
        return { log: ['fine'] };
      })
      .addNode(
        'fragile',
        () => {
          calls.push('fragile');
          if (broken) throw new Error('downstream API is down');
          return { log: ['fragile'] };
        },
        { retryPolicy: { maxAttempts: 1 } },
      )
      .addNode('after', () => ({ log: ['after'] }))
      .addEdge(START, 'fine')
      .addEdge(START, 'fragile')
      .addEdge(['fine', 'fragile'], 'after')
      .compile({ name: 'retry-after-failure' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('null-after-fail') } };
      await assert.rejects(handle.invoke({}, config), NodeFailedError);
      // As LangGraph: the failed node is next (invoke(null) runs it), and its task carries the error.
      const failed = await handle.getState(config);
      assert.deepEqual(failed.next, ['fragile']);
      assert.deepEqual(
        failed.tasks.map((t) => [t.name, t.error ?? null, t.result !== undefined]),
        [
          ['fine', null, true],
          ['fragile', { name: 'Error', message: 'downstream API is down' }, false],
        ],
      );
      broken = false;
      const done = await handle.invoke(null, config);
      assert.deepEqual(calls.sort(), ['fine', 'fragile', 'fragile']);
      assert.deepEqual(done.log.slice(0, 2).sort(), ['fine', 'fragile']);
      assert.equal(done.log.at(-1), 'after');
    });
  });
});
