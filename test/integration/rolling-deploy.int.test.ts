/**
 * Rolling deploys with Worker Versioning: two builds of one graph side by side on one task queue, on a dev server of
 * its own whose drainage status refreshes every second (the default is every 3 minutes).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { GraphClient } from '../../src/client.js';
import { startDevServer, type DevServer } from '../../src/dev-server/index.js';
import {
  appendReducer,
  Command,
  END,
  interrupt,
  isDurableGraphError,
  START,
  StateGraph,
  withReducer,
  type ThreadFinishedError,
} from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const State = z.object({ log: withReducer(z.array(z.string()), appendReducer, () => []) });

/**
 * Build v1: ask → review. Build v2 adds "finish" after review. Build "lean" has no "review": a worker of other code
 * that lacks a node of a thread's recorded shape.
 */
function buildOf(build: 'v1' | 'v2' | 'lean') {
  const ask = () => {
    const answer = interrupt('Go ahead?');
    return { log: [`ask@${build}:${String(answer)}`] };
  };
  const wrote = (node: string) => () => ({ log: [`${node}@${build}`] });
  const graph = new StateGraph(State).addNode('ask', ask);
  if (build === 'lean') return graph.addEdge(START, 'ask').addEdge('ask', END).compile({ name: 'rollout' });
  const reviewed = graph.addNode('review', wrote('review')).addEdge(START, 'ask').addEdge('ask', 'review');
  if (build === 'v1') return reviewed.addEdge('review', END).compile({ name: 'rollout' });
  return reviewed
    .addNode('finish', wrote('finish'))
    .addEdge('review', 'finish')
    .addEdge('finish', END)
    .compile({ name: 'rollout' });
}

const v1 = buildOf('v1');
const v2 = buildOf('v2');
const lean = buildOf('lean');
const builds = { v1, v2, lean };

let server: DevServer;

before(async () => {
  server = await startDevServer({
    ui: false,
    extraArgs: [
      '--dynamic-config-value',
      'matching.wv.VersionDrainageStatusRefreshInterval="1s"',
      '--dynamic-config-value',
      'matching.wv.VersionDrainageStatusVisibilityGracePeriod="1s"',
    ],
  });
});
after(async () => {
  await server?.stop();
});

/** One deployment on a fresh task queue: workers of builds v1 and v2, and a client. */
async function withDeployment(fn: (d: Deployment) => Promise<void>): Promise<void> {
  const taskQueue = `rollout-${randomUUID()}`;
  const name = `rollout-${randomUUID().slice(0, 8)}`;
  const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
  const running: Array<{ worker: Worker; done: Promise<void> }> = [];
  const d: Deployment = {
    name,
    taskQueue,
    client,
    async startWorker(build, options = {}) {
      // A connection per worker: the SDK refuses two workers of one build on one connection and task queue.
      const connection = await NativeConnection.connect({ address: server.address });
      const worker = await createWorker({
        graphs: [builds[build]],
        connection,
        namespace: server.namespace,
        taskQueue,
        deployment: { name, buildId: build, ...(options.threads ? { threads: options.threads } : {}) },
        ...(options.unversioned ? { deployment: undefined } : {}),
      });
      const entry = { worker, done: worker.run().finally(() => connection.close()) };
      running.push(entry);
      return async () => {
        worker.shutdown();
        await entry.done;
      };
    },
    async setCurrent(buildId) {
      // The version exists once one of its workers has polled: until then the server refuses it.
      for (let tries = 0; ; tries++) {
        try {
          await client.temporal.workflowService.setWorkerDeploymentCurrentVersion({
            namespace: server.namespace,
            deploymentName: name,
            buildId,
          });
          return;
        } catch (error) {
          if (tries > 100) throw error;
          await sleep(200);
        }
      }
    },
    async drainage(buildId) {
      const { workerDeploymentVersionInfo } = await client.temporal.workflowService.describeWorkerDeploymentVersion({
        namespace: server.namespace,
        deploymentVersion: { deploymentName: name, buildId },
      });
      const status = workerDeploymentVersionInfo?.drainageInfo?.status;
      // temporal.api.enums.v1.VersionDrainageStatus: DRAINING 1, DRAINED 2.
      return status === 2 ? 'drained' : status === 1 ? 'draining' : 'none';
    },
  };
  try {
    await fn(d);
  } finally {
    for (const { worker, done } of running) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch(() => {});
    }
    await client.close();
  }
}

