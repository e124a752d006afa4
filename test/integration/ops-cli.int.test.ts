/**
 * The ops path with only the stock `temporal` CLI: list paused threads, see why one is paused,
 * resume it, and start a thread by graph name. These are the commands the README documents.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { END, START, StateGraph, appendReducer, withReducer, type ThreadState } from '../../src/index.js';
import { eventually, temporalCli, temporalJson } from '../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';

interface DescribeJson {
  workflowExecutionInfo: {
    status: string;
    type: { name: string };
    memo?: { fields?: Record<string, any> };
    searchAttributes?: { indexedFields?: Record<string, { data: string }> };
  };
}

/** `temporal workflow list --query 'DurableGraphStatus="interrupted" AND ExecutionStatus="Running"'`, on one task queue. */
const pausedThreadIds = async (taskQueue: string) =>
  (
    await temporalJson<Array<{ execution: { workflowId: string } }>>([
      'workflow',
      'list',
      '--query',
      `DurableGraphStatus="interrupted" AND ExecutionStatus="Running" AND TaskQueue="${taskQueue}"`,
    ])
  ).map((r) => r.execution.workflowId);

const decodeSearchAttribute = (field: { data: string } | undefined) =>
  field ? (JSON.parse(Buffer.from(field.data, 'base64').toString('utf8')) as unknown) : undefined;

