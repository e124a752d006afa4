/**
 * Values too large for a thread are refused where they enter, with nothing written: a resume value, an input or an
 * updateState from the client, and a node's result on the worker. A too-large value used to get a paused run
 * terminated by the server (a workflow task over the 4 MB message limit), or its workflow tasks failing in a loop.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command, END, PayloadTooLargeError, START, StateGraph, interrupt, step } from '../../src/index.js';
import { MAX_VALUE_BYTES } from '../../src/protocol/payload-size.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { eventually } from '../helpers/temporal-cli.js';

/** A string whose JSON is about 1.4 MB: over the limit, under Temporal's own 2 MiB per payload. */
const big = 'x'.repeat(1_400_000);
/** A string whose JSON is about 3 MB: over Temporal's own 2 MiB per payload as well. */
const huge = 'x'.repeat(3_000_000);

function isTooLarge(what: RegExp, thread: string) {
  return (error: unknown) => {
    assert.ok(error instanceof PayloadTooLargeError, String(error));
    assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(error.threadId, thread);
    assert.match(error.what, what);
    assert.ok(error.bytes > MAX_VALUE_BYTES, String(error.bytes));
    assert.equal(error.limit, MAX_VALUE_BYTES);
    assert.match(error.message, /1\.34 MiB of JSON, 343\.\d KiB over the 1\.00 MiB .*: nothing was sent/);
    return true;
  };
}

/** Three nodes each add 0.6 MB, each within its own limit: the state outgrows what a thread carries at the third. */
const growingGraph = new StateGraph(
  z.object({ a: z.string().optional(), b: z.string().optional(), c: z.string().optional(), d: z.boolean().optional() }),
)
  .addNode('n1', () => ({ a: 'a'.repeat(600_000) }))
  .addNode('n2', () => ({ b: 'b'.repeat(600_000) }))
  .addNode('n3', () => ({ c: 'c'.repeat(600_000) }))
  .addNode('n4', () => ({ d: true }))
  .addEdge(START, 'n1')
  .addEdge('n1', 'n2')
  .addEdge('n2', 'n3')
  .addEdge('n3', 'n4')
  .addEdge('n4', END)
  .compile({ name: 'payload-growing-state' });

let runs = 0;
const bloatGraph = new StateGraph(z.object({ n: z.number(), text: z.string().optional() }))
  .addNode('bloat', () => {
    runs++;
    return { text: big };
  })
  .addEdge(START, 'bloat')
  .addEdge('bloat', END)
  .compile({ name: 'payload-bloat' });

let asks = 0;
const bigInterruptGraph = new StateGraph(z.object({ n: z.number(), answer: z.unknown().optional() }))
  .addNode('ask', () => {
    asks++;
    return { answer: interrupt({ question: 'Approve this attachment?', attachment: big }) };
  })
  .addEdge(START, 'ask')
  .addEdge('ask', END)
  .compile({ name: 'payload-big-interrupt' });

let fetches = 0;
const bigStepGraph = new StateGraph(z.object({ n: z.number() }))
  .addNode('fetch', async () => {
    fetches++;
    const page = await step('download', () => huge);
    return { n: page.length };
  })
  .addEdge(START, 'fetch')
  .addEdge('fetch', END)
  .compile({ name: 'payload-big-step' });

let reviews = 0;
const countedReviewGraph = new StateGraph(z.object({ request: z.string(), approved: z.unknown().optional() }))
  .addNode('review', () => {
    reviews++;
    return { approved: interrupt({ question: 'Approve?' }) };
  })
  .addEdge(START, 'review')
  .addEdge('review', END)
  .compile({ name: 'payload-counted-review' });

