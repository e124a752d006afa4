/**
 * Rewinding a thread to a pause, as an operator does it: the real `durable-graph` CLI (a child process) and the
 * client against the dev server, with a worker in this process. A wrong answer that a node already ran with is undone,
 * the interrupt is pending again, a new answer runs the node with the new value, and the audit trail says who rewound
 * what and which answers were undone. Also: back to an earlier pause of a two-question graph, an answer sent as a
 * Signal (the interrupt keeps its id too), the equivalent `temporal workflow reset`, and the refusals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command, END, START, StateGraph, interrupt, isDurableGraphError, ErrorCode } from '../../src/index.js';
import type { RewindRefusedError } from '../../src/index.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { temporalCli } from '../helpers/temporal-cli.js';

/** Asks two questions in two nodes, then writes both answers. */
const twoQuestions = new StateGraph(
  z.object({ first: z.string().optional(), second: z.string().optional(), summary: z.string().optional() }),
)
  .addNode('ask_first', () => ({ first: interrupt<string>({ question: 'First?' }) }))
  .addNode('ask_second', () => ({ second: interrupt<string>({ question: 'Second?' }) }))
  .addNode('summarize', (s) => ({ summary: `${s.first} then ${s.second}` }))
  .addEdge(START, 'ask_first')
  .addEdge('ask_first', 'ask_second')
  .addEdge('ask_second', 'summarize')
  .addEdge('summarize', END)
  .compile({ name: 'rewind-two-questions' });

/** Reviews a tool call: the answer must carry `args` when it edits them, else the node fails (no retry). */
const toolReview = new StateGraph(z.object({ args: z.string().optional(), sent: z.string().optional() }))
  .addNode(
    'review',
    () => {
      const answer = interrupt<{ action: string; args?: string }>({ question: 'Send it?', args: 'to: ops' });
      if (answer.action === 'edit' && answer.args === undefined) throw new Error('edit without args');
      return { args: answer.args ?? 'to: ops' };
    },
    { retryPolicy: { maxAttempts: 1 } },
  )
  .addNode('send', (s) => ({ sent: `sent ${s.args}` }))
  .addEdge(START, 'review')
  .addEdge('review', 'send')
  .addEdge('send', END)
  .compile({ name: 'rewind-tool-review' });

const pendingOf = (tasks: ReadonlyArray<{ name: string; interrupts: ReadonlyArray<{ id?: string }> }>) =>
  tasks.flatMap((t) => t.interrupts.map((i) => ({ node: t.name, id: i.id })));

