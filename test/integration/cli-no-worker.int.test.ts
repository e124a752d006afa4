/**
 * `durable-graph resume` on a thread no worker runs: it says so at once and sends nothing; `--signal` queues the
 * answer, which `show`, `threads` and `audit` then show as queued and `resume` does not take twice; a worker that
 * comes later applies it. The real CLI binary against the real dev server; the worker runs in this process.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { approvalGraph } from '../../examples/approval/graph.js';
import { GraphClient } from '../../src/client.js';
import type { ThreadState } from '../../src/protocol/payloads.js';
import { createWorker } from '../../src/worker.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { threadId } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';
import { listedAs } from '../helpers/visibility.js';

const config = (id: string) => ({ configurable: { thread_id: id } });

describe('durable-graph resume with no worker running the thread', () => {
  it('refuses at once with nothing sent and offers --signal; the queued answer shows as queued and a later worker applies it', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const env = { address: server.address, namespace: server.namespace, taskQueue };
    const connection = await NativeConnection.connect({ address: server.address });
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const id = threadId('cli-no-worker');
      // Paused by a worker that has stopped since: the server still lists its poller for minutes.
      const first = await createWorker({ graphs: [approvalGraph], connection, namespace: server.namespace, taskQueue });
      const paused = await first.runUntil(client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id)));
      const interruptId = paused.__interrupt__![0]!.id;

      const refused = await durableGraph(env, ['resume', id, 'true']);
      const checkedIn = /checked in (\d+) ms/.exec(refused.stderr)?.[1];
      console.log(
        `resume with no worker: exited after ${refused.ms} ms (CLI start included); the check took ${checkedIn} ms`,
      );
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, new RegExp(`No worker is running thread "${id}" .*nothing was sent`));
      const flags = `--address ${env.address} --namespace ${env.namespace}`;
      assert.ok(refused.stderr.includes(`durable-graph resume ${id} true --signal ${flags}`), refused.stderr);
      assert.ok(
        refused.stderr.includes(`durable-graph worker <module> --task-queue ${taskQueue} ${flags}`),
        refused.stderr,
      );

      // Nothing reached the thread: its audit trail holds the start only.
      const before = await client.graph(approvalGraph).getAuditTrail(config(id));
      assert.deepEqual(
        before.map((e) => e.action),
        ['start'],
      );

      // `false`: the thread must end rejected, so the refused `true` above cannot have been applied later.
      const queued = await durableGraph(env, ['resume', id, 'false', '--signal']);
      assert.equal(queued.code, 0, queued.stderr);

      const shown = await durableGraph(env, ['show', id, '--timeout', '1']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(
        shown.stdout,
        /Status\s+interrupted \(step 1\); answer queued, applied when a worker runs the thread/,
      );
      assert.ok(
        shown.stdout.includes(`interrupt ${interruptId} (node "human_review") <- false`),
        `show lists the queued answer:\n${shown.stdout}`,
      );
      assert.doesNotMatch(
        shown.stdout,
        /durable-graph resume|temporal workflow signal/,
        'not offered to be answered again',
      );
      const view = JSON.parse((await durableGraph(env, ['show', id, '--timeout', '1', '--json'])).stdout);
      assert.equal(view.resumeCommands, null);
      assert.deepEqual(
        view.queuedResumes.map((q: { input: unknown; answers: unknown }) => [q.input, q.answers]),
        [[{ resume: false }, [{ id: interruptId, node: 'human_review', value: false }]]],
      );

      await listedAs(client, id, 'DurableGraphStatus="interrupted"');
      const listed = await durableGraph(env, ['threads', '--query', `WorkflowId="${id}"`]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`${id}\\s+approval\\s+interrupted \\(answer queued\\)`));
      assert.ok(listed.stdout.includes(`queued (applies when a worker runs the thread): interrupt ${interruptId}`));
      const rows = JSON.parse((await durableGraph(env, ['threads', '--json', '--query', `WorkflowId="${id}"`])).stdout);
      assert.equal(rows[0].queuedResumes.length, 1);

      const audit = await durableGraph(env, ['audit', id]);
      assert.equal(audit.code, 0, audit.stderr);
      assert.match(audit.stdout, /resume \(signal\).*false\s+queued/);

      // Answering again is refused (exit 2), by Update and by Signal alike.
      for (const extra of [[], ['--signal']]) {
        const again = await durableGraph(env, ['resume', id, 'true', ...extra]);
        assert.equal(again.code, 2, again.stderr);
        assert.match(again.stderr, /already has an answer queued .*nothing was sent/);
      }

      const second = await createWorker({
        graphs: [approvalGraph],
        connection,
        namespace: server.namespace,
        taskQueue,
      });
      const final = (await second.runUntil(client.temporal.workflow.getHandle(id).result())) as ThreadState;
      assert.equal(final.values.result, 'REJECTED: send email about Q3 report');
      const after = await client.graph(approvalGraph).getAuditTrail(config(id));
      assert.deepEqual(
        after.map((e) => [e.action, e.via, e.outcome]),
        [
          ['start', undefined, 'applied'],
          ['resume', 'signal', 'applied'],
        ],
      );
      await listedAs(client, id, 'ExecutionStatus="Completed"');
      const stillListed = await durableGraph(env, ['threads', '--json', '--query', `WorkflowId="${id}"`]);
      assert.deepEqual(JSON.parse(stillListed.stdout), [], 'no longer listed as paused');
    } finally {
      await client.close();
      await connection.close();
    }
  });
});
