/**
 * `durable-graph resume` refuses a value too large for a thread before sending it, by Update or by Signal, and says
 * so in its own words with exit code 2; the thread stays paused with nothing applied. Such a value comes on stdin
 * (`resume <thread> -`): a command-line argument cannot hold more than 128 KiB.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalGraph } from '../../examples/approval/graph.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';

/** A JSON string of about 1.4 MB: over the 1 MiB a thread takes, under Temporal's own 2 MiB per payload. */
const big = JSON.stringify('x'.repeat(1_400_000));

describe('durable-graph resume with a value too large for a thread', () => {
  it('exits 2 naming the value and how far over it is, by Update and by Signal, with nothing applied; a normal answer from stdin then completes the thread', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const thread = threadId('cli-big-resume');
      const config = { configurable: { thread_id: thread } };
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config);

      const tooLarge = new RegExp(
        `The resume value is 1\\.34 MiB of JSON, 343\\.\\d KiB over the 1\\.00 MiB a value sent to or from a thread may ` +
          `have: nothing was sent to thread "${thread}"\\..*\\[PAYLOAD_TOO_LARGE\\]`,
        's',
      );
      const byUpdate = await durableGraph(env, ['resume', thread, '-'], { input: big });
      assert.equal(byUpdate.code, 2, byUpdate.stderr);
      assert.match(byUpdate.stderr, tooLarge);
      assert.equal(byUpdate.stdout, '');
      const bySignal = await durableGraph(env, ['resume', thread, '-', '--signal', '--json'], { input: big });
      assert.equal(bySignal.code, 2, bySignal.stderr);
      const { error } = JSON.parse(bySignal.stdout) as { error: { code: string; message: string } };
      assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
      assert.match(error.message, tooLarge);

      const state = await graph.getState(config);
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.rejectedResumes, [], 'no Signal reached the thread');
      assert.deepEqual(
        (await graph.getAuditTrail(config)).map((e) => e.action),
        ['start'],
        'nothing reached the thread',
      );

      const done = await durableGraph(env, ['resume', thread, '-'], { input: 'true\n' });
      assert.equal(done.code, 0, done.stderr);
      assert.ok(done.stdout.includes('"result": "EXECUTED: send email about Q3 report"'), done.stdout);
    });
  });

  it('refuses stdin that is not JSON before connecting, quoting its start', async () => {
    const run = await durableGraph(
      { address: '127.0.0.1:1', namespace: 'default', taskQueue: 'none' },
      ['resume', 'some-thread', '-'],
      { input: `yes ${'x'.repeat(500)}` },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /The resume value read from stdin must be JSON, got "yes x+…" \(504 characters\)\. Nothing was sent\./,
    );
  });
});
