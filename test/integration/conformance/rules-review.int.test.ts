/**
 * Rules of langgraph-semantics.md that no other conformance test cites or really asserts (second review pass):
 * R1, R2, R3, R7, R9, R13, R14 (with R8), R15, R19, R20, R26 (compile), R37, R38, R44, R53. Each test names its
 * rule; where durable-graph deliberately differs (durable-graph-decisions.md) the test asserts our behaviour and
 * says so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { GraphClient } from '../../../src/client.js';
import {
  Command,
  END,
  GraphDefinitionError,
  INTERRUPT,
  InvalidResumeError,
  MissingThreadIdError,
  START,
  StateGraph,
  interrupt,
  isInterrupted,
} from '../../../src/index.js';
import { threadId, withGraphs } from '../../helpers/env.js';

/** The approval flow of scenario a, counting each node's executions. */
function countingApproval(name: string, calls: Record<string, number>) {
  const count = (node: string) => (calls[node] = (calls[node] ?? 0) + 1);
  return new StateGraph(
    z.object({
      request: z.string(),
      proposed_action: z.string().optional(),
      approved: z.boolean().optional(),
      result: z.string().optional(),
    }),
  )
    .addNode('propose', (s) => (count('propose'), { proposed_action: `send email about ${s.request}` }))
    .addNode('human_review', (s) => {
      count('human_review');
      const answer = interrupt<boolean>({ question: 'Approve this action?', proposed_action: s.proposed_action });
      return { approved: answer === true };
    })
    .addNode(
      'execute',
      (s) => (
        count('execute'),
        { result: s.approved ? `EXECUTED: ${s.proposed_action}` : `REJECTED: ${s.proposed_action}` }
      ),
    )
    .addEdge(START, 'propose')
    .addEdge('propose', 'human_review')
    .addEdge('human_review', 'execute')
    .addEdge('execute', END)
    .compile({ name });
}

const question = (request: string) => ({
  question: 'Approve this action?',
  proposed_action: `send email about ${request}`,
});

describe('the Interrupt object and the paused result (R1, R2, R3)', () => {
  it('R1: an interrupt is exactly { id, value }, in that order, with no resumable/ns/when/interrupt_id', async () => {
    const graph = countingApproval('rules-r1', {});
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r1') } };
      const paused = await handle.invoke({ request: 'Q3 report' }, config);
      assert.equal(paused.__interrupt__!.length, 1);
      const [pending] = paused.__interrupt__!;
      assert.deepEqual(Object.keys(pending!), ['id', 'value']);
      assert.deepEqual(pending!.value, question('Q3 report'));
      // The same shape read back from getState (R1 holds after the round trip too).
      const [fromState] = (await handle.getState(config)).tasks[0]!.interrupts;
      assert.deepEqual(Object.keys(fromState!), ['id', 'value']);
      assert.deepEqual(fromState, pending);
    });
  });

  it('R2: the id is 32 lowercase hex, the same while the task stays paused, and new for a new task or thread', async () => {
    const graph = countingApproval('rules-r2', {});
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r2') } };
      const first = (await handle.invoke({ request: 'a' }, config)).__interrupt__![0]!;
      assert.match(first.id, /^[0-9a-f]{32}$/);
      assert.equal(
        (await handle.getState(config)).tasks[0]!.interrupts[0]!.id,
        first.id,
        'getState executes nothing and shows the same id',
      );
      assert.equal(
        (await handle.invoke(null, config)).__interrupt__![0]!.id,
        first.id,
        'the re-executed paused task keeps its id (R25)',
      );
      await handle.invoke(new Command({ resume: true }), config);
      const nextTurn = (await handle.invoke({ request: 'b' }, config)).__interrupt__![0]!;
      assert.notEqual(nextTurn.id, first.id, 'a new task (a new turn) has a new id');
      const otherThread = (await handle.invoke({ request: 'a' }, { configurable: { thread_id: threadId('r2-other') } }))
        .__interrupt__![0]!;
      assert.notEqual(otherThread.id, first.id, 'a new thread has a new id');
      assert.notEqual(otherThread.id, nextTurn.id);
    });
  });

  it('R3: invoke() resolves on a pause with the values plus __interrupt__ (INTERRUPT), and without the key once finished', async () => {
    const graph = countingApproval('rules-r3', {});
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r3') } };
      assert.equal(INTERRUPT, '__interrupt__');
      const paused = await handle.invoke({ request: 'Q3 report' }, config);
      assert.ok(isInterrupted(paused));
      assert.deepEqual(Object.keys(paused).sort(), [INTERRUPT, 'proposed_action', 'request']);
      assert.deepEqual(
        { ...paused, [INTERRUPT]: undefined },
        { request: 'Q3 report', proposed_action: 'send email about Q3 report', [INTERRUPT]: undefined },
      );
      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.equal(isInterrupted(done), false);
      assert.equal(INTERRUPT in done, false);
      assert.deepEqual(done, {
        request: 'Q3 report',
        proposed_action: 'send email about Q3 report',
        approved: true,
        result: 'EXECUTED: send email about Q3 report',
      });
    });
  });
});

