/**
 * The audit trail (decisions: "Resume by anyone, no record of who" → every resume is a Signal or Update whose
 * history records when, what and who; the audit view shows it): GraphHandle.getAuditTrail and
 * `durable-graph audit`, rebuilt from Temporal history with the identities the server recorded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { AuditEntry } from '../../../src/client.js';
import { GraphClient } from '../../../src/client.js';
import { Command, END, START, StateGraph, interrupt } from '../../../src/index.js';
import { threadId, withGraphs, type GraphTestEnv } from '../../helpers/env.js';
import { durableGraph } from '../../helpers/durable-graph-cli.js';
import { eventually, temporalCli } from '../../helpers/temporal-cli.js';

/** Two human steps: a draft to accept, then a go-ahead to send. */
const reviewGraph = new StateGraph(z.object({ draft: z.string().optional(), sent: z.string().optional() }))
  .addNode('review_draft', () => ({ draft: interrupt<string>({ question: 'Edit or accept the draft' }) }))
  .addNode('approve_send', (s) => ({ sent: `${s.draft} (${interrupt<string>({ question: 'Send it?' })})` }))
  .addEdge(START, 'review_draft')
  .addEdge('review_draft', 'approve_send')
  .addEdge('approve_send', END)
  .compile({ name: 'audit-review' });

function connectAs(env: GraphTestEnv, identity: string): Promise<GraphClient> {
  return GraphClient.connect({ address: env.address, namespace: env.namespace, taskQueue: env.taskQueue, identity });
}

function signal(env: GraphTestEnv, thread: string, input: string, identity?: string) {
  return temporalCli([
    'workflow',
    'signal',
    '--workflow-id',
    thread,
    '--name',
    'resume',
    '--input',
    input,
    ...(identity ? ['--identity', identity] : []),
  ]);
}

const resumes = (entries: AuditEntry[]) => entries.filter((e) => e.action === 'resume');

