/**
 * A node that fails after its retries parks the thread instead of ending it: the run stays open with status
 * `error`, and a retry or a new answer to the interrupt the node ran with takes it on (issue: a human's bad answer
 * is recoverable, never fatal).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  Command,
  END,
  InvalidResumeError,
  NodeFailedError,
  START,
  StateGraph,
  ThreadBusyError,
  interrupt,
} from '../../src/index.js';
import { MEMO_KEY, type ThreadMemo } from '../../src/protocol/memo.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { temporalJson } from '../helpers/temporal-cli.js';
import { listedAs } from '../helpers/visibility.js';
import { threadId, withGraphs } from '../helpers/env.js';

const Decision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('edit'), args: z.record(z.string(), z.unknown()).optional() }),
  z.object({ action: z.literal('reject') }),
]);

/** A tool-call review whose node fails on an edit without args (a bug the schema does not catch). */
function reviewGraph(name: string, onNodeFailure?: 'park' | 'fail') {
  return new StateGraph(z.object({ call: z.string(), outcome: z.string().optional() }))
    .addNode(
      'review',
      (s) => {
        const answer = interrupt({ question: `Run ${s.call}?` });
        const decision = Decision.parse(answer);
        if (decision.action === 'edit' && !decision.args) throw new Error('an edit needs "args"');
        return { outcome: decision.action === 'edit' ? `edited ${JSON.stringify(decision.args)}` : decision.action };
      },
      { retryPolicy: { maxAttempts: 2, initialInterval: 50 } },
    )
    .addEdge(START, 'review')
    .addEdge('review', END)
    .compile(onNodeFailure ? { name, onNodeFailure } : { name });
}

