/**
 * Resumes that cannot apply are refused clearly and change nothing (durable-graph-decisions.md:
 * no silent no-op on a thread with nothing pending, validated resumes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { z } from 'zod';
import {
  Command,
  START,
  StateGraph,
  interrupt,
  InvalidResumeError,
  MissingThreadIdError,
  NoPendingInterruptError,
  isDurableGraphError,
} from '../../src/index.js';
import { eventually, temporalCli, temporalJson } from '../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';

describe('resumes that cannot apply', () => {
  it('rejects a client resume of a finished thread with NoPendingInterruptError and leaves its result unchanged', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const config = { configurable: { thread_id: threadId('finished') } };
      await handle.invoke({ request: 'a' }, config);
      const done = await handle.invoke(new Command({ resume: true }), config);
      await assert.rejects(handle.invoke(new Command({ resume: false }), config), (error: unknown) => {
        assert.ok(error instanceof NoPendingInterruptError);
        assert.equal((error as NoPendingInterruptError).code, 'NO_PENDING_INTERRUPT');
        assert.match((error as Error).message, /has no pending interrupt/);
        return true;
      });
      const state = await handle.getState(config);
      assert.deepEqual(state.values, {
        request: 'a',
        proposed_action: done.proposed_action,
        approved: true,
        result: done.result,
      });
    });
  });

  it('rejects a client resume of a thread that never ran', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      await assert.rejects(
        client
          .graph(approvalGraph)
          .invoke(new Command({ resume: true }), { configurable: { thread_id: threadId('never') } }),
        (error: unknown) => {
          assert.ok(error instanceof NoPendingInterruptError, String(error));
          assert.equal(error.status, 'not started');
          assert.match(error.message, /No thread has this id: start it with invoke\(input, config\)/);
          return true;
        },
      );
    });
  });

  it('rejects an empty resume (null) through the validated Update, writing nothing, and keeps the thread paused', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('empty');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ request: 'b' }, config);
      const before = await temporalJson<{ events: unknown[] }>(['workflow', 'show', '--workflow-id', thread]);
      await assert.rejects(handle.invoke(new Command({ resume: null }), config), (error: unknown) => {
        assert.ok(error instanceof InvalidResumeError);
        assert.match((error as Error).message, /is empty/);
        assert.deepEqual((error as InvalidResumeError).code, 'INVALID_RESUME');
        return true;
      });
      const after = await temporalJson<{ events: unknown[] }>(['workflow', 'show', '--workflow-id', thread]);
      assert.equal(after.events.length, before.events.length, 'a rejected Update writes no history event');
      const state = await handle.getState(config);
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
    });
  });

  it('records a malformed or unneeded signal as rejected, reports it in getState and the Web UI details, and applies nothing', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      const thread = threadId('bad-signal');
      const config = { configurable: { thread_id: thread } };
      const paused = await handle.invoke({ request: 'c' }, config);
      // Not of the {"resume": ...} shape.
      const wrongShape = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"approve": true}',
      ]);
      assert.equal(wrongShape.code, 0, wrongShape.stderr);
      // An id that is not pending.
      const unknownId = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        `{"resume": {"${'0'.repeat(32)}": true}}`,
      ]);
      assert.equal(unknownId.code, 0, unknownId.stderr);

      const state = await handle.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__);
      assert.equal(state.rejectedResumes.length, 2);
      assert.match(state.rejectedResumes[0]!.reason, /must be a JSON object \{"resume": <value>\}/);
      assert.match(state.rejectedResumes[1]!.reason, /not pending/);
      assert.equal(state.rejectedResumes[1]!.via, 'signal');
      const metadata = await temporalCli(['workflow', 'metadata', '--workflow-id', thread]);
      assert.match(metadata.stdout, /Rejected resumes/);

      // The real answer still works afterwards.
      const done = await handle.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send email about c');
    });
  });

  it('records a resume signal sent while nothing is pending as rejected and never applies it to a later interrupt', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const graph = new StateGraph(z.object({ answer: z.unknown().optional() }))
      .addNode('slow', async () => {
        started();
        await released;
        return {};
      })
      .addNode('ask', () => ({ answer: interrupt('question') }))
      .addEdge(START, 'slow')
      .addEdge('slow', 'ask')
      .compile({ name: 'early-signal' });
    await withGraphs([graph], async ({ client }) => {
      const handle = client.graph(graph);
      const thread = threadId('early');
      const config = { configurable: { thread_id: thread } };
      const run = handle.invoke({}, config);
      await slowStarted;
      let history: Array<{
        upsertWorkflowSearchAttributesEventAttributes?: {
          searchAttributes?: { indexedFields?: Record<string, unknown> | null } | null;
        } | null;
        workflowPropertiesModifiedEventAttributes?: unknown;
      }>;
      try {
        const early = await temporalCli([
          'workflow',
          'signal',
          '--workflow-id',
          thread,
          '--name',
          'resume',
          '--input',
          '{"resume": "too early"}',
        ]);
        assert.equal(early.code, 0, early.stderr);
        await eventually(
          async () => ((await handle.getState(config)).rejectedResumes.length > 0 ? true : undefined),
          'the early signal to be recorded',
        );
        // The thread has never paused: the refusal is shown in getState and the Web UI details, but written to no search
        // attribute or memo (they describe pauses only).
        history = await eventually(async () => {
          const events = (await client.temporal.workflow.getHandle(thread).fetchHistory()).events ?? [];
          const signalAt = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
          return signalAt >= 0 && events.slice(signalAt).some((e) => e.workflowTaskCompletedEventAttributes)
            ? events
            : undefined;
        }, 'the workflow task that handled the early signal');
      } finally {
        release(); // a failed assertion or wait must not leave the node (and the worker with it) waiting
      }
      // The SDK's own TemporalChangeVersion upsert (the engine level's patch marker) is not ours.
      const ours = (e: (typeof history)[number]) =>
        Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some(
          (key) => key !== 'TemporalChangeVersion',
        );
      assert.deepEqual(
        history.filter((e) => ours(e) || e.workflowPropertiesModifiedEventAttributes),
        [],
      );
      const paused = await run;
      assert.ok(paused.__interrupt__, 'the thread still pauses: the early resume was not kept for later');
      const state = await handle.getState(config);
      assert.equal(state.rejectedResumes.length, 1);
      assert.match(state.rejectedResumes[0]!.reason, /has no pending interrupt/);
      const done = await handle.invoke(new Command({ resume: 'on time' }), config);
      assert.equal(done.answer, 'on time');
    });
  });

  it('refuses a missing thread id before anything starts', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const handle = client.graph(approvalGraph);
      for (const config of [
        undefined,
        {},
        { configurable: {} },
        { configurable: { thread_id: '' } },
        { configurable: { thread_id: 42 } },
      ]) {
        await assert.rejects(handle.invoke({ request: 'x' }, config as never), (error: unknown) => {
          assert.ok(error instanceof MissingThreadIdError);
          assert.ok(isDurableGraphError(error));
          return true;
        });
      }
    });
  });
});