describe('values too large for a thread', () => {
  it('refuses a 1.4 MB resume before sending it: the thread stays paused and takes a normal answer', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('big-resume');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config);

      await assert.rejects(graph.invoke(new Command({ resume: big }), config), isTooLarge(/resume value/, thread));
      await assert.rejects(
        graph.invoke(new Command({ resume: true, update: { request: big } }), config),
        isTooLarge(/update/, thread),
      );
      await assert.rejects(graph.updateState(config, { request: big }), isTooLarge(/updateState/, thread));

      const state = await graph.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(
        (await graph.getAuditTrail(config)).map((e) => e.action),
        ['start'],
        'nothing reached the thread',
      );
      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send email about Q3 report');
    });
  });

  it('refuses a 1.4 MB resume sent by a plain Temporal client, as a Signal or an Update (or updateState), with nothing applied', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('big-raw-resume');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config);
      const handle = env.client.temporal.workflow.getHandle(thread);

      await assert.rejects(handle.executeUpdate('resume', { args: [{ resume: big }] }), (error: unknown) => {
        const cause = (error as { cause?: { type?: string; message?: string } }).cause;
        assert.equal(cause?.type, 'PAYLOAD_TOO_LARGE', String(error));
        assert.match(cause?.message ?? '', /The resume sent to thread .* over the 1\.00 MiB .*not applied/);
        return true;
      });
      await assert.rejects(
        handle.executeUpdate('updateState', { args: [{ values: { request: big } }] }),
        (error: unknown) => {
          const cause = (error as { cause?: { type?: string } }).cause;
          assert.equal(cause?.type, 'PAYLOAD_TOO_LARGE', String(error));
          return true;
        },
      );
      await handle.signal('resume', { resume: big });
      const refused = await eventually(async () => {
        const state = await graph.getState(config);
        return state.rejectedResumes.length ? state : undefined;
      }, 'the refused Signal in the thread state');
      assert.equal(refused.status, 'interrupted');
      assert.match(refused.rejectedResumes[0]!.reason, /over the 1\.00 MiB .*not applied/);
      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send email about Q3 report');
    });
  });

  it('refuses a 1.4 MB input before starting the thread', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('big-input');
      await assert.rejects(
        env.client.graph(approvalGraph).invoke({ request: big }, { configurable: { thread_id: thread } }),
        isTooLarge(/input/, thread),
      );
      await assert.rejects(env.client.temporal.workflow.getHandle(thread).describe(), /not found/i);
    });
  });

  it('fails a node whose result is too large at once, with no retry, and parks the thread with nothing lost', async () => {
    await withGraphs([bloatGraph], async (env) => {
      const thread = threadId('big-result');
      const config = { configurable: { thread_id: thread } };
      runs = 0;
      await assert.rejects(env.client.graph(bloatGraph).invoke({ n: 1 }, config), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError, String(error));
        assert.equal(error.node, 'bloat');
        assert.match(error.message, /The result of node "bloat" .* not recorded .*parked/s);
        return true;
      });
      assert.equal(runs, 1, 'no retry: the same result would be as large');
      const state = await env.client.graph(bloatGraph).getState(config);
      assert.equal(state.status, 'error');
      assert.deepEqual(state.values, { n: 1 });
    });
  });

  it('fails the node whose result would grow the state past what a thread carries, and parks the thread with the state before it', async () => {
    await withGraphs([growingGraph], async (env) => {
      const thread = threadId('growing-state');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(growingGraph);
      await assert.rejects(graph.invoke({}, config), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError, String(error));
        assert.equal(error.threadId, thread);
        assert.equal(error.node, 'n3');
        assert.match(error.what, /state after node "n3"/);
        assert.match(
          error.message,
          /The state of thread .* after node "n3" .* is 1\.7\d MiB of JSON, .* over the 1\.50 MiB a thread's state may have without External Storage.*turn on External Storage/s,
        );
        return true;
      });
      const state = await graph.getState(config);
      assert.equal(state.status, 'error');
      assert.deepEqual(Object.keys(state.values).sort(), ['a', 'b']);
      assert.deepEqual(state.next, ['n3']);
    });
  });

  it('fails a node whose interrupt payload alone is too large at once, naming the node and the payload, and parks the thread with nothing lost', async () => {
    await withGraphs([bigInterruptGraph], async (env) => {
      const thread = threadId('big-interrupt');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(bigInterruptGraph);
      asks = 0;
      await assert.rejects(graph.invoke({ n: 1 }, config), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError, String(error));
        assert.equal(error.threadId, thread);
        assert.equal(error.node, 'ask');
        assert.match(error.what, /interrupt payload of node "ask"/);
        assert.ok(error.bytes > MAX_VALUE_BYTES, String(error.bytes));
        assert.match(
          error.message,
          /The interrupt payload of node "ask" in thread .* is 1\.34 MiB of JSON, 343\.\d KiB over the 1\.00 MiB .*not recorded.*parked/s,
        );
        return true;
      });
      assert.equal(asks, 1, 'no retry: the same payload would be as large');
      const state = await graph.getState(config);
      assert.equal(state.status, 'error');
      assert.deepEqual(state.values, { n: 1 });
      assert.deepEqual(state.next, ['ask']);
      assert.equal((await env.client.temporal.workflow.getHandle(thread).describe()).status.name, 'RUNNING');
    });
  });

  it("fails a node whose step() result alone is too large (3 MB, over Temporal's own limit) at once, naming the step, and parks the thread", async () => {
    await withGraphs([bigStepGraph], async (env) => {
      const thread = threadId('big-step');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(bigStepGraph);
      fetches = 0;
      await assert.rejects(graph.invoke({ n: 1 }, config), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError, String(error));
        assert.equal(error.threadId, thread);
        assert.equal(error.node, 'fetch');
        assert.match(error.what, /step\("download"\)/);
        assert.match(
          error.message,
          /The result of step\("download"\) in node "fetch" .* is 2\.86 MiB of JSON, 1\.86 MiB over the 1\.00 MiB .*not recorded.*parked/s,
        );
        return true;
      });
      assert.equal(fetches, 1, 'no retry: the same result would be as large');
      const state = await graph.getState(config);
      assert.equal(state.status, 'error');
      assert.deepEqual(state.values, { n: 1 });
    });
  });

  it("refuses a 3 MB resume (over Temporal's own 2 MiB) from our client before sending it; from a plain Temporal client the server refuses it, the paused node is not re-run, and a normal answer completes the thread", async () => {
    await withGraphs([countedReviewGraph], async (env) => {
      const thread = threadId('huge-resume');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(countedReviewGraph);
      reviews = 0;
      await graph.invoke({ request: 'Q3 report' }, config);
      assert.equal(reviews, 1);

      await assert.rejects(graph.invoke(new Command({ resume: huge }), config), (error: unknown) => {
        assert.ok(error instanceof PayloadTooLargeError, String(error));
        assert.equal(error.threadId, thread);
        assert.match(
          error.message,
          /The resume value is 2\.86 MiB of JSON, 1\.86 MiB over the 1\.00 MiB .*: nothing was sent/,
        );
        return true;
      });

      // A Signal over 2 MiB is refused by the server as it arrives: nothing is recorded.
      const handle = env.client.temporal.workflow.getHandle(thread);
      await assert.rejects(handle.signal('resume', { resume: huge }), (error: unknown) => {
        assert.match(String((error as { cause?: unknown }).cause), /INVALID_ARGUMENT: Blob data size exceeds limit/);
        return true;
      });
      // An Update reaches the worker, which cannot answer it: Temporal echoes the request in the answer, over the same
      // limit, so the workflow task fails until the server gives up on the Update (about 20 s) and tells the caller.
      await assert.rejects(handle.executeUpdate('resume', { args: [{ resume: huge }] }), (error: unknown) => {
        assert.match(String((error as { cause?: unknown }).cause), /FAILED_PRECONDITION/);
        return true;
      });
      const state = await eventually(
        () => graph.getState(config).catch(() => undefined),
        'the thread answering reads again',
        60_000,
      );
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.rejectedResumes, []);
      assert.deepEqual(
        (await graph.getAuditTrail(config)).map((e) => e.action),
        ['start'],
        'nothing was applied',
      );
      assert.equal(reviews, 1, 'the paused node did not run while its workflow task failed');

      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.approved, true);
      assert.equal(reviews, 2, 'the paused node ran once more, for the answer that was applied');
    });
  });
});