describe('getState snapshots (R7, R9, R38)', () => {
  it('R7: paused and finished snapshots: values with no undefined keys, next, tasks, metadata, config, createdAt', async () => {
    const graph = countingApproval('rules-r7', {});
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('r7');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ request: 'Q3 report' }, config);
      const state = await handle.getState(config);
      assert.deepEqual(Object.keys(state.values).sort(), ['proposed_action', 'request'], 'no key holding undefined');
      assert.deepEqual(state.values, { request: 'Q3 report', proposed_action: 'send email about Q3 report' });
      assert.deepEqual(state.next, ['human_review']);
      assert.equal(state.tasks.length, 1);
      assert.deepEqual(
        { name: state.tasks[0]!.name, interrupts: state.tasks[0]!.interrupts },
        { name: 'human_review', interrupts: paused.__interrupt__ },
      );
      assert.equal(state.tasks[0]!.result, undefined);
      assert.deepEqual(state.metadata, { source: 'loop', step: 1, thread_id: thread });
      assert.equal(state.config.configurable.thread_id, thread);
      assert.ok(!Number.isNaN(Date.parse(state.createdAt!)), 'createdAt is an ISO timestamp');

      await handle.invoke(new Command({ resume: true }), config);
      const finished = await handle.getState(config);
      assert.deepEqual(finished.next, []);
      assert.deepEqual(finished.tasks, []);
      assert.deepEqual(finished.metadata, { source: 'loop', step: 3, thread_id: thread });
      assert.deepEqual(Object.keys(finished.values).sort(), ['approved', 'proposed_action', 'request', 'result']);
    });
  });

  it('R9: a thread that never ran gives { values: {}, next: [], tasks: [], config } with no metadata, createdAt or parentConfig key', async () => {
    const graph = countingApproval('rules-r9', {});
    await withGraphs([graph], async ({ client }) => {
      const thread = threadId('r9');
      const state = await client.graph(graph).getState({ configurable: { thread_id: thread } });
      assert.deepEqual(state.values, {});
      assert.deepEqual(Object.keys(state.values), []);
      assert.deepEqual(state.next, []);
      assert.deepEqual(state.tasks, []);
      assert.deepEqual(state.config, { configurable: { thread_id: thread } });
      for (const key of ['metadata', 'createdAt', 'parentConfig', 'status'])
        assert.equal(key in state, false, `no "${key}" key`);
    });
  });

  it('R38 (decision): getState without a thread_id is refused with MissingThreadIdError, where LangGraph returns an empty snapshot', async () => {
    const graph = countingApproval('rules-r38', {});
    await withGraphs([graph], async ({ client }) => {
      for (const config of [{}, { configurable: {} }]) {
        await assert.rejects(client.graph(graph).getState(config as never), MissingThreadIdError);
      }
    });
  });
});

