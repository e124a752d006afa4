/**
 * Every surface tells the truth about a pause: no value is guessed. An interrupt with a response schema is shown with
 * its schema and an example built from it (memo, Current Details, `durable-graph show`), one without gets the
 * `<value>` placeholder, which fails when pasted unedited; a value the schema refuses is told in the operator's
 * terms; a thread that paused ends with its final status. A run recorded at engine level 0 keeps writing what 0.1.0
 * wrote.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { toolApprovalGraph } from '../../examples/tool-approval/graph.js';
import { Command, END, InvalidResumeError, START, StateGraph, interrupt } from '../../src/index.js';
import { MEMO_KEY, type ThreadMemo } from '../../src/protocol/memo.js';
import { resumeSignal } from '../../src/protocol/messages.js';
import { statusSearchAttribute } from '../../src/protocol/search-attributes.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { withLevelZeroWorker } from '../helpers/level-zero-worker.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import { eventually, temporalCli } from '../helpers/temporal-cli.js';

const EDIT_REFUSAL = 'for action "edit": field "args" is required (missing)';
const EDIT_EXAMPLE = '{"action":"edit","args":{"to":"<to>","subject":"<subject>","body":"<body>"}}';

const memoOf = async (env: GraphTestEnv, thread: string) =>
  (await env.client.temporal.workflow.getHandle(thread).describe()).memo?.[MEMO_KEY] as ThreadMemo | undefined;

const statusOf = async (env: GraphTestEnv, thread: string) =>
  (await env.client.temporal.workflow.getHandle(thread).describe()).typedSearchAttributes.get(statusSearchAttribute);

const currentDetails = async (env: GraphTestEnv, thread: string) =>
  (
    await env.client.temporal.workflow
      .getHandle(thread)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata')
  ).currentDetails;

/** Pauses the tool-approval agent at its send_email review (answer: approve | edit with args | reject). */
async function pauseEmail(env: GraphTestEnv, thread: string) {
  const paused = await env.client
    .graph(toolApprovalGraph)
    .invoke({ messages: [new HumanMessage('Email the Q3 report to Dana')] }, { configurable: { thread_id: thread } });
  return paused.__interrupt__![0]!;
}

describe('an interrupt with a response schema (review a tool call: approve, edit the args, or reject)', () => {
  it('shows the schema and an example in the memo, Current Details and `durable-graph show`, never a guessed true', async () => {
    await withGraphs([toolApprovalGraph], async (env) => {
      const thread = threadId('email');
      const pending = await pauseEmail(env, thread);

      const memo = (await memoOf(env, thread))!;
      assert.deepEqual(memo.interrupts[0]!.response_schema, pending.response_schema);
      assert.equal(
        memo.resumeCommand,
        `temporal workflow signal --workflow-id ${thread} --name resume --input $'{"resume": {"action": "approve"}}'`,
      );

      const details = await currentDetails(env, thread);
      assert.match(details, /Expects `\{ action: "approve" \} \| \{ action: "edit", args: \{ to: string, /);
      assert.match(details, /--input '\{"resume": \{"action": "approve"\}\}'/);
      assert.doesNotMatch(details, /\btrue\b/);

      const shown = await durableGraph(env, ['show', thread]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /expects: \{ action: "approve" \} \| \{ action: "edit", args: \{ to: string/);
      assert.match(shown.stdout, /Resume \(the value is an example built from the response schema: edit it\):/);
      assert.match(shown.stdout, new RegExp(`durable-graph resume ${thread} '\\{"action": "approve"\\}'`));

      // With no value, nothing is sent: the error says what is expected, with the example command.
      const bare = await durableGraph(env, ['resume', thread]);
      assert.equal(bare.code, 1, bare.stdout);
      assert.match(bare.stderr, /expects: \{ action: "approve" \}/);
      assert.match(bare.stderr, new RegExp(`durable-graph resume ${thread} '\\{"action": "approve"\\}'`));
    });
  });

  it('refuses {"action":"edit"} without args in the operator\'s terms, from the CLI (before sending), the Update and a Signal', async () => {
    await withGraphs([toolApprovalGraph], async (env) => {
      const thread = threadId('email-edit');
      const config = { configurable: { thread_id: thread } };
      await pauseEmail(env, thread);

      const cli = await durableGraph(env, ['resume', thread, '{"action":"edit"}']);
      assert.equal(cli.code, 2, cli.stdout);
      assert.ok(cli.stderr.includes(EDIT_REFUSAL), cli.stderr);
      assert.ok(cli.stderr.includes(`Sent: {"action":"edit"}. A value that fits: ${EDIT_EXAMPLE}`), cli.stderr);
      assert.match(cli.stderr, /Nothing was sent/);

      await assert.rejects(
        env.client.graph(toolApprovalGraph).invoke(new Command({ resume: { action: 'edit' } }), config),
        (error: unknown) => error instanceof InvalidResumeError && error.message.includes(EDIT_REFUSAL),
      );

      // A Signal cannot be refused before it is recorded: the engine lists it as rejected, exactly, in Current Details.
      await env.client.temporal.workflow.getHandle(thread).signal(resumeSignal, { resume: { action: 'edit' } });
      const details = await eventually(async () => {
        const text = await currentDetails(env, thread);
        return text.includes('Rejected resumes') ? text : undefined;
      }, 'the refused Signal in Current Details');
      assert.ok(details.includes(`\`Resume for interrupt`), details);
      assert.ok(details.includes(EDIT_REFUSAL), details);

      const done = await env.client
        .graph(toolApprovalGraph)
        .invoke(new Command({ resume: { action: 'reject', message: 'not yet' } }), config);
      assert.equal(done.__interrupt__, undefined);
      assert.equal(await statusOf(env, thread), 'completed');
    });
  });
});