interface Deployment {
  name: string;
  taskQueue: string;
  client: GraphClient;
  /** Starts a worker of `build`; the function returned stops it. */
  startWorker(
    build: keyof typeof builds,
    options?: { threads?: 'pinned' | 'auto-upgrade'; unversioned?: boolean },
  ): Promise<() => Promise<void>>;
  setCurrent(buildId: string): Promise<void>;
  drainage(buildId: string): Promise<'draining' | 'drained' | 'none'>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value (not undefined); fails after about a minute. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 300; tries++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`Timed out waiting until ${what}`);
}

const config = (id: string) => ({ configurable: { thread_id: id } });

describe('rolling deploys with Worker Versioning', () => {
  it('finishes threads paused on v1 on v1 while v2 is current, sends new threads to v2, and drains v1', async () => {
    await withDeployment(async (d) => {
      const stopV1 = await d.startWorker('v1');
      await d.setCurrent('v1');
      const old = [threadId('old'), threadId('old')];
      for (const id of old) assert.ok((await d.client.graph(v1).invoke({}, config(id))).__interrupt__);

      await d.startWorker('v2');
      await d.setCurrent('v2');
      assert.equal(await d.drainage('v1'), 'draining');
      const fresh = threadId('new');
      assert.ok((await d.client.graph(v2).invoke({}, config(fresh))).__interrupt__);

      for (const id of old) {
        const done = await d.client.graph(v1).invoke(new Command({ resume: 'yes' }), config(id));
        assert.deepEqual(done.log, ['ask@v1:yes', 'review@v1']);
        assert.deepEqual((await d.client.threadVersion(id)).version, { deploymentName: d.name, buildId: 'v1' });
      }
      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      const shown = await durableGraph(env, ['show', old[0]!]);
      assert.match(shown.stdout, new RegExp(`Version +build "v1" of deployment "${d.name}" \\(pinned\\)`));
      const done = await d.client.graph(v2).invoke(new Command({ resume: 'ok' }), config(fresh));
      assert.deepEqual(done.log, ['ask@v2:ok', 'review@v2', 'finish@v2']);
      assert.equal((await d.client.threadVersion(fresh)).behavior, 'PINNED');

      // Every v1 thread has finished: the server reports v1 drained, and its workers can stop.
      await eventually('v1 is drained', async () => ((await d.drainage('v1')) === 'drained' ? true : undefined));
      await stopV1();
    });
  });

  it('keeps a thread whose version has no worker waiting, and finishes it when a worker of that version returns', async () => {
    await withDeployment(async (d) => {
      const stopV1 = await d.startWorker('v1');
      await d.setCurrent('v1');
      const id = threadId('orphan');
      assert.ok((await d.client.graph(v1).invoke({}, config(id))).__interrupt__);
      await stopV1();
      await d.startWorker('v2');
      await d.setCurrent('v2');

      // A resume Update would wait for a v1 worker: the CLI refuses it, naming the version and both ways on.
      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      const refused = await durableGraph(env, ['resume', id, '"later"']);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `No worker is running thread "${id}" \\(no worker of its version \\(build "v1" of deployment "${d.name}"\\)`,
        ),
      );
      assert.match(refused.stderr, /workers of other builds never take its steps/);
      assert.match(
        refused.stderr,
        new RegExp(`durable-graph worker <module> --task-queue ${d.taskQueue} --deployment ${d.name} --build-id v1`),
      );
      assert.match(refused.stderr, new RegExp(`durable-graph move ${id} --build-id <build>`));

      // The answer is recorded; no v1 worker runs the step, and v2 workers never take it.
      const handle = d.client.temporal.workflow.getHandle(id);
      await handle.signal('resume', { resume: 'later' });
      const other = threadId('meanwhile');
      await d.client.graph(v2).invoke({}, config(other));
      await d.client.graph(v2).invoke(new Command({ resume: 'x' }), config(other));
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      // Queries wait for a worker of the thread's version too; the server shows the workflow task waiting for one.
      assert.ok((await handle.describe()).raw.pendingWorkflowTask);
      // `show` says what waits, for which version, and what to do, from the server alone.
      const shown = await durableGraph(env, ['show', id, '--timeout', '1']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(
        shown.stdout,
        new RegExp(
          `Waiting for a worker of its version: thread "${id}" runs on build "v1" of deployment "${d.name}" only, ` +
            `and no worker of that build (polls|answered within 1 s)`,
        ),
      );
      assert.match(shown.stdout, /Node "ask" runs once one does\. Start one:/);
      assert.match(shown.stdout, new RegExp(`--deployment ${d.name} --build-id v1`));
      assert.match(shown.stdout, new RegExp(`durable-graph move ${id} --build-id <build>`));
      const json = JSON.parse((await durableGraph(env, ['show', id, '--timeout', '1', '--json'])).stdout) as {
        waitingForVersion?: { deploymentName: string; buildId: string; nodes: string[] };
      };
      assert.deepEqual(
        { ...json.waitingForVersion, why: undefined, workerCommand: undefined, moveCommand: undefined },
        {
          deploymentName: d.name,
          buildId: 'v1',
          nodes: ['ask'],
          why: undefined,
          workerCommand: undefined,
          moveCommand: undefined,
        },
      );

      await d.startWorker('v1');
      const result = (await handle.result()) as { values?: { log: string[] }; log?: string[] };
      assert.deepEqual(result.values?.log ?? result.log, ['ask@v1:later', 'review@v1']);
      assert.doesNotMatch((await durableGraph(env, ['show', id])).stdout, /Waiting for a worker/);
    });
  });

  it('moves a paused thread to another version: it resumes there, and can be moved back', async () => {
    await withDeployment(async (d) => {
      await d.startWorker('v1');
      await d.setCurrent('v1');
      const id = threadId('moved');
      assert.ok((await d.client.graph(v1).invoke({}, config(id))).__interrupt__);
      await d.startWorker('v2');
      await d.setCurrent('v2');

      // A build that never polled the thread's task queue (a typo): refused, saying what to start; nothing changed.
      await assert.rejects(d.client.moveThread(id, { deploymentName: d.name, buildId: 'v3' }), (e: unknown) => {
        assert.ok(isDurableGraphError(e), String(e));
        assert.equal(e.code, 'INVALID_INPUT');
        assert.match(
          e.message,
          new RegExp(
            `^Thread "${id}" was not moved to build "v3" of deployment "${d.name}": no worker of that build has polled`,
          ),
        );
        assert.match(e.message, new RegExp(`\`durable-graph worker <module> --deployment ${d.name} --build-id v3\``));
        return true;
      });
      assert.equal((await d.client.threadVersion(id)).override, undefined);

      const moved = await d.client.moveThread(id, { deploymentName: d.name, buildId: 'v2' });
      assert.deepEqual(moved.override, { deploymentName: d.name, buildId: 'v2' });
      assert.equal((await d.client.moveThread(id, 'unset')).override, undefined);
      // Our CLI (the deployment is the thread's own) and the stock temporal CLI set the same override.
      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      const cli = await durableGraph(env, ['move', id, '--build-id', 'v2']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /override pinned to build "v2": its next step runs there/);
      const where = ['--address', server.address, '--namespace', server.namespace];
      await run(server.cliPath, [
        'workflow',
        'update-options',
        '-w',
        id,
        '--versioning-override-behavior',
        'unspecified',
        ...where,
      ]);
      assert.equal((await d.client.threadVersion(id)).override, undefined);
      await run(server.cliPath, [
        'workflow',
        'update-options',
        '-w',
        id,
        '--versioning-override-behavior',
        'pinned',
        '--versioning-override-deployment-name',
        d.name,
        '--versioning-override-build-id',
        'v2',
        ...where,
      ]);
      // The node that paused runs again on v2: v2's code on the shape the thread started with (no "finish").
      const done = await d.client.graph(v2).invoke(new Command({ resume: 'moved' }), config(id));
      assert.deepEqual(done.log, ['ask@v2:moved', 'review@v2']);
      assert.deepEqual((await d.client.threadVersion(id)).version, { deploymentName: d.name, buildId: 'v2' });
    });
  });

  it('keeps a thread moved to a build that lacks its next node waiting, names the node, the build and the move, and goes on when moved back', async () => {
    await withDeployment(async (d) => {
      await d.startWorker('v1');
      await d.setCurrent('v1');
      await d.startWorker('lean');
      const id = threadId('moved-lacking');
      assert.ok((await d.client.graph(v1).invoke({}, config(id))).__interrupt__);
      await d.client.moveThread(id, { deploymentName: d.name, buildId: 'lean' });
      const handle = d.client.temporal.workflow.getHandle(id);
      await handle.signal('resume', { resume: 'yes' });

      // "ask" ran on lean; its graph has no "review": the step waits, and says so where a user looks.
      const waiting = await eventually('getState shows the step waiting for a worker', async () => {
        const task = (await d.client.graph(v1).getState(config(id))).tasks.find((t) => t.name === 'review');
        return task?.error;
      });
      assert.equal(waiting.name, 'UNKNOWN_NODE');
      assert.match(
        waiting.message,
        new RegExp(
          `^Thread "${id}" needs node "review" of graph "rollout", which this worker \\(build "lean" of deployment ` +
            `"${d.name}", the version the thread runs on\\) does not have`,
        ),
      );
      assert.match(
        waiting.message,
        new RegExp(
          `Move the thread to a build whose graph has "review": \`durable-graph move ${id} --build-id <build>\``,
        ),
      );
      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      const shown = await eventually('show lists the node being retried', async () => {
        const run = await durableGraph(env, ['show', id]);
        return run.stdout.includes('Retrying node "review"') ? run.stdout : undefined;
      });
      assert.match(
        shown,
        new RegExp(`Version +build "lean" of deployment "${d.name}" \\(pinned\\); moved to build "lean"`),
      );
      assert.match(
        shown,
        /the last attempt failed:\n\s+Thread ".*" needs node "review" of graph "rollout", which this worker \(build "lean"/,
      );

      // The way on it names: move the thread to a build that has "review".
      const moved = await durableGraph(env, ['move', id, '--build-id', 'v1']);
      assert.equal(moved.code, 0, moved.stderr);
      const result = (await handle.result()) as { values?: { log: string[] }; log?: string[] };
      assert.deepEqual(result.values?.log ?? result.log, ['ask@lean:yes', 'review@v1']);
    });
  });

  it('refuses to move a thread that has finished or does not exist, saying why and what to do, from code and the CLI', async () => {
    await withDeployment(async (d) => {
      await d.startWorker('v1');
      await d.setCurrent('v1');
      const id = threadId('finished');
      assert.ok((await d.client.graph(v1).invoke({}, config(id))).__interrupt__);
      await d.client.graph(v1).invoke(new Command({ resume: 'yes' }), config(id));

      for (const to of [{ deploymentName: d.name, buildId: 'v1' }, 'auto-upgrade', 'unset'] as const) {
        const error = await d.client.moveThread(id, to).then(
          () => assert.fail('moved a finished thread'),
          (e: unknown) => e,
        );
        assert.ok(isDurableGraphError(error), String(error));
        assert.equal(error.code, 'THREAD_FINISHED');
        assert.equal(error.threadId, id);
        assert.equal((error as ThreadFinishedError).status, 'completed');
        assert.match(error.message, new RegExp(`^Thread "${id}" has finished \\(status: completed\\)`));
        assert.match(
          error.message,
          /nothing was changed\. New input starts a new run of the thread, on the deployment's current version: invoke\(input, config\)/,
        );
      }
      // Where it ran is still there to read.
      assert.deepEqual((await d.client.threadVersion(id)).version, { deploymentName: d.name, buildId: 'v1' });

      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      for (const how of [['--build-id', 'v1'], ['--auto-upgrade']]) {
        const cli = await durableGraph(env, ['move', id, ...how]);
        assert.equal(cli.code, 1, cli.stdout);
        assert.match(cli.stderr, new RegExp(`^error: Thread "${id}" has finished \\(status: completed\\)`));
        assert.match(cli.stderr, new RegExp(`\`durable-graph show ${id}\` prints its final state`));
        assert.match(cli.stderr, /\[THREAD_FINISHED\] docs\/errors\.md#thread_finished/);
        assert.doesNotMatch(cli.stderr, /NOT_FOUND|already completed|ServiceError/);
      }

      const missing = threadId('missing');
      for (const call of [() => d.client.moveThread(missing, 'auto-upgrade'), () => d.client.threadVersion(missing)])
        await assert.rejects(call(), (e: unknown) => {
          assert.ok(isDurableGraphError(e), String(e));
          assert.equal(e.code, 'THREAD_NOT_FOUND');
          assert.match(e.message, new RegExp(`^Thread "${missing}" does not exist\\.`));
          return true;
        });
      for (const how of [['--build-id', 'v1'], ['--auto-upgrade']]) {
        const cli = await durableGraph(env, ['move', missing, ...how]);
        assert.equal(cli.code, 1, cli.stdout);
        assert.match(
          cli.stderr,
          new RegExp(
            `^error: Thread "${missing}" does not exist\\. List the threads with \`durable-graph threads --status all\``,
          ),
        );
      }
    });
  });

  it('refuses deployment names and build ids the server refuses before sending anything, as INVALID_INPUT naming the value', async () => {
    await withDeployment(async (d) => {
      const refused: Array<{ name: string; buildId: string; says: RegExp }> = [
        { name: '', buildId: 'v1', says: /[nN]ame "" is empty/ },
        { name: 'rollout.eu', buildId: 'v1', says: /[nN]ame "rollout\.eu" contains "\."/ },
        { name: 'rollout:eu', buildId: 'v1', says: /[nN]ame "rollout:eu" contains ":"/ },
        { name: '__rollout', buildId: 'v1', says: /[nN]ame "__rollout" starts with "__"/ },
        { name: 'n'.repeat(481), buildId: 'v1', says: /[nN]ame "n+" is 481 bytes long; Temporal takes at most 480/ },
        { name: d.name, buildId: '', says: /(buildId|build id) "" is empty/ },
        { name: d.name, buildId: '__unversioned__', says: /"__unversioned__" starts with "__"/ },
        { name: d.name, buildId: 'é'.repeat(128), says: /is 256 bytes long; Temporal takes at most 255/ },
      ];
      const missing = threadId('never-started');
      for (const { name, buildId, says } of refused) {
        const what = JSON.stringify({ name: name.slice(0, 20), buildId: buildId.slice(0, 20) });
        // createWorker refuses before it connects: nothing listens at this address.
        await assert.rejects(
          createWorker({ graphs: [v1], address: '127.0.0.1:1', namespace: 'default', deployment: { name, buildId } }),
          (e: unknown) =>
            isDurableGraphError(e) &&
            e.code === 'INVALID_INPUT' &&
            says.test(e.message) &&
            /no worker was started/.test(e.message),
          what,
        );
        // moveThread refuses before it asks the server (which would say the thread does not exist).
        await assert.rejects(
          d.client.moveThread(missing, { deploymentName: name, buildId }),
          (e: unknown) =>
            isDurableGraphError(e) &&
            e.code === 'INVALID_INPUT' &&
            says.test(e.message) &&
            /nothing was changed/.test(e.message),
          what,
        );
      }

      // The rules are the server's: a plain Temporal worker polling as each refused version (the empty ones the SDK
      // refuses itself) is never listed among its task queue's pollers, while one of an accepted version is.
      const connection = await NativeConnection.connect({ address: server.address });
      const probes = [
        ...refused.filter((r) => r.name && r.buildId),
        { name: d.name, buildId: 'accepted', says: /^$/ },
      ].map(async ({ name, buildId }) => {
        const taskQueue = `probe-${randomUUID()}`;
        const worker = await Worker.create({
          connection,
          namespace: server.namespace,
          taskQueue,
          activities: { probe: async () => {} },
          workerDeploymentOptions: {
            version: { deploymentName: name, buildId },
            useWorkerVersioning: true,
            defaultVersioningBehavior: 'PINNED',
          },
        });
        return { buildId, taskQueue, worker, done: worker.run() };
      });
      const started = await Promise.all(probes);
      try {
        const pollers = async (taskQueue: string) =>
          (
            await d.client.temporal.workflowService.describeTaskQueue({
              namespace: server.namespace,
              taskQueue: { name: taskQueue },
              taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
            })
          ).pollers ?? [];
        const accepted = started.at(-1)!;
        await eventually('the accepted version polls', async () =>
          (await pollers(accepted.taskQueue)).length ? true : undefined,
        );
        for (const probe of started.slice(0, -1)) assert.deepEqual(await pollers(probe.taskQueue), [], probe.taskQueue);
      } finally {
        for (const { worker, done } of started) {
          worker.shutdown();
          await done.catch(() => {});
        }
        await connection.close();
      }

      // The CLI, in its words: the flag, the value, what did not happen.
      const env = { address: '127.0.0.1:1', namespace: server.namespace, taskQueue: d.taskQueue };
      const worker = await durableGraph(env, [
        'worker',
        'test/integration/fixtures/crash-graph.ts',
        '--deployment',
        'rollout.eu',
        '--build-id',
        'v1',
      ]);
      assert.equal(worker.code, 1);
      assert.match(
        worker.stderr,
        /^error: --deployment "rollout\.eu": the deployment name contains "\."[^\n]*; no worker was started\./,
      );
      const move = await durableGraph(env, ['move', missing, '--build-id', '']);
      assert.equal(move.code, 1);
      assert.match(move.stderr, /^error: --build-id "": the build id is empty[^\n]*; nothing was changed\./);
    });
  });

  it('retries a node that the worker lacks, with a message saying what to do, and runs it once a worker has it', async () => {
    await withDeployment(async (d) => {
      // No versioning: a worker of other code (no "review") is the only one on the task queue.
      await d.startWorker('lean', { unversioned: true });
      const id = threadId('lacking');
      const handle = d.client.graph(v1);
      assert.ok((await handle.invoke({}, config(id))).__interrupt__);
      await d.client.temporal.workflow.getHandle(id).signal('resume', { resume: 'yes' });

      const waiting = await eventually('getState shows the step waiting for a worker', async () => {
        const task = (await handle.getState(config(id))).tasks.find((t) => t.name === 'review');
        return task?.error;
      });
      assert.equal(waiting.name, 'UNKNOWN_NODE');
      assert.match(waiting.message, new RegExp(`Thread "${id}" needs node "review" of graph "rollout"`));
      assert.match(waiting.message, /this worker \(not versioned\) does not have/);
      assert.match(waiting.message, /Keep a worker whose graph has "review" running/);
      // The Web UI's pending Activity shows the same words as its last failure.
      const pending = await eventually('the pending Activity has a last failure', async () => {
        const { raw } = await d.client.temporal.workflow.getHandle(id).describe();
        return raw.pendingActivities?.find((a) => a.lastFailure?.message)?.lastFailure?.message ?? undefined;
      });
      assert.match(pending, /needs node "review"/);
      // So does `durable-graph show`, from the server alone (the memo and the pending Activity).
      const env = { address: server.address, namespace: server.namespace, taskQueue: d.taskQueue };
      const shown = await eventually('show lists the node being retried', async () => {
        const run = await durableGraph(env, ['show', id, '--timeout', '1']);
        return run.stdout.includes('Retrying node "review"') ? run.stdout : undefined;
      });
      assert.match(shown, /the last attempt failed:\n\s+Thread ".*" needs node "review"/);

      await d.startWorker('v1', { unversioned: true });
      const result = (await d.client.temporal.workflow.getHandle(id).result()) as {
        values?: { log: string[] };
        log?: string[];
      };
      assert.deepEqual(result.values?.log ?? result.log, ['ask@lean:yes', 'review@v1']);
      const { status } = await d.client.temporal.workflow.getHandle(id).describe();
      assert.equal(status.name, 'COMPLETED');
    });
  });
});