describe('audit trail', () => {
  it('lists a client resume by "alice", a refused CLI signal by "bob" and an accepted CLI signal, with identities, interrupts and outcomes', async () => {
    await withGraphs([reviewGraph], async (env) => {
      const alice = await connectAs(env, 'alice');
      try {
        const thread = threadId('audit');
        const config = { configurable: { thread_id: thread } };
        const app = alice.graph(reviewGraph);
        const first = (await app.invoke({}, config)).__interrupt__![0]!;
        const second = (await app.invoke(new Command({ resume: 'Hello team' }), config)).__interrupt__![0]!;

        // Bob answers the interrupt Alice already answered: the engine refuses it and nothing changes.
        assert.equal((await signal(env, thread, `{"resume": {"${first.id}": "too late"}}`, 'bob')).code, 0);
        await eventually(
          async () => ((await app.getState(config)).rejectedResumes.length === 1 ? true : undefined),
          'the refused signal to be handled',
        );
        // Someone with the stock CLI and its own identity sends the right answer.
        assert.equal((await signal(env, thread, '{"resume": "ship it"}')).code, 0);
        const final = await alice.temporal.workflow.getHandle(thread).result();
        assert.equal(final.values.sent, 'Hello team (ship it)');

        const trail = await app.getAuditTrail(config);
        const { runId } = await alice.temporal.workflow.getHandle(thread).describe();
        assert.deepEqual(
          trail.map((e) => [e.action, e.via, e.identity, e.outcome]),
          [
            ['start', undefined, 'alice', 'applied'],
            ['resume', 'update', 'alice', 'applied'],
            ['resume', 'signal', 'bob', 'rejected'],
            ['resume', 'signal', trail[3]!.identity, 'applied'],
          ],
        );
        assert.match(trail[3]!.identity, /^temporal-cli:/, 'the temporal CLI sends its own identity');
        assert.ok(trail.every((e) => e.runId === runId && /^\d+$/.test(e.eventId)));
        const times = trail.map((e) => Date.parse(e.at));
        assert.deepEqual(
          [...times].sort((a, b) => a - b),
          times,
          'oldest first',
        );

        const [byAlice, byBob, byCli] = resumes(trail);
        assert.deepEqual(byAlice!.interrupts, [{ id: first.id, node: 'review_draft', value: 'Hello team' }]);
        assert.deepEqual(byAlice!.input, { resume: 'Hello team' });
        assert.equal(byAlice!.outcomeFrom, 'history');

        assert.deepEqual(byBob!.interrupts, []);
        assert.deepEqual(byBob!.pending, [{ id: second.id, node: 'approve_send' }]);
        assert.deepEqual(byBob!.input, { resume: { [first.id]: 'too late' } });
        assert.match(byBob!.reason!, new RegExp(`names interrupt id\\(s\\) "${first.id}" that are not pending`));
        assert.equal(byBob!.outcomeFrom, 'engine', "confirmed by the engine's list in the run's result");

        assert.deepEqual(byCli!.interrupts, [{ id: second.id, node: 'approve_send', value: 'ship it' }]);
        assert.equal(byCli!.outcomeFrom, 'engine');

        const text = await durableGraph(env, ['audit', thread]);
        assert.equal(text.code, 0, text.stderr);
        const lines = text.stdout.split('\n');
        const row = (who: string) => lines.find((l) => l.includes(who) && l.includes('resume')) ?? '';
        assert.match(
          row('alice'),
          new RegExp(`resume \\(update\\)\\s+${first.id} \\(review_draft\\)\\s+"Hello team"\\s+applied`),
        );
        assert.match(
          row('bob'),
          new RegExp(
            `resume \\(signal\\)\\s+none; pending ${second.id} \\(approve_send\\)\\s+\\{"${first.id}":"too late"\\}\\s+rejected \\[1\\]`,
          ),
        );
        assert.match(
          row('temporal-cli:'),
          new RegExp(`resume \\(signal\\)\\s+${second.id} \\(approve_send\\)\\s+"ship it"\\s+applied`),
        );
        assert.ok(
          lines.some((l) => /^\[1\] .*not pending/.test(l)),
          text.stdout,
        );

        const json = await durableGraph(env, ['audit', thread, '--json']);
        assert.equal(json.code, 0, json.stderr);
        assert.deepEqual(JSON.parse(json.stdout), { threadId: thread, graph: 'audit-review', entries: trail });
      } finally {
        await alice.close();
      }
    });
  });

  it('recomputes the verdict of a signal no later record covers, names the durable-graph CLI, and follows a thread across an abandoned run', async () => {
    await withGraphs([reviewGraph], async (env) => {
      const alice = await connectAs(env, 'alice');
      try {
        const thread = threadId('audit-runs');
        const config = { configurable: { thread_id: thread } };
        const app = alice.graph(reviewGraph);
        const first = (await app.invoke({ draft: 'v0' }, config)).__interrupt__![0]!;
        await app.updateState(config, { draft: 'v1' });
        // Our CLI sends the identity it is given...
        const byCarol = await durableGraph(env, ['resume', thread, '"from the cli"', '--identity', 'carol']);
        assert.equal(byCarol.code, 0, byCarol.stderr);
        const second = (await app.getState(config)).tasks[0]!.interrupts[0]!;
        // A refused signal on a thread that stays paused: nothing records the engine's verdict, so it is recomputed.
        assert.equal((await signal(env, thread, '{"resume": null}', 'bob')).code, 0);
        await eventually(
          async () => ((await app.getState(config)).rejectedResumes.length === 1 ? true : undefined),
          'the empty signal to be handled',
        );
        // New input abandons the pause: a termination naming the interrupt, then a new run.
        await app.invoke({ draft: 'v2' }, { ...config, abandonPendingInterrupts: true });
        const third = (await app.getState(config)).tasks[0]!.interrupts[0]!;
        // ...and its own name by default.
        const byDefault = await durableGraph(env, ['resume', thread, '"v2 is fine"', '--signal']);
        assert.equal(byDefault.code, 0, byDefault.stderr);
        await eventually(
          async () => ((await app.getState(config)).next[0] === 'approve_send' ? true : undefined),
          'the signal to be applied',
        );

        const trail = await app.getAuditTrail(config);
        assert.deepEqual(
          trail.map((e) => [
            e.action,
            e.via ?? '',
            e.identity.replace(/^durable-graph-cli:.+@.+$/, 'durable-graph-cli:<user>@<host>'),
            e.outcome,
            e.outcomeFrom,
          ]),
          [
            ['start', '', 'alice', 'applied', 'history'],
            ['updateState', 'update', 'alice', 'applied', 'history'],
            ['resume', 'update', 'carol', 'applied', 'history'],
            ['resume', 'signal', 'bob', 'rejected', 'recomputed'],
            ['terminate', '', 'alice', 'applied', 'history'],
            ['start', '', 'alice', 'applied', 'history'],
            ['resume', 'signal', 'durable-graph-cli:<user>@<host>', 'applied', 'recomputed'],
          ],
        );
        const [start1, edit, carol, empty, terminate, start2, byCli] = trail;
        assert.deepEqual(start1!.input, { input: { draft: 'v0' } });
        assert.deepEqual(edit!.input, { values: { draft: 'v1' } });
        assert.deepEqual(edit!.interrupts, [], 'an edit without asNode answers nothing');
        assert.deepEqual(carol!.interrupts, [{ id: first.id, node: 'review_draft', value: 'from the cli' }]);
        assert.deepEqual(empty!.pending, [{ id: second!.id, node: 'approve_send' }]);
        assert.match(empty!.reason!, /is empty/);
        assert.match(terminate!.reason!, new RegExp(`abandoned the pending interrupt\\(s\\) ${second!.id}`));
        assert.deepEqual(terminate!.interrupts, [{ id: second!.id, node: 'approve_send' }]);
        assert.notEqual(start2!.runId, start1!.runId);
        assert.equal(byCli!.runId, start2!.runId);
        assert.deepEqual(start2!.input, { input: { draft: 'v2' } });
        assert.deepEqual(byCli!.interrupts, [{ id: third!.id, node: 'review_draft', value: 'v2 is fine' }]);
      } finally {
        await alice.close();
      }
    });
  });
});
