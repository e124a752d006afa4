/**
 * Starting a thread with a plain Temporal client or the stock `temporal` CLI: the input may carry the graph's shape as
 * `spec` (the compiled spec), which durable-graph's client leaves alone; an input that is not a run's input (a
 * `spec` that is not one, no `"input"` wrapper, a bare string or list, a `command` or `recursionLimit` of the wrong
 * type) ends the run with INVALID_INPUT naming the field, before any node runs. A Signal under a name the engine does
 * not know is refused in the open.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { approvalGraph } from '../../examples/approval/graph.js';
import { LOCAL_ACTIVITY_MARKER } from '../../src/client/history/history-events.js';
import { Command, END, START, StateGraph } from '../../src/index.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { eventually, temporalCli } from '../helpers/temporal-cli.js';

const graph = new StateGraph(z.object({ n: z.number() }))
  .addNode('inc', (s) => ({ n: s.n + 1 }))
  .addEdge(START, 'inc')
  .addEdge('inc', END)
  .compile({ name: 'start-input' });

describe('a run started by a plain Temporal client', () => {
  it('runs on the compiled spec passed in its input, and the input keeps it as sent', async () => {
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const id = threadId('start-input');
      const handle = await client.temporal.workflow.start(graph.name, {
        workflowId: id,
        taskQueue,
        args: [{ input: { n: 1 }, spec: graph.spec }],
      });
      assert.deepEqual(((await handle.result()) as { values: unknown }).values, { n: 2 });
      const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
      const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8'));
      assert.deepEqual(input.spec, JSON.parse(JSON.stringify(graph.spec)), 'a user-written spec is not moved away');
      assert.equal(started.header?.fields?.['durable-graph-spec'], undefined);
    });
  });

  it('ends with INVALID_INPUT, not a retried workflow task, when its spec is not a graph spec', async () => {
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const handle = await client.temporal.workflow.start(graph.name, {
        workflowId: threadId('start-input-bad'),
        taskQueue,
        args: [{ input: { n: 1 }, spec: { nodes: 'inc' } }],
      });
      await assert.rejects(handle.result(), (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError);
        assert.ok(error.cause instanceof ApplicationFailure);
        assert.equal(error.cause.type, 'INVALID_INPUT');
        assert.match(error.cause.message, /not a graph spec/);
        return true;
      });
    });
  });

  it('ends with INVALID_INPUT naming the field for an input started by name without the run envelope', async () => {
    await withGraphs([graph], async ({ client, taskQueue }) => {
      const cases: Array<[string, RegExp]> = [
        [
          '{"n": 1}',
          /Field "n" of the run's input is not one of .*State fields go inside "input": \{"input":\{"n":1\}\}/,
        ],
        ['"Q3 report"', /The run's input is "Q3 report" \(a string\); it must be an object/],
        ['[1, 2]', /The run's input is \[1,2\] \(a list\)/],
        ['{"command": 7}', /Field "command" of the run's input must be an object; it is 7 \(a number\)/],
        [
          '{"input": {"n": 1}, "recursionLimit": "abc"}',
          /Field "recursionLimit" .* must be a positive integer; it is "abc"/,
        ],
        ['{"command": {"goto": 3}}', /Field "command.goto" .* must be a list of node names/],
      ];
      /** `temporal workflow <verb> --type <graph> … --input <input>`, as an operator types it. */
      const byName = (verb: 'start' | 'execute', id: string, input: string) =>
        temporalCli([
          'workflow',
          verb,
          '--type',
          graph.name,
          '--task-queue',
          taskQueue,
          '--workflow-id',
          id,
          '--input',
          input,
        ]);
      for (const [input, message] of cases) {
        const id = threadId('start-by-name');
        const started = await byName('start', id, input);
        assert.equal(started.code, 0, started.stderr);
        const handle = client.temporal.workflow.getHandle(id);
        await assert.rejects(handle.result(), (error: unknown) => {
          assert.ok(error instanceof WorkflowFailedError);
          assert.ok(error.cause instanceof ApplicationFailure, input);
          assert.equal(error.cause.type, 'INVALID_INPUT', input);
          assert.match(error.cause.message, message);
          assert.match(error.cause.message, new RegExp(`Thread "${id}" \\(graph "${graph.name}"\\) .*nothing ran`));
          return true;
        });
        // No node ran: no Activity in its history.
        const events = (await handle.fetchHistory()).events ?? [];
        assert.equal(
          events.filter(
            (e) =>
              e.activityTaskScheduledEventAttributes ||
              e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER,
          ).length,
          0,
          input,
        );
      }

      // The same graph, started right, runs.
      const id = threadId('start-by-name-ok');
      const ok = await byName('execute', id, '{"input": {"n": 1}}');
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(((await client.temporal.workflow.getHandle(id).result()) as { values: unknown }).values, {
        n: 2,
      });
    });
  });

  it('refuses a Signal under a name it does not know, in the thread state, and the thread still takes its answer', async () => {
    await withGraphs([approvalGraph], async ({ client }) => {
      const id = threadId('unknown-signal');
      const config = { configurable: { thread_id: id } };
      const graph = client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config);
      const sent = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        id,
        '--name',
        'Resume',
        '--input',
        '{"resume": true}',
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      const refused = await eventually(async () => {
        const state = await graph.getState(config);
        return state.rejectedResumes.length ? state : undefined;
      }, 'the refused Signal in the thread state');
      assert.equal(refused.status, 'interrupted');
      assert.match(
        refused.rejectedResumes[0]!.reason,
        /Signal "Resume" is not one of thread .*nothing was applied\. Did you mean "resume"\?/,
      );
      assert.equal(refused.rejectedResumes[0]!.via, 'signal');
      const done = await graph.invoke(new Command({ resume: true }), config);
      assert.equal(done.result, 'EXECUTED: send email about Q3 report');

      // The audit trail reads it from history the same way: refused, with the name it came under.
      const trail = await graph.getAuditTrail(config);
      const misspelt = trail.find((e) => e.signalName === 'Resume');
      assert.ok(misspelt, JSON.stringify(trail));
      assert.equal(misspelt.outcome, 'rejected');
      assert.match(misspelt.reason ?? '', /Did you mean "resume"\?/);
      assert.deepEqual(
        trail.map((e) => [e.action, e.via, e.outcome]),
        [
          ['start', undefined, 'applied'],
          ['resume', 'signal', 'rejected'],
          ['resume', 'update', 'applied'],
        ],
      );
    });
  });
});