describe('resuming (R13, R14, R8, R15, R19, R20)', () => {
  it('R13: the interrupted node re-executes from its first line; nodes completed before the pause do not (propose 1, human_review 2, execute 1)', async () => {
    const calls: Record<string, number> = {};
    const graph = countingApproval('rules-r13', calls);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r13') } };
      await handle.invoke({ request: 'Q3 report' }, config);
      assert.deepEqual(calls, { propose: 1, human_review: 1 });
      await handle.getState(config);
      assert.deepEqual(calls, { propose: 1, human_review: 1 }, 'getState executes nothing');
      await handle.invoke(new Command({ resume: true }), config);
      assert.deepEqual(calls, { propose: 1, human_review: 2, execute: 1 });
    });
  });

  it('R14: k interrupt() calls need k resumes and k+1 executions, answered by position; each invoke returns the next interrupt (R8: tasks show it)', async () => {
    const starts: unknown[][] = [];
    const graph = new StateGraph(z.object({ answers: z.array(z.string()).optional() }))
      .addNode('ask', () => {
        const seen: unknown[] = [];
        starts.push(seen);
        const a = interrupt<string>('first?');
        seen.push(a);
        const b = interrupt<string>('second?');
        seen.push(b);
        const c = interrupt<string>('third?');
        seen.push(c);
        return { answers: [a, b, c] };
      })
      .addEdge(START, 'ask')
      .compile({ name: 'rules-r14' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r14') } };
      const asked: unknown[] = [];
      let result = await handle.invoke({}, config);
      for (const answer of ['A', 'B', 'C']) {
        assert.equal(result.__interrupt__!.length, 1);
        asked.push(result.__interrupt__![0]!.value);
        const state = await handle.getState(config);
        // R8: the pending interrupt is in tasks[].interrupts (next names the node too: our decision on R8).
        assert.deepEqual(state.tasks[0]!.interrupts, result.__interrupt__);
        assert.deepEqual(state.next, ['ask']);
        result = await handle.invoke(new Command({ resume: answer }), config);
      }
      assert.deepEqual(asked, ['first?', 'second?', 'third?']);
      assert.deepEqual(result, { answers: ['A', 'B', 'C'] });
      assert.equal(starts.length, 4, 'the node body started k+1 = 4 times');
      assert.deepEqual(
        starts,
        [[], ['A'], ['A', 'B'], ['A', 'B', 'C']],
        'earlier interrupts return their stored values by position',
      );
    });
  });

  it('R15: Command({ resume: undefined }), Command({ resume: null }) and Command({}) are refused and run nothing; {} and [] are valid values', async () => {
    let runs = 0;
    const got: unknown[] = [];
    const graph = new StateGraph(z.object({ n: z.number().optional() }))
      .addNode('ask', () => {
        runs++;
        got.length = 0;
        got.push(interrupt('one'), interrupt('two'));
        return { n: 1 };
      })
      .addEdge(START, 'ask')
      .compile({ name: 'rules-r15' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r15') } };
      const paused = await handle.invoke({}, config);
      for (const empty of [new Command({ resume: undefined }), new Command({ resume: null }), new Command({})]) {
        await assert.rejects(handle.invoke(empty, config), InvalidResumeError);
      }
      assert.equal(runs, 1, 'nothing ran');
      assert.deepEqual(
        (await handle.getState(config)).tasks[0]!.interrupts,
        paused.__interrupt__,
        'the interrupt stays pending',
      );
      await handle.invoke(new Command({ resume: {} }), config);
      await handle.invoke(new Command({ resume: [] }), config);
      assert.deepEqual(got, [{}, []]);
    });
  });

  it('R19: after a node answered its 1st interrupt, a map keyed by the current (2nd) id answers it; the 1st id is refused (decision on R18)', async () => {
    const graph = new StateGraph(z.object({ answers: z.array(z.string()).optional() }))
      .addNode('ask', () => ({ answers: [interrupt<string>('first?'), interrupt<string>('second?')] }))
      .addEdge(START, 'ask')
      .compile({ name: 'rules-r19' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r19') } };
      const first = (await handle.invoke({}, config)).__interrupt__![0]!;
      const second = (await handle.invoke(new Command({ resume: { [first.id]: 'A' } }), config)).__interrupt__![0]!;
      assert.notEqual(second.id, first.id);
      // LangGraph treats the first id as an alias of the task's next interrupt; durable-graph refuses an answered id.
      await assert.rejects(handle.invoke(new Command({ resume: { [first.id]: 'B' } }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        assert.ok((error as Error).message.includes(first.id));
        assert.ok((error as Error).message.includes(second.id), 'names the pending id');
        return true;
      });
      const done = await handle.invoke(new Command({ resume: { [second.id]: 'B' } }), config);
      assert.deepEqual(done.answers, ['A', 'B']);
    });
  });

  it('R20: an object whose keys are not all 32-hex ids is a plain resume value, delivered whole', async () => {
    const graph = new StateGraph(z.object({ got: z.unknown().optional() }))
      .addNode('ask', () => ({ got: interrupt('which?') }))
      .addEdge(START, 'ask')
      .compile({ name: 'rules-r20' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r20') } };
      const paused = (await handle.invoke({}, config)).__interrupt__![0]!;
      const mixed = { left: 'L', [paused.id]: 'by id' };
      const done = await handle.invoke(new Command({ resume: mixed }), config);
      assert.deepEqual(done.got, mixed, 'a hex key among other keys does not make a map');
    });
  });
});