/** Fails until the test repairs it: a deploy fixing a broken dependency. */
const outage = { broken: true };
const flakyGraph = new StateGraph(z.object({ n: z.number(), out: z.number().optional() }))
  .addNode('prepare', (s) => ({ n: s.n + 1 }))
  .addNode(
    'call_api',
    (s) => {
      if (outage.broken) throw new Error('upstream unavailable');
      return { out: s.n * 10 };
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addEdge(START, 'prepare')
  .addEdge('prepare', 'call_api')
  .addEdge('call_api', END)
  .compile({ name: 'parked-flaky' });

interface Described {
  workflowExecutionInfo: { status: string };
}

describe('a node that fails after its retries', () => {
  it('parks the thread on a bad answer; answering the same interrupt again runs the node with the new answer', async () => {
    const graph = reviewGraph('parked-review');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('reanswer');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ call: 'send_email' }, config);
      const interruptId = paused.__interrupt__![0]!.id;

      await assert.rejects(handle.invoke(new Command({ resume: { action: 'edit' } }), config), (error: unknown) => {
        assert.ok(error instanceof NodeFailedError, String(error));
        assert.match((error as Error).message, /Node "review" failed/);
        assert.match((error as Error).message, /an edit needs "args"/);
        assert.match((error as Error).message, /parked/);
        assert.match((error as Error).message, new RegExp(`interrupt "${interruptId}"`));
        return true;
      });

      const parked = await handle.getState(config);
      assert.equal(parked.status, 'error');
      assert.deepEqual(parked.next, ['review']);
      assert.equal(parked.failures?.length, 1);
      assert.equal(parked.failures![0]!.node, 'review');
      assert.match(parked.failures![0]!.error.message, /an edit needs "args"/);
      assert.deepEqual(parked.failures![0]!.interrupt, { id: interruptId, answer: { action: 'edit' } });
      assert.deepEqual(
        parked.tasks[0]!.interrupts.map((i) => i.id),
        [interruptId],
        'the answered interrupt can be answered again',
      );
      assert.match(parked.tasks[0]!.error!.message, /an edit needs "args"/);

      // Stock tools see it: the run is open, its status is "error", the memo says what failed and with what.
      const described = await temporalJson<Described>(['workflow', 'describe', '--workflow-id', thread]);
      assert.equal(described.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_RUNNING');
      const memo = (await client.temporal.workflow.getHandle(thread).describe()).memo?.[MEMO_KEY] as
        ThreadMemo | undefined;
      assert.equal(memo?.status, 'error');
      assert.equal(memo?.failures?.[0]?.node, 'review');
      assert.deepEqual(memo?.failures?.[0]?.interrupt, { id: interruptId, answer: { action: 'edit' } });
      assert.deepEqual(
        memo?.interrupts.map((i) => i.id),
        [interruptId],
      );
      await listedAs(client, thread, 'DurableGraphStatus="error"');

      // New input would drop the failed step: refused, naming how to go on.
      await assert.rejects(handle.invoke({ call: 'other' }, config), (error: unknown) => {
        assert.ok(error instanceof ThreadBusyError);
        assert.match((error as Error).message, /parked on a node that failed/);
        return true;
      });

      const done = await handle.invoke(new Command({ resume: { action: 'edit', args: { to: 'ops' } } }), config);
      assert.equal(done.outcome, 'edited {"to":"ops"}');
      const final = await handle.getState(config);
      assert.equal(final.status, 'completed');

      const trail = await handle.getAuditTrail(config);
      const answers = trail.filter((e) => e.action === 'resume');
      assert.deepEqual(
        answers.map((e) => [e.outcome, e.input]),
        [
          ['applied', { resume: { action: 'edit' } }],
          ['applied', { resume: { action: 'edit', args: { to: 'ops' } } }],
        ],
        'both answers are audited',
      );
      assert.deepEqual(
        answers.map((e) => e.interrupts.map((i) => i.id)),
        [[interruptId], [interruptId]],
      );
    });
  });

  it('parks on an outage; invoke(null) after the fix runs the failed node again and keeps the steps before it', async () => {
    await withGraphs([flakyGraph], async ({ client }) => {
      outage.broken = true;
      const handle = client.graph(flakyGraph);
      const config = { configurable: { thread_id: threadId('retry') } };
      await assert.rejects(handle.invoke({ n: 1 }, config), (error: unknown) => {
        assert.ok(error instanceof NodeFailedError);
        assert.match((error as Error).message, /upstream unavailable/);
        assert.doesNotMatch((error as Error).message, /answer .* again/, 'no interrupt to answer again');
        return true;
      });
      const parked = await handle.getState(config);
      assert.equal(parked.status, 'error');
      assert.deepEqual(parked.values, { n: 2 });
      assert.deepEqual(parked.tasks.find((t) => t.name === 'call_api')?.interrupts, []);

      // A resume value has nowhere to go: refused, nothing applied, still parked.
      await assert.rejects(handle.invoke(new Command({ resume: 'go' }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError, String(error));
        assert.match((error as Error).message, /parked on node "call_api"/);
        return true;
      });
      // Retrying while still broken parks it again.
      await assert.rejects(handle.invoke(null, config), NodeFailedError);
      assert.equal((await handle.getState(config)).status, 'error');

      outage.broken = false;
      const done = await handle.invoke(null, config);
      assert.deepEqual(done, { n: 2, out: 20 });
      const trail = await handle.getAuditTrail(config);
      assert.equal(
        trail.filter((e) => e.action === 'resume' && e.outcome === 'applied').length,
        2,
        'each retry is audited',
      );
    });
  });

  it('lets updateState(asNode) stand in for the failed node, then continues', async () => {
    await withGraphs([flakyGraph], async ({ client }) => {
      outage.broken = true;
      const handle = client.graph(flakyGraph);
      const config = { configurable: { thread_id: threadId('as-node') } };
      await assert.rejects(handle.invoke({ n: 4 }, config), NodeFailedError);
      await handle.updateState(config, { out: -1 }, 'call_api');
      const done = await handle.invoke(null, config);
      assert.deepEqual(done, { n: 5, out: -1 });
    });
  });

  it("ends the run Failed with compile({ onNodeFailure: 'fail' })", async () => {
    const graph = reviewGraph('failing-review', 'fail');
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('fail');
      const config = { configurable: { thread_id: thread } };
      await handle.invoke({ call: 'x' }, config);
      await assert.rejects(handle.invoke(new Command({ resume: { action: 'edit' } }), config), (error: unknown) => {
        assert.ok(error instanceof NodeFailedError);
        assert.doesNotMatch((error as Error).message, /parked/);
        return true;
      });
      const described = await temporalJson<Described>(['workflow', 'describe', '--workflow-id', thread]);
      assert.equal(described.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_FAILED');
      assert.equal((await handle.getState(config)).status, 'failed');
    });
  });
});

