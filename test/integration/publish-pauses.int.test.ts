/**
 * `compile({ publishPauses: false })`: a pause is not written to search attributes and memo (no history events, no
 * visibility writes), yet it is still answered, queried, shown in the Web UI's current details, and audited from
 * the Update results. The same graph with the default publishes them: the comparison keeps the test honest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt } from '../../src/index.js';
import { pendingNodesSearchAttribute, statusSearchAttribute } from '../../src/protocol/search-attributes.js';
import { MEMO_KEY } from '../../src/protocol/memo.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { eventually, temporalCli } from '../helpers/temporal-cli.js';

const review = (name: string, publishPauses?: boolean) =>
  new StateGraph(z.object({ draft: z.string().optional(), sent: z.string().optional() }))
    .addNode('review_draft', () => ({ draft: interrupt<string>({ question: 'Edit or accept the draft' }) }))
    .addNode('approve_send', (s) => ({ sent: `${s.draft} (${interrupt<string>({ question: 'Send it?' })})` }))
    .addEdge(START, 'review_draft')
    .addEdge('review_draft', 'approve_send')
    .addEdge('approve_send', END)
    .compile({ name, ...(publishPauses === undefined ? {} : { publishPauses }) });

const quiet = review('quiet-review', false);
const published = review('published-review');

/** The history events that write visibility: search-attribute upserts and memo changes. */
/**
 * The engine's own search-attribute and memo writes; not the SDK's `TemporalChangeVersion` upsert beside the
 * engine-level marker (patches.ts), which a published run records once, at its first pause.
 */
async function visibilityWrites(env: GraphTestEnv, thread: string): Promise<number> {
  const history = await env.client.temporal.workflow.getHandle(thread).fetchHistory();
  const ours = (fields: Record<string, unknown> | null | undefined) =>
    Object.keys(fields ?? {}).some((key) => key !== 'TemporalChangeVersion');
  return (history.events ?? []).filter(
    (e) =>
      ours(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields) ||
      e.workflowPropertiesModifiedEventAttributes,
  ).length;
}