describe('Command from nodes: compile-time check (R26)', () => {
  it('R26: a node reachable only through a returned Command must be listed in ends, else compile() fails naming it', () => {
    const build = (ends?: string[]) =>
      new StateGraph(z.object({ x: z.string().optional() }))
        .addNode('router', () => new Command({ goto: 'b' }), ends ? { ends } : {})
        .addNode('b', () => ({ x: 'b' }))
        .addEdge(START, 'router')
        .compile({ name: 'rules-r26' });
    assert.throws(
      () => build(),
      (error: unknown) => {
        assert.ok(error instanceof GraphDefinitionError);
        assert.match((error as Error).message, /Node "b" is not reachable from START/);
        return true;
      },
    );
    assert.doesNotThrow(() => build(['b']));
  });
});

describe('errors (R37, R44)', () => {
  it('R37 (decision): a missing, empty or non-string thread_id is refused before any node runs', async () => {
    const calls: Record<string, number> = {};
    const graph = countingApproval('rules-r37', calls);
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      for (const config of [
        undefined,
        {},
        { configurable: {} },
        { configurable: { thread_id: undefined } },
        { configurable: { thread_id: '' } },
        { configurable: { thread_id: 42 } },
      ]) {
        await assert.rejects(handle.invoke({ request: 'x' }, config as never), MissingThreadIdError);
      }
      assert.deepEqual(calls, {}, 'no node ran (LangGraph runs the first node before failing)');
    });
  });

  it('R44: a retry policy never retries an interrupt: the node runs once and pauses, and once more on resume', async () => {
    let runs = 0;
    const graph = new StateGraph(z.object({ a: z.unknown().optional() }))
      .addNode(
        'ask',
        () => {
          runs++;
          return { a: interrupt('q') };
        },
        { retryPolicy: { maxAttempts: 5, initialInterval: 10 } },
      )
      .addEdge(START, 'ask')
      .compile({ name: 'rules-r44' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const config = { configurable: { thread_id: threadId('r44') } };
      const paused = await handle.invoke({}, config);
      assert.deepEqual(
        paused.__interrupt__!.map((i) => i.value),
        ['q'],
      );
      assert.equal(runs, 1);
      assert.equal((await handle.getState(config)).tasks[0]!.error, undefined, 'an interrupt is not a failure');
      const done = await handle.invoke(new Command({ resume: 'x' }), config);
      assert.equal(done.a, 'x');
      assert.equal(runs, 2);
    });
  });
});

describe('durability (R53)', () => {
  it('R53: a fresh client and a fresh worker see the same snapshot id and interrupt id, and resume the thread', async () => {
    const graph = countingApproval('rules-r53', {});
    await withGraphs(
      [graph],
      async ({ client, startWorker, address, namespace, taskQueue }) => {
        const thread = threadId('r53');
        const config = { configurable: { thread_id: thread } };
        const first = await startWorker();
        const paused = await first.runUntil(client.graph(graph).invoke({ request: 'Q3 report' }, config));
        const [before] = await collect(client.graph(graph).getStateHistory(config, { limit: 1 }));
        assert.equal(first.getState(), 'STOPPED');

        const fresh = await GraphClient.connect({ address, namespace, taskQueue });
        try {
          const second = await startWorker();
          await second.runUntil(async () => {
            const handle = fresh.graph(graph);
            const state = await handle.getState(config);
            assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__, 'same interrupt id and value');
            const [after] = await collect(handle.getStateHistory(config, { limit: 1 }));
            assert.deepEqual(after!.config, before!.config, 'same snapshot (checkpoint) id');
            const done = await handle.invoke(new Command({ resume: true }), config);
            assert.equal(done.result, 'EXECUTED: send email about Q3 report');
          });
        } finally {
          await fresh.close();
        }
      },
      { worker: false },
    );
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