describe('a parked thread from the durable-graph CLI', () => {
  it('shows what failed with which answer, takes a new answer with `resume`, and says how to retry', async () => {
    const graph = reviewGraph('parked-review-cli');
    await withGraphs([graph], async (env) => {
      const handle = env.client.graph(graph);
      const thread = threadId('cli-reanswer');
      await handle.invoke({ call: 'send_email' }, { configurable: { thread_id: thread } });

      const bad = await durableGraph(env, ['resume', thread, '{"action": "edit"}']);
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(bad.stderr, /an edit needs "args"/);
      assert.match(bad.stderr, /parked/);
      // The advice is in CLI words: retry, or a new answer.
      assert.match(bad.stderr, new RegExp(`Run the node again with \`durable-graph retry ${thread}\``));
      assert.doesNotMatch(bad.stderr, /invoke\(|--continue/);

      // Listed among parked threads, with what failed; the default list of paused threads points there.
      await listedAs(env.client, thread, 'DurableGraphStatus="error"');
      const parked = await durableGraph(env, ['threads', '--status', 'error']);
      assert.equal(parked.code, 0, parked.stderr);
      assert.ok(parked.stdout.includes(thread), parked.stdout);
      assert.match(parked.stdout, /failed in review: Error: "an edit needs \\"args\\""/);
      assert.match(parked.stdout, /durable-graph retry <thread>/);
      const paused = await durableGraph(env, ['threads']);
      assert.match(
        paused.stdout,
        /thread\(s\) parked on a failed node: list them with `durable-graph threads --status error`/,
      );

      const shown = await durableGraph(env, ['show', thread]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /Status\s+error/);
      assert.match(shown.stdout, /node "review" failed after its retries: Error: an edit needs "args"/);
      assert.match(shown.stdout, /it ran with the answer \{"action":"edit"\}/);
      assert.match(shown.stdout, new RegExp(`durable-graph retry ${thread}`));

      const good = await durableGraph(env, ['resume', thread, '{"action": "edit", "args": {"to": "ops"}}']);
      assert.equal(good.code, 0, good.stderr);
      assert.match(good.stdout, /Completed/);
      assert.match(good.stdout, /edited \{\\"to\\":\\"ops\\"\}/);
    });
  });

  it('runs the failed node again with `retry`, and refuses `retry` on a thread that is not parked', async () => {
    await withGraphs([flakyGraph], async (env) => {
      outage.broken = true;
      const thread = threadId('cli-retry');
      await assert.rejects(env.client.graph(flakyGraph).invoke({ n: 1 }, { configurable: { thread_id: thread } }));

      const again = await durableGraph(env, ['retry', thread]);
      assert.equal(again.code, 1, again.stderr);
      assert.match(again.stderr, /upstream unavailable/);

      outage.broken = false;
      const fixed = await durableGraph(env, ['retry', thread]);
      assert.equal(fixed.code, 0, fixed.stderr);
      assert.match(fixed.stdout, /Completed/);
      assert.match(fixed.stdout, /"out": 20/);

      const done = await durableGraph(env, ['retry', thread]);
      assert.equal(done.code, 2, done.stderr);
      assert.match(done.stderr, /no pending interrupt|completed/);
    });
  });
});
