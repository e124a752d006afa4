/**
 * Every error class that crosses Temporal (a failed run, a rejected Update, a failed Activity) comes back to the
 * caller as its own class, with its code, thread, node and every field it declares. Each one is provoked through
 * the public API against a real server. Classes that never cross (thrown where they are made) are checked there.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { describeThread } from '../../src/cli/thread-summary.js';
import { GraphClient, rebuildError } from '../../src/client.js';
import {
  Command,
  ConflictingWritesError,
  DurableGraphError,
  END,
  GraphDefinitionError,
  InterruptOutsideNodeError,
  InterruptTimeoutError,
  InvalidDestinationError,
  InvalidInputError,
  InvalidInterruptError,
  InvalidParentCommandError,
  InvalidResumeError,
  InvalidUpdateError,
  MissingThreadIdError,
  MultipleParentCommandsError,
  NoParentGraphError,
  NoPendingInterruptError,
  NodeFailedError,
  RecursionLimitError,
  ReducerFailedError,
  START,
  ServerUnreachableError,
  StateGraph,
  StreamReadError,
  ThreadBusyError,
  ThreadNotFoundError,
  UnknownGraphError,
  UnknownNodeError,
  UnserializableValueError,
  UpdateStateRefusedError,
  appendReducer,
  interrupt,
  isDurableGraphError,
  withReducer,
} from '../../src/index.js';
import { pollStreamUpdate, readStreamQuery } from '../../src/protocol/stream.js';
import { threadId, withGraphs } from '../helpers/env.js';

type ErrorClass<E extends DurableGraphError> = abstract new (...args: never[]) => E;

/**
 * Checks an error as a caller gets it: our marker, its class (by `instanceof` and by name), its code and the
 * code's docs link at the end of the message, where it happened, and each class-specific field.
 */