describe('compile({ publishPauses: false })', () => {
  it('pauses and resumes with no search-attribute or memo writes; the Query, current details and audit still show the pause', async () => {
    await withGraphs([quiet, published], async (env) => {
      const thread = threadId('quiet');
      const config = { configurable: { thread_id: thread } };
      const app = env.client.graph(quiet);
      const first = (await app.invoke({}, config)).__interrupt__![0]!;
      assert.deepEqual(first.value, { question: 'Edit or accept the draft' });

      const handle = env.client.temporal.workflow.getHandle(thread);
      const description = await handle.describe();
      assert.equal(description.memo?.[MEMO_KEY], undefined, 'no memo');
      assert.equal(
        description.typedSearchAttributes.get(statusSearchAttribute),
        undefined,
        'no status search attribute',
      );
      assert.equal(description.typedSearchAttributes.get(pendingNodesSearchAttribute), undefined);
      const state = await app.getState(config);
      assert.deepEqual(
        state.tasks.flatMap((t) => t.interrupts.map((i) => [t.name, (i as { id: string }).id])),
        [['review_draft', first.id]],
      );
      const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
      assert.match(metadata.currentDetails, /review_draft/);
      assert.match(metadata.currentDetails, /Edit or accept the draft/);

      const second = (await app.invoke(new Command({ resume: 'Hello team' }), config)).__interrupt__![0]!;
      // A stock `temporal` CLI signal answers the second pause.
      assert.equal(
        (
          await temporalCli([
            'workflow',
            'signal',
            '--workflow-id',
            thread,
            '--name',
            'resume',
            '--input',
            '{"resume": "ship it"}',
          ])
        ).code,
        0,
      );
      const final = await handle.result();
      assert.equal(final.values.sent, 'Hello team (ship it)');
      assert.equal(await visibilityWrites(env, thread), 0);

      const trail = await app.getAuditTrail(config);
      assert.deepEqual(
        trail.map((e) => [e.action, e.via, e.outcome, e.interrupts.map((i) => [i.id, i.node])]),
        [
          ['start', undefined, 'applied', []],
          ['resume', 'update', 'applied', [[first.id, 'review_draft']]],
          ['resume', 'signal', 'applied', [[second.id, 'approve_send']]],
        ],
      );

      // The same graph with the default: 4 writes per pause and resume (2 pauses, 2 resumes), and the final status.
      const other = threadId('published');
      const loud = env.client.graph(published);
      const otherConfig = { configurable: { thread_id: other } };
      await loud.invoke({}, otherConfig);
      await loud.invoke(new Command({ resume: 'Hello team' }), otherConfig);
      await loud.invoke(new Command({ resume: 'ship it' }), otherConfig);
      assert.equal(await visibilityWrites(env, other), 9);
    });
  });

  it('resumes with `durable-graph resume` (Update, then --signal unchecked), and `show` says the status is unknown with no worker', async () => {
    await withGraphs([quiet], async (env) => {
      const thread = threadId('quiet-cli');
      const config = { configurable: { thread_id: thread } };
      const app = env.client.graph(quiet);
      await app.invoke({}, config);
      const shown = await durableGraph(env, ['show', thread]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /Status\s+interrupted/);
      assert.match(shown.stdout, /review_draft/);

      const byUpdate = await durableGraph(env, ['resume', thread, '"Hello team"']);
      assert.equal(byUpdate.code, 0, byUpdate.stderr);
      assert.match(byUpdate.stdout, /Paused again at approve_send/);
      // New input to the paused thread: refused as a pause (a worker answered), not as "still running".
      await assert.rejects(app.invoke({}, config), (error: Error) =>
        /is interrupted \(paused at interrupt "[0-9a-f]{32}" in node "approve_send"\)/.test(error.message),
      );

      const bySignal = await durableGraph(env, ['resume', thread, '"ship it"', '--signal']);
      assert.equal(bySignal.code, 0, bySignal.stderr);
      assert.match(bySignal.stdout, /Not checked before sending: the graph does not publish its pauses/);
      assert.equal((await env.client.temporal.workflow.getHandle(thread).result()).values.sent, 'Hello team (ship it)');
    });

    await withGraphs(
      [quiet],
      async (env) => {
        const thread = threadId('quiet-offline');
        const worker = await env.startWorker();
        await worker.runUntil(() => env.client.graph(quiet).invoke({}, { configurable: { thread_id: thread } }));
        // No worker now: the server has nothing that says the thread is paused.
        const shown = await durableGraph(env, ['show', thread, '--timeout', '1']);
        assert.equal(shown.code, 0, shown.stderr);
        assert.match(shown.stdout, /Status\s+unknown/);
        assert.match(shown.stdout, /does not publish pauses \(compile\(\{ publishPauses: false \}\)\)/);
      },
      { worker: false },
    );
  });

  it("audits a Signal-only thread as unknown while paused, then by the engine's record once the run ends", async () => {
    await withGraphs([quiet], async (env) => {
      const thread = threadId('quiet-signals');
      const config = { configurable: { thread_id: thread } };
      // Started by a plain `temporal workflow start`: no Update ever reports a pause of this thread.
      const started = await temporalCli([
        'workflow',
        'start',
        '--type',
        'quiet-review',
        '--task-queue',
        env.taskQueue,
        '--workflow-id',
        thread,
        '--input',
        '{"input": {}}',
      ]);
      assert.equal(started.code, 0, started.stderr);
      const app = env.client.graph(quiet);
      await eventually(
        async () =>
          (await app.getState(config)).next.includes('review_draft') &&
          (await app.getState(config)).status === 'interrupted'
            ? true
            : undefined,
        'the first pause',
      );
      assert.equal(
        (
          await temporalCli([
            'workflow',
            'signal',
            '--workflow-id',
            thread,
            '--name',
            'resume',
            '--input',
            '{"resume": "Hi"}',
          ])
        ).code,
        0,
      );
      await eventually(
        async () => ((await app.getState(config)).next.includes('approve_send') ? true : undefined),
        'the second pause',
      );

      const paused = await app.getAuditTrail(config);
      assert.deepEqual(
        paused.map((e) => [e.action, e.outcome]),
        [
          ['start', 'applied'],
          ['resume', 'unknown'],
        ],
      );
      assert.match(paused[1]!.reason!, /publishPauses: false/);

      assert.equal(
        (
          await temporalCli([
            'workflow',
            'signal',
            '--workflow-id',
            thread,
            '--name',
            'resume',
            '--input',
            '{"resume": "go"}',
          ])
        ).code,
        0,
      );
      assert.equal((await env.client.temporal.workflow.getHandle(thread).result()).values.sent, 'Hi (go)');
      const ended = await app.getAuditTrail(config);
      assert.deepEqual(
        ended.map((e) => [e.action, e.outcome, e.outcomeFrom]),
        [
          ['start', 'applied', 'history'],
          ['resume', 'applied', 'engine'],
          ['resume', 'applied', 'engine'],
        ],
      );
    });
  });
});