describe('operating threads with the plain temporal CLI', () => {
  it('lists the paused thread, shows its interrupt in the memo, search attributes and getState query, and resumes it with a signal', async () => {
    await withGraphs([approvalGraph], async ({ client, taskQueue }) => {
      const thread = threadId('ops');
      const config = { configurable: { thread_id: thread } };
      const paused = await client.graph(approvalGraph).invoke({ request: 'ops review' }, config);
      const interruptId = paused.__interrupt__![0]!.id;

      const listed = await eventually(async () => {
        const ids = await pausedThreadIds(taskQueue);
        return ids.includes(thread) ? ids : undefined;
      }, 'the paused thread in the visibility list');
      assert.equal(listed.length, 1);

      // temporal workflow describe: memo and search attributes, readable with no worker involved.
      const described = await temporalJson<DescribeJson>(['workflow', 'describe', '--workflow-id', thread]);
      const memo = described.workflowExecutionInfo.memo!.fields!.durableGraph;
      assert.equal(memo.status, 'interrupted');
      assert.deepEqual(memo.interrupts, [
        { id: interruptId, node: 'human_review', value: paused.__interrupt__![0]!.value },
      ]);
      // No value is guessed: a placeholder that is not JSON, written so it survives a JSON view's escaping.
      assert.equal(
        memo.resumeCommand,
        `temporal workflow signal --workflow-id ${thread} --name resume --input $'{"resume": <value>}'`,
      );
      const fields = described.workflowExecutionInfo.searchAttributes!.indexedFields!;
      assert.equal(decodeSearchAttribute(fields.DurableGraphStatus), 'interrupted');
      assert.deepEqual(decodeSearchAttribute(fields.DurableGraphPendingNodes), ['human_review']);

      // temporal workflow query --name getState
      const query = await temporalJson<{ queryResult: ThreadState[] }>([
        'workflow',
        'query',
        '--workflow-id',
        thread,
        '--name',
        'getState',
      ]);
      const state = query.queryResult[0]!;
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.next, ['human_review']);
      assert.deepEqual(
        state.interrupts.map((i) => i.id),
        [interruptId],
      );
      assert.equal(state.values.proposed_action, 'send email about ops review');

      // The Web UI's current details: Markdown naming the node, the payload and the resume command.
      const metadata = await temporalCli(['workflow', 'metadata', '--workflow-id', thread]);
      assert.equal(metadata.code, 0, metadata.stderr);
      assert.match(metadata.stdout, /Paused at `human_review`/);
      assert.match(
        metadata.stdout,
        /temporal workflow signal \\\s+--workflow-id \S+ --name resume \\\s+--input '\{"resume": <value>\}'/,
      );

      // temporal workflow signal --name resume --input '{"resume": true}'
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"resume": true}',
      ]);
      assert.equal(signal.code, 0, signal.stderr);
      const result = await temporalJson<{ result: ThreadState; status: string }>([
        'workflow',
        'result',
        '--workflow-id',
        thread,
      ]);
      assert.equal(result.status, 'COMPLETED');
      assert.equal(result.result.values.result, 'EXECUTED: send email about ops review');

      // The memo described the pause: it was removed on resume. The status says the thread completed (a closed
      // thread does not keep "running"), as the Workflow's ExecutionStatus does.
      const after = await temporalJson<DescribeJson>(['workflow', 'describe', '--workflow-id', thread]);
      assert.equal(after.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');
      assert.equal(after.workflowExecutionInfo.memo?.fields?.durableGraph, undefined);
      assert.equal(
        decodeSearchAttribute(after.workflowExecutionInfo.searchAttributes!.indexedFields!.DurableGraphStatus),
        'completed',
      );
      await eventually(
        async () => ((await pausedThreadIds(taskQueue)).includes(thread) ? undefined : true),
        'the resumed thread gone from the list of paused threads',
      );
    });
  });

  it('resumes with temporal workflow update execute, which returns the state at the next stop', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const thread = threadId('ops-update');
      await client.graph(approvalGraph).invoke({ request: 'update path' }, { configurable: { thread_id: thread } });
      const update = await temporalJson<{ result: ThreadState }>([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"resume": true}',
      ]);
      assert.equal(update.result.status, 'completed');
      assert.equal(update.result.values.result, 'EXECUTED: send email about update path');
      // A second one is refused by the validator: nothing pending.
      const refused = await temporalCli([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{"resume": true}',
      ]);
      assert.notEqual(refused.code, 0);
    });
  });

  it('starts a thread by graph name with temporal workflow start, the worker supplying the graph shape', async () => {
    await withGraphs([approvalGraph], async ({ client, taskQueue }) => {
      const thread = threadId('by-name');
      const start = await temporalCli([
        'workflow',
        'start',
        '--type',
        'approval',
        '--task-queue',
        taskQueue,
        '--workflow-id',
        thread,
        '--input',
        '{"input": {"request": "started from the CLI"}}',
      ]);
      assert.equal(start.code, 0, start.stderr);
      const handle = client.graph('approval');
      const state = await eventually(async () => {
        const s = await handle.getState({ configurable: { thread_id: thread } });
        return s.status === 'interrupted' ? s : undefined;
      }, 'the CLI-started thread to pause');
      assert.equal(state.values.proposed_action, 'send email about started from the CLI');
      assert.equal(state.tasks[0]!.name, 'human_review');
    });
  });

  it('fails a thread of an unknown graph type at once with a non-retryable error naming the known graphs', async () => {
    await withGraphs([approvalGraph], async ({ taskQueue }) => {
      const thread = threadId('unknown-type');
      const run = await temporalCli([
        'workflow',
        'execute',
        '--type',
        'no-such-graph',
        '--task-queue',
        taskQueue,
        '--workflow-id',
        thread,
        '--input',
        '{}',
      ]);
      assert.notEqual(run.code, 0);
      const output = run.stdout + run.stderr;
      assert.match(output, /No graph named "no-such-graph" is registered/);
      assert.match(output, /Known graphs: "approval"/);
    });
  });

  it('shows a static breakpoint (interruptBefore) in the search attributes, memo and Web UI details, and continues with the signal {}', async () => {
    const graph = new StateGraph(z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) }))
      .addNode('draft', () => ({ log: ['draft'] }))
      .addNode('send', () => ({ log: ['send'] }))
      .addEdge(START, 'draft')
      .addEdge('draft', 'send')
      .addEdge('send', END)
      .compile({ name: 'ops-before-send', interruptBefore: ['send'] });
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const thread = threadId('ops-breakpoint');
      const paused = await client.graph(graph).invoke({}, { configurable: { thread_id: thread } });
      assert.deepEqual(paused.__interrupt__, []);

      // temporal workflow list finds it as paused, like a thread waiting at an interrupt().
      await eventually(
        async () => ((await pausedThreadIds(taskQueue)).includes(thread) ? true : undefined),
        'the thread paused at the breakpoint in the visibility list',
      );

      const described = await temporalJson<DescribeJson>(['workflow', 'describe', '--workflow-id', thread]);
      const fields = described.workflowExecutionInfo.searchAttributes!.indexedFields!;
      assert.equal(decodeSearchAttribute(fields.DurableGraphStatus), 'interrupted');
      assert.deepEqual(decodeSearchAttribute(fields.DurableGraphPendingNodes), ['send']);
      const memo = described.workflowExecutionInfo.memo!.fields!.durableGraph;
      assert.equal(memo.status, 'interrupted');
      // The graph is the Workflow Type, which describe shows beside the memo.
      assert.equal(described.workflowExecutionInfo.type.name, 'ops-before-send');
      // A breakpoint has no interrupt to answer. The memo holds [], which `temporal workflow describe -o json` prints as null.
      assert.deepEqual(memo.interrupts ?? [], []);
      assert.deepEqual(memo.breakpoint, { at: 'before', nodes: ['send'] });
      assert.equal(memo.resumeCommand, `temporal workflow signal --workflow-id ${thread} --name resume --input '{}'`);

      // The Web UI's current details: the breakpoint, its node and the continue command.
      const metadata = await temporalCli(['workflow', 'metadata', '--workflow-id', thread]);
      assert.equal(metadata.code, 0, metadata.stderr);
      assert.match(metadata.stdout, /Paused at a breakpoint before `send`/);
      assert.match(
        metadata.stdout,
        /temporal workflow signal \\\s+--workflow-id \S+ --name resume \\\s+--input '\{\}'/,
      );
      assert.doesNotMatch(metadata.stdout, /waiting for a human/);

      // temporal workflow signal --name resume --input '{}' continues past the breakpoint.
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        '{}',
      ]);
      assert.equal(signal.code, 0, signal.stderr);
      const result = await temporalJson<{ result: ThreadState; status: string }>([
        'workflow',
        'result',
        '--workflow-id',
        thread,
      ]);
      assert.equal(result.status, 'COMPLETED');
      assert.deepEqual(result.result.values.log, ['draft', 'send']);

      const after = await temporalJson<DescribeJson>(['workflow', 'describe', '--workflow-id', thread]);
      const afterFields = after.workflowExecutionInfo.searchAttributes!.indexedFields!;
      assert.notEqual(decodeSearchAttribute(afterFields.DurableGraphStatus), 'interrupted');
      assert.deepEqual(decodeSearchAttribute(afterFields.DurableGraphPendingNodes) ?? [], []);
      // The memo (breakpoint, resume command) described the pause: removed when the thread went on.
      assert.equal(after.workflowExecutionInfo.memo?.fields?.durableGraph, undefined);
    });
  });
});