describe('rewinding a thread to a pause', () => {
  it('undoes a wrong answer the node already ran with: pending again under the same id, answered anew, all audited', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('rewind');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(approvalGraph);
      const paused = await graph.invoke({ request: 'Q3 report' }, config);
      const id = paused.__interrupt__![0]!.id;

      const wrong = await durableGraph(env, ['resume', thread, 'false', '--identity', 'alice']);
      assert.equal(wrong.code, 0, wrong.stderr);
      assert.equal((await graph.getState(config)).values.result, 'REJECTED: send email about Q3 report');

      const rewound = await durableGraph(env, ['rewind', thread, '--reason', 'meant yes', '--identity', 'carol']);
      assert.equal(rewound.code, 0, rewound.stderr);
      assert.match(
        rewound.stdout,
        new RegExp(`Rewound thread "${thread}" \\(graph "approval"\\) to the pause of interrupt ${id}`),
      );
      assert.match(rewound.stdout, /Undone \(1\):\n.*alice {2}resume \(update\): .* = false/);
      assert.match(rewound.stdout, new RegExp(`Pending again \\(1\\):\\n {2}interrupt ${id} in node "human_review"`));
      assert.match(rewound.stdout, new RegExp(`durable-graph resume ${thread} '<value>'`));
      assert.match(rewound.stdout, /--input '\{"resume": <value>\}'/);
      assert.doesNotMatch(rewound.stdout, /\btrue\b/, 'no answer is suggested');

      // The new run replayed to the pause on this worker and waits on the same interrupt.
      const state = await graph.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(pendingOf(state.tasks), [{ node: 'human_review', id }]);
      assert.equal(state.values.result, undefined, 'what the nodes after the pause wrote is undone');

      const right = await durableGraph(env, ['resume', thread, 'true', '--identity', 'alice']);
      assert.equal(right.code, 0, right.stderr);
      const done = await graph.getState(config);
      assert.deepEqual(
        [done.status, done.values.approved, done.values.result],
        ['completed', true, 'EXECUTED: send email about Q3 report'],
      );

      const trail = await graph.getAuditTrail(config);
      assert.deepEqual(
        trail.map((e) => [e.action, e.identity, e.interrupts.map((i) => [i.id, i.value])]),
        [
          ['start', trail[0]!.identity, []],
          ['resume', 'alice', [[id, false]]],
          ['rewind', 'carol', [[id, undefined]]],
          ['resume', 'alice', [[id, true]]],
        ],
      );
      const [, undone, rewind, answer] = trail;
      assert.deepEqual(undone!.undoneBy, { runId: rewind!.runId, eventId: rewind!.eventId });
      assert.deepEqual(
        [rewind!.reason, rewind!.rewoundTo, rewind!.undone],
        ['meant yes', { id, node: 'human_review' }, [{ id, node: 'human_review', value: false }]],
      );
      assert.notEqual(rewind!.runId, undone!.runId, 'the thread went on in a new run');
      assert.equal(answer!.runId, rewind!.runId);
      assert.ok(rewind!.at > undone!.at, 'the rewind is listed when it happened, not at the original start');

      const audit = await durableGraph(env, ['audit', thread]);
      assert.equal(audit.code, 0, audit.stderr);
      assert.match(audit.stdout, /carol +rewind +to \w{32} \(human_review\) +undid false +applied/);
      assert.match(audit.stdout, /false +applied, undone by the rewind in run 2/);
      assert.equal(audit.stdout.match(/ start /g)?.length, 1, 'one start, not a second one for the new run');
    });
  });

  it('recovers a thread whose node failed on a bad answer: rewound, answered again, completed', async () => {
    await withGraphs([toolReview], async (env) => {
      const thread = threadId('rewind-failed');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(toolReview);
      const id = (await graph.invoke({}, config)).__interrupt__![0]!.id;
      await assert.rejects(graph.invoke(new Command({ resume: { action: 'edit' } }), config), /parked/);
      assert.equal((await graph.getState(config)).status, 'error', 'the node failed on the answer: the thread parked');

      const rewound = await durableGraph(env, ['rewind', thread, '--reason', 'edit without args']);
      assert.equal(rewound.code, 0, rewound.stderr);
      assert.match(rewound.stdout, new RegExp(`interrupt ${id} in node "review"`));
      const done = await graph.invoke(new Command({ resume: { action: 'edit', args: 'to: sales' } }), config);
      assert.deepEqual([done.args, done.sent], ['to: sales', 'sent to: sales']);
      const trail = await graph.getAuditTrail(config);
      assert.deepEqual(
        trail.map((e) => e.action),
        ['start', 'resume', 'rewind', 'resume'],
      );
      assert.deepEqual(trail[2]!.undone, [{ id, node: 'review', value: { action: 'edit' } }]);
    });
  });

  it('goes back to an earlier pause of a paused thread with --to-pause, undoing every answer since', async () => {
    await withGraphs([twoQuestions], async (env) => {
      const thread = threadId('rewind-two');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(twoQuestions);
      const first = (await graph.invoke({}, config)).__interrupt__![0]!.id;
      const second = (await graph.invoke(new Command({ resume: 'tea' }), config)).__interrupt__![0]!.id;

      const rewound = await durableGraph(env, ['rewind', thread, '--to-pause', first, '--identity', 'carol', '--json']);
      assert.equal(rewound.code, 0, rewound.stderr);
      const result = JSON.parse(rewound.stdout) as {
        pause: { id: string; node: string };
        pending: Array<{ id: string; node: string }>;
        undone: Array<{ interrupts: Array<{ value: unknown }> }>;
        keepsInterruptId: boolean;
        settled: boolean;
        resumeCommands: string[];
      };
      assert.deepEqual([result.pause.id, result.pause.node], [first, 'ask_first']);
      assert.deepEqual(
        result.pending.map((p) => [p.id, p.node]),
        [[first, 'ask_first']],
      );
      assert.deepEqual(
        result.undone.map((u) => u.interrupts.map((i) => i.value)),
        [['tea']],
      );
      assert.deepEqual([result.keepsInterruptId, result.settled], [true, true]);
      assert.deepEqual(result.resumeCommands, [
        `durable-graph resume ${thread} '<value>' --address ${env.address} --namespace ${env.namespace}`,
      ]);

      assert.deepEqual(pendingOf((await graph.getState(config)).tasks), [{ node: 'ask_first', id: first }]);
      const again = await graph.invoke(new Command({ resume: 'coffee' }), config);
      const nextId = again.__interrupt__![0]!.id;
      assert.equal(again.first, 'coffee');
      assert.notEqual(nextId, second, 'the second question is a new pause');
      const done = await graph.invoke(new Command({ resume: 'cake' }), config);
      assert.equal(done.summary, 'coffee then cake');

      const trail = await graph.getAuditTrail(config);
      assert.deepEqual(
        trail.map((e) => [e.action, e.interrupts.map((i) => i.value)]),
        [
          ['start', []],
          ['resume', ['tea']],
          ['rewind', [undefined]],
          ['resume', ['coffee']],
          ['resume', ['cake']],
        ],
      );
      assert.ok(
        trail.every((e) => e.action !== 'terminate'),
        "the reset's termination of the paused run is the rewind, not a termination",
      );
    });
  });

  it('re-opens a pause answered by a Signal under the same id, and reads a stock `temporal workflow reset` as a rewind', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('rewind-signal');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(approvalGraph);
      const id = (await graph.invoke({ request: 'budget' }, config)).__interrupt__![0]!.id;
      await env.client.temporal.workflow.getHandle(thread).signal('resume', { resume: false });
      await env.client.temporal.workflow.getHandle(thread).result();

      // The dry run says what a rewind would do and the stock command that does the same; nothing changes.
      const plan = await durableGraph(env, ['rewind', thread, '--dry-run']);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, new RegExp(`would be pending again under the same id \\(${id}\\)`));
      assert.match(plan.stdout, /Nothing was changed\./);
      const stock = /^ {2}temporal (workflow reset .*)$/m.exec(plan.stdout)?.[1];
      assert.ok(stock, plan.stdout);
      assert.equal((await graph.getState(config)).status, 'completed');

      // Run it as printed (minus the connection flags temporalCli adds itself).
      const words = [...stock.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const flagAt = words.indexOf('--address');
      if (flagAt >= 0) words.splice(flagAt, 2);
      const nsAt = words.indexOf('--namespace');
      if (nsAt >= 0) words.splice(nsAt, 2);
      const reset = await temporalCli(words);
      assert.equal(reset.code, 0, reset.stderr);

      const state = await eventuallyPaused(graph, config);
      const [reopened] = pendingOf(state.tasks);
      assert.equal(reopened!.node, 'human_review');
      // Temporal re-seeds a reset run; the id derives from the node's task, which an earlier workflow task made.
      assert.equal(reopened!.id, id);
      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send email about budget');

      const trail = await graph.getAuditTrail(config);
      assert.deepEqual(
        trail.map((e) => [e.action, e.via]),
        [
          ['start', undefined],
          ['resume', 'signal'],
          ['rewind', undefined],
          ['resume', 'update'],
        ],
      );
      const rewind = trail[2]!;
      assert.notEqual(rewind.identity, '', 'the OS user the stock CLI puts in front of the reason');
      assert.deepEqual(rewind.rewoundTo, { id, node: 'human_review' });
      assert.deepEqual(rewind.interrupts, [{ id: reopened!.id, node: 'human_review' }]);
      assert.deepEqual(rewind.undone, [{ id, node: 'human_review', value: false }]);

      // Through the client, a second rewind (to the re-opened pause) says the id stays this time.
      const again = await graph.rewind(config, { reason: 'once more' });
      assert.deepEqual([again.pause.id, again.keepsInterruptId, again.settled], [reopened!.id, true, true]);
      assert.deepEqual(
        again.pending.map((p) => p.id),
        [reopened!.id],
      );
    });
  });

  it('refuses an unknown interrupt id or a thread with no answered pause, listing what it can go back to', async () => {
    await withGraphs([twoQuestions], async (env) => {
      const thread = threadId('rewind-refused');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(twoQuestions);
      const first = (await graph.invoke({}, config)).__interrupt__![0]!.id;

      const nothing = await durableGraph(env, ['rewind', thread]);
      assert.equal(nothing.code, 1);
      assert.match(
        nothing.stderr,
        new RegExp(`Thread "${thread}" has no answered pause to rewind to\\. Nothing was changed\\.`),
      );
      assert.match(nothing.stderr, new RegExp(`It waits for interrupt ${first} \\(node "ask_first"\\)`));
      assert.match(nothing.stderr, new RegExp(`durable-graph resume ${thread} '<value>'`));

      await graph.invoke(new Command({ resume: 'tea' }), config);
      const bogus = 'f'.repeat(32);
      const unknown = await durableGraph(env, ['rewind', thread, '--to-pause', bogus]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, new RegExp(`has no pause with interrupt id "${bogus}" in its latest run`));
      assert.match(
        unknown.stderr,
        new RegExp(
          `Pauses it can be rewound to \\(oldest first\\):\\n {2}${first} {2}node "ask_first" asked \\{"question":"First\\?"\\} at \\S+; answered by \\S+ with "tea" at`,
        ),
      );
      assert.match(unknown.stderr, /\[REWIND_REFUSED\] docs\/errors\.md#rewind_refused/);

      await assert.rejects(graph.rewind(config, { toPause: bogus }), (error: unknown) => {
        assert.ok(isDurableGraphError(error) && error.code === ErrorCode.REWIND_REFUSED);
        assert.deepEqual(
          (error as RewindRefusedError).pauses.map((p) => [p.id, p.node]),
          [[first, 'ask_first']],
        );
        return true;
      });
      // Nothing changed: still paused at the second question, in the same run.
      const state = await graph.getState(config);
      assert.deepEqual(
        pendingOf(state.tasks).map((p) => p.node),
        ['ask_second'],
      );
      assert.equal((await graph.getAuditTrail(config)).filter((e) => e.action === 'rewind').length, 0);

      // New input after the end starts another run: a pause of the earlier run is out of reach, and it says so.
      await graph.invoke(new Command({ resume: 'cake' }), config);
      await graph.invoke({}, config);
      const earlier = await durableGraph(env, ['rewind', thread, '--to-pause', first]);
      assert.equal(earlier.code, 1);
      assert.match(
        earlier.stderr,
        new RegExp(
          `Interrupt "${first}" belongs to an earlier run \\(\\S+\\) of thread "${thread}"; a rewind goes back within the latest run`,
        ),
      );
    });
  });
});

/** getState until the thread is paused (the reset run needs the worker to replay it first). */
async function eventuallyPaused(
  graph: { getState(config: { configurable: { thread_id: string } }): Promise<{ status?: string; tasks: any[] }> },
  config: { configurable: { thread_id: string } },
) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await graph.getState(config).catch(() => undefined);
    if (state?.status === 'interrupted') return state;
    if (Date.now() > deadline) throw new Error('the rewound thread did not pause again within 15 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}