function check<E extends DurableGraphError>(
  error: unknown,
  cls: ErrorClass<E>,
  expected: {
    code: string;
    threadId: string | undefined;
    node: string | undefined;
    fields?: Partial<Record<keyof E, unknown>>;
    message?: RegExp;
  },
): E {
  assert.ok(isDurableGraphError(error), `not a durable-graph error: ${String(error)}`);
  assert.ok(error instanceof cls, `expected ${cls.name}, got ${error.constructor.name}: ${error.message}`);
  assert.equal(error.name, cls.name);
  assert.equal(error.code, expected.code);
  assert.ok(error.message.endsWith(`[${expected.code}] docs/errors.md#${expected.code.toLowerCase()}`), error.message);
  assert.equal(error.threadId, expected.threadId);
  assert.equal(error.node, expected.node);
  for (const [key, value] of Object.entries(expected.fields ?? {}))
    assert.deepEqual((error as unknown as Record<string, unknown>)[key], value, `field ${key}`);
  if (expected.message) assert.match(error.message, expected.message);
  return error as E;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

const State = z.object({
  x: z.string().optional(),
  data: z.unknown().optional(),
  log: withReducer(z.array(z.string()), appendReducer, () => []),
});
const config = (thread: string) => ({ configurable: { thread_id: thread } });

const nodeFails = new StateGraph(State)
  .addNode(
    'boom',
    () => {
      throw new Error('kaput');
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addEdge(START, 'boom')
  .compile({ name: 'rt-node-failed' });

const loops = new StateGraph(State)
  .addNode('a', () => ({ log: ['a'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'a')
  .compile({ name: 'rt-recursion' });

const conflict = new StateGraph(State)
  .addNode('a', () => ({ x: 'a' }))
  .addNode('b', () => ({ x: 'b' }))
  .addEdge(START, 'a')
  .addEdge(START, 'b')
  .compile({ name: 'rt-conflict' });

const reducerThrows = new StateGraph(
  z.object({
    ids: withReducer(
      z.array(z.string()),
      (current: string[], update: string[]) => {
        if (update.some((u) => current.includes(u))) throw new Error(`duplicate ${update.join(',')}`);
        return [...current, ...update];
      },
      () => [],
    ),
  }),
)
  .addNode('a', () => ({ ids: ['x'] }))
  .addNode('b', () => ({ ids: ['x'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'b')
  .compile({ name: 'rt-reducer' });

const badUpdate = new StateGraph(State)
  .addNode('n', () => ({ nope: 1 }) as never)
  .addEdge(START, 'n')
  .compile({ name: 'rt-invalid-update' });

const unserializable = new StateGraph(State)
  .addNode('n', () => ({ data: new Map([['k', 1]]) }))
  .addEdge(START, 'n')
  .compile({ name: 'rt-unserializable' });

const nowhere = new StateGraph(State)
  .addNode('router', () => new Command({ goto: 'nowhere' as never }))
  .addEdge(START, 'router')
  .compile({ name: 'rt-destination' });

const badTimeout = new StateGraph(State)
  .addNode('ask', () => ({ x: interrupt<string>('approve?', { timeout: 'soon' as never }) }))
  .addEdge(START, 'ask')
  .compile({ name: 'rt-bad-interrupt' });

const noParent = new StateGraph(State)
  .addNode('a', () => new Command({ graph: Command.PARENT, goto: 'b' }), { ends: ['b'] })
  .addNode('b', () => ({ log: ['b'] }))
  .addEdge(START, 'a')
  .compile({ name: 'rt-no-parent' });

const twoSenders = new StateGraph(State)
  .addNode('c1', () => new Command({ graph: Command.PARENT, goto: 'x', update: { log: ['c1'] } }))
  .addNode('c2', () => new Command({ graph: Command.PARENT, goto: 'x', update: { log: ['c2'] } }))
  .addEdge(START, 'c1')
  .addEdge(START, 'c2')
  .compile({ name: 'rt-multi-parent-child' });
const multiParent = new StateGraph(State)
  .addNode('sub', twoSenders, { ends: ['x'] })
  .addNode('x', () => ({ log: ['x'] }))
  .addEdge(START, 'sub')
  .compile({ name: 'rt-multi-parent' });

const gotoMissing = new StateGraph(State)
  .addNode('c', () => new Command({ graph: Command.PARENT, goto: 'missing', update: { log: ['c'] } }))
  .addEdge(START, 'c')
  .compile({ name: 'rt-parent-goto-child' });
const invalidParent = new StateGraph(State)
  .addNode('sub', gotoMissing, { ends: ['x'] })
  .addNode('x', () => ({ log: ['x'] }))
  .addEdge(START, 'sub')
  .compile({ name: 'rt-parent-goto' });

const unhosted = new StateGraph(State)
  .addNode('n', () => ({ x: 'child' }))
  .addEdge(START, 'n')
  .compile({ name: 'rt-unhosted' });
const callsUnhosted = new StateGraph(State)
  .addNode('wrapper', async () => ({ x: (await unhosted.invoke({})).x }))
  .addEdge(START, 'wrapper')
  .compile({ name: 'rt-calls-unhosted' });

const routerAsks = new StateGraph(State)
  .addNode('a', () => ({ log: ['a'] }))
  .addConditionalEdges(START, () => {
    interrupt('from a router');
    return 'a';
  })
  .compile({ name: 'rt-outside-node' });

const twoAsks = new StateGraph(State)
  .addNode('left', () => ({ log: [interrupt<string>('left?')] }))
  .addNode('right', () => ({ log: [interrupt<string>('right?')] }))
  .addEdge(START, 'left')
  .addEdge(START, 'right')
  .compile({ name: 'rt-two-asks' });

const slow = new StateGraph(State)
  .addNode('slow', async () => {
    await sleep(3_000);
    return { x: interrupt<string>('done?') };
  })
  .addEdge(START, 'slow')
  .compile({ name: 'rt-slow' });

const expires = new StateGraph(State)
  .addNode('ask', () => ({ x: interrupt<string>('approve?', { timeout: '1s' }) }))
  .addEdge(START, 'ask')
  .compile({ name: 'rt-expires' });

const streams = new StateGraph(State)
  .addNode('ask', () => ({ x: interrupt<string>('approve?') }))
  .addEdge(START, 'ask')
  .compile({ name: 'rt-streams' });

const hosted = [
  nodeFails,
  loops,
  conflict,
  reducerThrows,
  badUpdate,
  unserializable,
  nowhere,
  badTimeout,
  noParent,
  multiParent,
  invalidParent,
  callsUnhosted,
  routerAsks,
  twoAsks,
  slow,
  expires,
  streams,
];

describe('errors that cross Temporal come back with their class and every field', () => {
  it('rebuilds failed runs: each class, its thread, its node and its fields', async () => {
    await withGraphs(hosted, async ({ client }) => {
      const run = async (
        graph: (typeof hosted)[number],
        input: Record<string, unknown> = {},
        extra: { recursionLimit?: number } = {},
      ) => {
        const thread = threadId(graph.name);
        return {
          thread,
          error: await caught(client.graph(graph).invoke(input as never, { ...config(thread), ...extra })),
        };
      };

      let { thread, error } = await run(nodeFails);
      const failed = check(error, NodeFailedError, {
        code: 'NODE_FAILED',
        threadId: thread,
        node: 'boom',
        message: /Node "boom" failed in thread ".*" at step 0 \(Error\): kaput/,
      });
      assert.match(String((failed.cause as Error | undefined)?.message), /kaput/);

      ({ thread, error } = await run(loops, {}, { recursionLimit: 3 }));
      check(error, RecursionLimitError, {
        code: 'RECURSION_LIMIT',
        threadId: thread,
        node: undefined,
        fields: { limit: 3 },
      });

      ({ thread, error } = await run(conflict));
      check(error, ConflictingWritesError, {
        code: 'CONFLICTING_WRITES',
        threadId: thread,
        node: 'b',
        message: /Nodes "a", "b" wrote state field "x" in the same step/,
      });

      ({ thread, error } = await run(reducerThrows));
      check(error, ReducerFailedError, {
        code: 'REDUCER_FAILED',
        threadId: thread,
        node: undefined,
        message: /reducer of state field "ids" .* threw: duplicate x/,
      });

      ({ thread, error } = await run(badUpdate));
      check(error, InvalidUpdateError, {
        code: 'INVALID_UPDATE',
        threadId: thread,
        node: 'n',
        message: /Node "n" .* returned an invalid update/,
      });

      ({ thread, error } = await run(unserializable));
      check(error, UnserializableValueError, {
        code: 'UNSERIALIZABLE_VALUE',
        threadId: thread,
        node: 'n',
        message: /would not survive serialization: .*Map/,
      });

      ({ thread, error } = await run(nowhere));
      check(error, InvalidDestinationError, {
        code: 'INVALID_DESTINATION',
        threadId: thread,
        node: 'router',
        message: /leads nowhere/,
      });

      ({ thread, error } = await run(badTimeout));
      check(error, InvalidInterruptError, {
        code: 'INVALID_INTERRUPT',
        threadId: thread,
        node: 'ask',
        message: /invalid timeout "soon"/,
      });

      ({ thread, error } = await run(noParent));
      check(error, NoParentGraphError, {
        code: 'NO_PARENT_GRAPH',
        threadId: thread,
        node: 'a',
        message: /there is no parent graph/,
      });

      ({ thread, error } = await run(multiParent));
      // The child run fails at that step; the error names the child thread and its second sender.
      const multi = check(error, MultipleParentCommandsError, {
        code: 'MULTIPLE_PARENT_COMMANDS',
        threadId: (error as DurableGraphError).threadId,
        node: 'c2',
      });
      assert.ok(multi.threadId?.startsWith(thread), `${multi.threadId} is a child of ${thread}`);

      ({ thread, error } = await run(invalidParent));
      check(error, InvalidParentCommandError, {
        code: 'INVALID_PARENT_COMMAND',
        threadId: thread,
        node: 'sub',
        message: /with goto "missing", but parent graph "rt-parent-goto" has no such node/,
      });

      ({ thread, error } = await run(callsUnhosted));
      const unknown = check(error, UnknownGraphError, {
        code: 'UNKNOWN_GRAPH',
        threadId: thread,
        node: 'wrapper',
        fields: { graph: 'rt-unhosted' },
        message: /called invoke\(\) on graph "rt-unhosted", which this Worker does not host/,
      });
      // The worker hosts the graphs it was given and their subgraphs.
      assert.deepEqual(
        unknown.known.filter((name) => !name.endsWith('-child')),
        hosted.map((g) => g.name),
      );

      ({ thread, error } = await run(routerAsks));
      check(error, InterruptOutsideNodeError, {
        code: 'INTERRUPT_OUTSIDE_NODE',
        threadId: thread,
        node: undefined,
        message: /The conditional edge from START .* called interrupt\(\)/,
      });

      // By name, the worker checks the input (describeGraph).
      thread = threadId('rt-by-name');
      error = await caught(client.graph('rt-streams').invoke({ nope: 1 }, config(thread)));
      check(error, InvalidInputError, { code: 'INVALID_INPUT', threadId: thread, node: undefined, message: /nope/ });
    });
  });

  it('rebuilds rejected Updates (resume, updateState, stream reads) and failed Queries', async () => {
    await withGraphs(hosted, async ({ client }) => {
      // Several interrupts pending and a plain value: the engine refuses it and lists them.
      const thread = threadId('rt-two-asks');
      const paused = await client.graph(twoAsks).invoke({}, config(thread));
      const ids = paused.__interrupt__!.map((i) => i.id);
      assert.equal(ids.length, 2);
      const resume = check(
        await caught(client.graph(twoAsks).invoke(new Command({ resume: 'yes' }), config(thread))),
        InvalidResumeError,
        {
          code: 'INVALID_RESUME',
          threadId: thread,
          node: undefined,
        },
      );
      assert.deepEqual([...resume.pendingIds].sort(), [...ids].sort());

      check(
        await caught(client.graph(twoAsks).updateState(config(thread), { x: 'v' }, 'nope')),
        UpdateStateRefusedError,
        {
          code: 'UPDATE_STATE_REFUSED',
          threadId: thread,
          node: undefined,
          message: /Node "nope" does not exist/,
        },
      );

      // New input on the paused thread is refused by the client itself, from the memo (never crosses).
      check(await caught(client.graph(twoAsks).invoke({ x: 'new' }, config(thread))), ThreadBusyError, {
        code: 'THREAD_BUSY',
        threadId: thread,
        node: undefined,
        fields: {
          status: 'interrupted',
          pendingIds: ids,
          pending: {
            interrupts: [
              { id: ids[0], node: 'left' },
              { id: ids[1], node: 'right' },
            ],
          },
        },
      });

      // A resume while the node still runs: the engine refuses it with the thread's status.
      const running = threadId('rt-slow');
      await client.graph(slow).start({}, config(running));
      check(
        await caught(client.graph(slow).invoke(new Command({ resume: 'yes' }), config(running))),
        NoPendingInterruptError,
        {
          code: 'NO_PENDING_INTERRUPT',
          threadId: running,
          node: undefined,
          fields: { status: 'running' },
        },
      );

      // A stream read the run cannot serve (an offset past its log): the pollStream Update is rejected.
      const streamed = threadId('rt-streams');
      await client.graph(streams).invoke({}, config(streamed));
      const read = await caught(
        client.temporal.workflow
          .getHandle(streamed)
          .executeUpdate(pollStreamUpdate, { args: [{ modes: ['values'], from: 999 }] }),
      );
      check(rebuildError(read, streamed), StreamReadError, {
        code: 'STREAM_READ',
        threadId: streamed,
        node: undefined,
        message: /Reading the stream of thread ".*": Stream offset 999 is outside the log/,
      });
      // The same read as a Query (how a closed run's stream is read): only the message crosses.
      const queried = await caught(
        client.temporal.workflow.getHandle(streamed).query(readStreamQuery, { modes: ['values'], from: 999 }),
      );
      check(rebuildError(queried, streamed), StreamReadError, {
        code: 'STREAM_READ',
        threadId: streamed,
        node: undefined,
        message: /Stream offset 999 is outside the log/,
      });
    });
  });

  it("rebuilds an interrupt that expired as InterruptTimeoutError, where the run's failure is read", async () => {
    await withGraphs([expires], async ({ client }) => {
      const thread = threadId('rt-expires');
      await client.graph(expires).invoke({}, config(thread));
      const failure = await caught(client.temporal.workflow.getHandle(thread).result());
      check(rebuildError(failure, thread), InterruptTimeoutError, {
        code: 'INTERRUPT_TIMEOUT',
        threadId: thread,
        node: 'ask',
        message: /expired with no resume/,
      });
      // The run has failed: a late answer is refused, saying how to ask again.
      check(
        await caught(client.graph(expires).invoke(new Command({ resume: 'yes' }), config(thread))),
        NoPendingInterruptError,
        {
          code: 'NO_PENDING_INTERRUPT',
          threadId: thread,
          node: undefined,
          fields: { status: 'failed' },
          message: /invoke\(null, config\) re-runs the failed step/,
        },
      );
      // As documented: invoke(null) runs the failed step again, which asks again.
      const again = await client.graph(expires).invoke(null, config(thread));
      assert.equal(again.__interrupt__?.length, 1);
    });
  });

  it("rebuilds UNKNOWN_NODE when the deployed router leads to a node the running thread's shape lacks", async () => {
    // (A worker that lacks a node of the thread's shape does not fail the run: the step waits for one that has it;
    // rolling-deploy.int.test.ts.)
    const before = new StateGraph(State)
      .addNode('ask', () => ({ x: interrupt<string>('go?') }))
      .addConditionalEdges('ask', () => END)
      .addEdge(START, 'ask')
      .compile({ name: 'rt-unknown-node' });
    const after = new StateGraph(State)
      .addNode('ask', () => ({ x: interrupt<string>('go?') }))
      .addNode('added', () => ({ log: ['added'] }))
      .addConditionalEdges('ask', () => 'added')
      .addEdge(START, 'ask')
      .addEdge('added', END)
      .compile({ name: 'rt-unknown-node' });
    await withGraphs(
      [before],
      async ({ client, startWorker }) => {
        const thread = threadId('rt-unknown-node');
        await (await startWorker([before])).runUntil(client.graph(before).invoke({}, config(thread)));
        const error = await (
          await startWorker([after])
        ).runUntil(caught(client.graph(before).invoke(new Command({ resume: 'yes' }), config(thread))));
        check(error, UnknownNodeError, {
          code: 'UNKNOWN_NODE',
          threadId: thread,
          node: 'ask',
          message: /routed to "added", which the graph shape this thread started with does not have/,
        });
      },
      { worker: false },
    );
  });

  it('throws the errors that never cross Temporal where they are made, with their fields', async () => {
    const definition = await caught(
      Promise.resolve().then(() =>
        new StateGraph(State)
          .addNode('a', () => ({}))
          .addEdge('a', 'b' as never)
          .compile({ name: 'rt-bad' }),
      ),
    );
    const graphError = check(definition, GraphDefinitionError, {
      code: 'GRAPH_DEFINITION',
      threadId: undefined,
      node: undefined,
      fields: { graph: 'rt-bad' },
    });
    assert.ok(graphError.problems.length > 0);
    check(await caught(GraphClient.connect({ address: '127.0.0.1:1' })), ServerUnreachableError, {
      code: 'SERVER_UNREACHABLE',
      threadId: undefined,
      node: undefined,
      fields: { address: '127.0.0.1:1' },
    });
    await withGraphs([streams], async ({ client }) => {
      check(await caught(client.graph(streams).invoke({}, { configurable: {} } as never)), MissingThreadIdError, {
        code: 'MISSING_THREAD_ID',
        threadId: undefined,
        node: undefined,
      });
      // The CLI's show, audit and resume read a thread this way.
      const missing = threadId('rt-missing');
      check(await caught(describeThread(client, missing)), ThreadNotFoundError, {
        code: 'THREAD_NOT_FOUND',
        threadId: missing,
        node: undefined,
        message: /does not exist/,
      });
      const thread = threadId('rt-parent-input');
      check(
        await caught(client.graph(streams).invoke(new Command({ graph: Command.PARENT, goto: 'ask' }), config(thread))),
        NoParentGraphError,
        {
          code: 'NO_PARENT_GRAPH',
          threadId: thread,
          node: undefined,
          message: /passed to invoke\(\) for thread/,
        },
      );
    });
  });
});