describe('an interrupt without a response schema', () => {
  it('prints the placeholder <value>, which the temporal CLI and ours refuse when pasted unedited', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('approval');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, { configurable: { thread_id: thread } });
      const memo = (await memoOf(env, thread))!;
      assert.equal(
        memo.resumeCommand,
        `temporal workflow signal --workflow-id ${thread} --name resume --input $'{"resume": <value>}'`,
      );

      const shown = await durableGraph(env, ['show', thread]);
      assert.match(shown.stdout, /Resume \(replace <value> with the answer as JSON/);
      const command = new RegExp(`durable-graph resume ${thread} '<value>'`);
      assert.match(shown.stdout, command);

      const pasted = await durableGraph(env, ['resume', thread, '<value>']);
      assert.equal(pasted.code, 1);
      assert.match(pasted.stderr, /The resume value must be JSON, got <value>\. Nothing was sent\. Replace <value>/);
      const temporal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"resume": <value>}',
      ]);
      assert.notEqual(temporal.code, 0);
      assert.match(temporal.stderr, /not valid JSON/);
      assert.equal(
        (await env.client.graph(approvalGraph).getState({ configurable: { thread_id: thread } })).status,
        'interrupted',
      );
    });
  });
});

describe('the status search attribute of a thread that paused', () => {
  it('says completed, or failed, when its run ends: a closed thread does not keep "running"', async () => {
    const Looping = z.object({ n: z.number().default(0), answer: z.string().optional() });
    const looping = new StateGraph(Looping)
      .addNode('ask', () => ({ answer: interrupt<string>('go on?') }))
      .addNode('spin', (s) => ({ n: s.n + 1 }))
      .addEdge(START, 'ask')
      .addConditionalEdges('ask', (s) => (s.answer === 'loop' ? 'spin' : END), ['spin', END])
      .addEdge('spin', 'spin')
      .compile({ name: 'truthful-looping' });
    await withGraphs([looping], async (env) => {
      const done = threadId('ends-completed');
      await env.client.graph(looping).invoke({}, { configurable: { thread_id: done } });
      assert.equal(await statusOf(env, done), 'interrupted');
      await env.client.graph(looping).invoke(new Command({ resume: 'stop' }), { configurable: { thread_id: done } });
      assert.equal(await statusOf(env, done), 'completed');

      const failed = threadId('ends-failed');
      const config = { configurable: { thread_id: failed }, recursionLimit: 4 };
      await env.client.graph(looping).invoke({}, config);
      await assert.rejects(env.client.graph(looping).invoke(new Command({ resume: 'loop' }), config));
      assert.equal(await statusOf(env, failed), 'failed');
    });
  });
});

describe('a run recorded at engine level 0 (durable-graph 0.1.0)', () => {
  it('keeps writing what 0.1.0 wrote: true in the memo command, no response schema, no final status', async () => {
    await withGraphs(
      [toolApprovalGraph],
      async (env) => {
        await withLevelZeroWorker(env, [toolApprovalGraph], async () => {
          const thread = threadId('level-zero');
          await pauseEmail(env, thread);
          const memo = (await memoOf(env, thread))!;
          assert.equal(
            memo.resumeCommand,
            `temporal workflow signal --workflow-id ${thread} --name resume --input '{"resume": true}'`,
          );
          assert.equal(memo.interrupts[0]!.response_schema, undefined);
          assert.deepEqual(Object.keys(memo), ['status', 'step', 'interrupts', 'resumeCommand']);
          await env.client
            .graph(toolApprovalGraph)
            .invoke(new Command({ resume: { action: 'approve' } }), { configurable: { thread_id: thread } });
          assert.equal(await statusOf(env, thread), 'running');
        });
      },
      { worker: false },
    );
  });
});
