/**
 * What people meet in their first hour with the `durable-graph` CLI: exit codes as `--help` says, errors in CLI terms
 * (no `invoke(…)` advice), "did you mean" for a thread id with stray whitespace, the Web UI link in `show`, and
 * `threads` judging a thread by its latest run. The real CLI binary against the real dev server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command } from '../../src/index.js';
import { durableGraph, runDurableGraph } from '../helpers/durable-graph-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { listedAs } from '../helpers/visibility.js';

const config = (id: string) => ({ configurable: { thread_id: id } });
/** Advice in code, which a shell user cannot run. */
const CODE_ADVICE = /invoke\(|new Command\(|getState\(/;

function flagsOf(env: { address: string; namespace: string; taskQueue: string }): string[] {
  return ['--address', env.address, '--namespace', env.namespace, '--task-queue', env.taskQueue];
}

describe('durable-graph CLI details', () => {
  it('exits with the codes --help lists: 0 success, 1 usage or operational error, 2 resume refused', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const help = await runDurableGraph(['--help']);
      assert.equal(help.code, 0);
      assert.match(
        help.stdout,
        /Exit codes: 0 success; 1 usage or operational error; 2 resume refused \(nothing pending, a value that does not fit, or an answer already queued\)\./,
      );
      const resumeHelp = await runDurableGraph(['resume', '--help']);
      assert.equal(resumeHelp.code, 0);
      assert.match(resumeHelp.stdout, /Exit codes: 0 resumed .* 1 usage or operational error .* 2 refused/s);

      const id = threadId('cli-codes');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));
      const cases: Array<[string[], number]> = [
        [['--version'], 0],
        [[], 1], // no command: usage
        [['bogus'], 1],
        [['threads', '--status', 'bogus'], 1],
        [['resume', id, '{not json', ...flagsOf(env)], 1],
        [['show', `${id}-unknown`, ...flagsOf(env)], 1],
        [['threads', '--address', '127.0.0.1:1', '--server-outage-timeout', '1'], 1], // unreachable server
        [['show', id, '--timeout', '1', ...flagsOf(env)], 0],
        [['resume', `${id}-unknown`, 'true', ...flagsOf(env)], 2], // nothing pending
        [['resume', id, 'true', '--id', 'f'.repeat(32), ...flagsOf(env)], 2], // does not fit
        [['resume', id, 'true', ...flagsOf(env)], 0],
        [['resume', id, 'true', ...flagsOf(env)], 2], // completed: nothing pending
      ];
      for (const [args, code] of cases) {
        const run = await runDurableGraph(args);
        assert.equal(run.code, code, `durable-graph ${args.join(' ')}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      }
    });
  });

  it('gives CLI commands, not invoke(...), in the errors a CLI user meets, and "did you mean" for stray whitespace', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-words');
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config(id));

      for (const typed of [`${id} `, `${id}\n`]) {
        const shown = await durableGraph(env, ['show', typed]);
        assert.equal(shown.code, 1, shown.stderr);
        assert.ok(shown.stderr.includes(`Did you mean "${id}"?`), shown.stderr);
        assert.ok(shown.stderr.includes(`(${JSON.stringify(typed)})`), 'shows the stray character');
        const resumed = await durableGraph(env, ['resume', typed, 'true']);
        assert.equal(resumed.code, 2, resumed.stderr);
        assert.ok(resumed.stderr.includes(`Did you mean "${id}"?`), resumed.stderr);
        assert.doesNotMatch(resumed.stderr, CODE_ADVICE);
      }

      await graph.invoke(new Command({ resume: true }), config(id));
      const done = await durableGraph(env, ['resume', id, 'true']);
      assert.equal(done.code, 2);
      assert.match(done.stderr, /has no pending interrupt \(status: completed\); nothing was applied/);
      assert.ok(done.stderr.includes(`\`durable-graph show ${id}\` prints its final state`), done.stderr);
      assert.doesNotMatch(done.stderr.replace('invoke(input, config) from code', ''), CODE_ADVICE);
      assert.match(done.stderr, /\[NO_PENDING_INTERRUPT\] docs\/errors\.md#no_pending_interrupt/);
      const asJson = JSON.parse((await durableGraph(env, ['resume', id, 'true', '--json'])).stdout);
      assert.equal(asJson.error.code, 'NO_PENDING_INTERRUPT');
      assert.ok(asJson.error.message.includes(`durable-graph show ${id}`), asJson.error.message);
    });
  });

  it("prints the thread's Web UI link under `show`, from --web-ui or TEMPORAL_UI", async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-link');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));
      const link = (ui: string) => `${ui}/namespaces/${env.namespace}/workflows/${id}`;

      const flagged = await durableGraph(env, ['show', id, '--web-ui', 'localhost:9233/']);
      assert.equal(flagged.code, 0, flagged.stderr);
      assert.match(flagged.stdout, new RegExp(`Web UI\\s+${link('http://localhost:9233').replace(/\./g, '\\.')}\n`));

      const fromEnv = await runDurableGraph(['show', id, '--json', ...flagsOf(env)], {
        env: { ...process.env, TEMPORAL_UI: 'https://ui.example.com' },
      });
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      assert.equal(JSON.parse(fromEnv.stdout).webUi, link('https://ui.example.com'));

      // A server nobody named a UI for (the test server runs headless on a random port): no link, no guess.
      const unnamed = await runDurableGraph(['show', id, '--json', ...flagsOf(env)], {
        env: { ...process.env, TEMPORAL_UI: '' },
      });
      assert.equal(JSON.parse(unnamed.stdout).webUi, null);
    });
  });

  it('lists a thread under its latest run only: an ended earlier run does not put a paused thread under --status failed', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-latest');
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'first' }, config(id));
      // The paused run is terminated and a new run starts from its state, and pauses again.
      await graph.invoke({ request: 'second' }, { ...config(id), abandonPendingInterrupts: true });
      await listedAs(env.client, id, 'ExecutionStatus="Terminated"');
      await listedAs(env.client, id, 'DurableGraphStatus="interrupted" AND ExecutionStatus="Running"');

      const rows = async (status: string) => {
        const run = await durableGraph(env, ['threads', '--status', status, '--json', '--query', `WorkflowId="${id}"`]);
        assert.equal(run.code, 0, run.stderr);
        return JSON.parse(run.stdout) as Array<{ threadId: string; status: string }>;
      };
      assert.deepEqual(await rows('failed'), []);
      assert.deepEqual(
        (await rows('interrupted')).map((r) => r.status),
        ['interrupted'],
      );
      assert.deepEqual(
        (await rows('all')).map((r) => [r.threadId, r.status]),
        [[id, 'interrupted']],
      );

      // `error` (parked on a failed node) is a status of its own; none here.
      const parked = await durableGraph(env, ['threads', '--status', 'error', '--query', `WorkflowId="${id}"`]);
      assert.equal(parked.code, 0, parked.stderr);
      assert.match(parked.stdout, /No error threads \(query: DurableGraphStatus="error" AND ExecutionStatus="Running"/);
    });
  });
});
