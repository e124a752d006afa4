/**
 * The `durable-graph` CLI as a user runs it: a child process against the real test server, with
 * `--address`, `--namespace` and `--task-queue`. Workers run in this process (withGraphs) unless a
 * test is about running without one.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { approvalGraph } from '../../examples/approval/graph.js';
import { threadsQuery } from '../../src/cli/commands/threads.js';
import { GraphClient } from '../../src/client.js';
import { z } from 'zod';
import { Command, END, NodeInterrupt, START, StateGraph, appendReducer, withReducer } from '../../src/index.js';
import { findTemporalCli } from '../../src/dev-server/find-temporal-cli.js';
import type { ThreadState } from '../../src/protocol/payloads.js';
import { createWorker } from '../../src/worker.js';
import { runDurableGraph } from '../helpers/durable-graph-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainTs = join(root, 'src', 'cli', 'main.ts');
const bin = join(root, 'bin', 'durable-graph.mjs');
const APPROVAL_QUESTION = { question: 'Approve this action?', proposed_action: 'send email about Q3 report' };

/** Pauses at `check` with NodeInterrupt (no id, takes no resume value) while x > 5. */
const guardedGraph = new StateGraph(
  z.object({ x: z.number(), log: withReducer(z.array(z.string()), appendReducer, () => []) }),
)
  .addNode('a', () => ({ log: ['a'] }))
  .addNode('check', (s) => {
    if (s.x > 5) throw new NodeInterrupt(`x too big: ${s.x}`);
    return { log: ['check'] };
  })
  .addNode('b', () => ({ log: ['b'] }))
  .addEdge(START, 'a')
  .addEdge('a', 'check')
  .addEdge('check', 'b')
  .addEdge('b', END)
  .compile({ name: 'cli-node-interrupt' });

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source to completion. */
function runCli(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--conditions=durable-graph-source', '--import', 'tsx', mainTs, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, options.timeoutMs ?? 60_000, args);
}

function collect(child: ChildProcess, timeoutMs: number, args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `durable-graph ${args.join(' ')} did not exit within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves with everything printed so far once stdout matches `pattern`; rejects if the process exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`No output matching ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
        ),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (pattern.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited (code ${code}) before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const config = (id: string) => ({ configurable: { thread_id: id } });

function flagsOf(env: { address: string; namespace: string; taskQueue: string }): string[] {
  return ['--address', env.address, '--namespace', env.namespace, '--task-queue', env.taskQueue];
}

/** Visibility is eventually consistent: waits (up to ~10 s) until `query` finds the thread. */
async function waitUntilListed(client: GraphClient, id: string, query: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    for await (const info of client.temporal.workflow.list({ query: `${query} AND WorkflowId="${id}"` })) {
      if (info.workflowId === id) return;
    }
    if (Date.now() > deadline) throw new Error(`Thread ${id} did not appear in visibility for: ${query}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('durable-graph CLI', () => {
  it('ends quietly with exit code 0 when the reader of its output goes away (`threads | head`)', async () => {
    await withGraphs([approvalGraph], async (env) => {
      for (const n of [1, 2, 3])
        await env.client.graph(approvalGraph).invoke({ request: `r${n}` }, config(threadId('cli-pipe')));
      const child = spawn(
        process.execPath,
        ['--conditions=durable-graph-source', '--import', 'tsx', mainTs, 'threads', ...flagsOf(env)],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout!.destroy(); // as `head` does once it has read its lines
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    });
  });

  it('lists a paused thread with its pending interrupt id and value under `threads`', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-threads');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));
      await waitUntilListed(env.client, id, threadsQuery({ status: 'interrupted' }));

      const asJson = await runCli(['threads', '--json', '--query', `WorkflowId="${id}"`, ...flagsOf(env)]);
      assert.equal(asJson.code, 0, asJson.stderr);
      const rows = JSON.parse(asJson.stdout) as Array<
        Record<string, unknown> & { interrupts: Array<{ id: string; node: string; value: unknown }> }
      >;
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.equal(row!.threadId, id);
      assert.equal(row!.graph, 'approval');
      assert.equal(row!.status, 'interrupted');
      assert.deepEqual(row!.pendingNodes, ['human_review']);
      assert.equal(row!.interrupts.length, 1);
      assert.match(row!.interrupts[0]!.id, /^[0-9a-f]{32}$/);
      assert.equal(row!.interrupts[0]!.node, 'human_review');
      assert.deepEqual(row!.interrupts[0]!.value, APPROVAL_QUESTION);

      const asText = await runCli(['threads', '--graph', 'approval', '--query', `WorkflowId="${id}"`, ...flagsOf(env)]);
      assert.equal(asText.code, 0, asText.stderr);
      assert.match(asText.stdout, new RegExp(`${id}\\s+approval\\s+interrupted\\s+1\\s+human_review`));
      assert.ok(
        asText.stdout.includes(
          `interrupt ${row!.interrupts[0]!.id} in human_review: ${JSON.stringify(APPROVAL_QUESTION)}`,
        ),
        asText.stdout,
      );
    });
  });

  it('shows the values, the pending interrupt and the exact resume commands under `show`', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-show');
      const paused = await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));
      const interruptId = paused.__interrupt__![0]!.id;

      const text = await runCli(['show', id, ...flagsOf(env)]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /Status\s+interrupted \(step 1\)/);
      assert.match(text.stdout, /Source\s+getState Query/);
      assert.ok(text.stdout.includes(`interrupt ${interruptId} in node "human_review"`), text.stdout);
      assert.ok(text.stdout.includes('"question": "Approve this action?"'), text.stdout);
      assert.ok(text.stdout.includes('"proposed_action": "send email about Q3 report"'), text.stdout);
      assert.ok(
        text.stdout.includes(
          `durable-graph resume ${id} '<value>' --address ${env.address} --namespace ${env.namespace}`,
        ),
        text.stdout,
      );
      assert.ok(
        text.stdout.includes(
          `temporal workflow signal --address ${env.address} --namespace ${env.namespace} --workflow-id ${id} --name resume --input '{"resume": <value>}'`,
        ),
        text.stdout,
      );

      const json = await runCli(['show', id, '--json', ...flagsOf(env)]);
      assert.equal(json.code, 0, json.stderr);
      const view = JSON.parse(json.stdout);
      assert.equal(view.source, 'getState');
      assert.deepEqual(view.next, ['human_review']);
      assert.equal(view.values.proposed_action, 'send email about Q3 report');
      assert.deepEqual(view.interrupts, [{ id: interruptId, node: 'human_review', value: APPROVAL_QUESTION }]);
    });
  });

  it('sends nothing for `resume <thread>` without a value: it says what the thread waits for, and how to answer', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-no-value');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));

      const result = await runCli(['resume', id, ...flagsOf(env)]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /needs the answer as JSON; nothing was sent/);
      assert.match(
        result.stderr,
        /node "human_review" \(interrupt [0-9a-f]{32}\) asks: \{"question":"Approve this action\?"/,
      );
      assert.ok(result.stderr.includes(`durable-graph resume ${id} '<value>'`), result.stderr);
      assert.doesNotMatch(result.stderr, /\btrue\b/, 'no value is suggested');

      const state = await env.client.graph(approvalGraph).getState(config(id));
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(state.rejectedResumes, []);
    });
  });

  it('completes a paused thread with `resume <thread> true` and prints the final values', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-resume');
      await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));

      const result = await runCli(['resume', id, 'true', ...flagsOf(env)]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Completed\. Final values:/);
      assert.ok(result.stdout.includes('"result": "EXECUTED: send email about Q3 report"'), result.stdout);

      const state = await env.client.graph(approvalGraph).getState(config(id));
      assert.equal(state.status, 'completed');
      assert.equal(state.values.result, 'EXECUTED: send email about Q3 report');
    });
  });

  it('exits 2 with NO_PENDING_INTERRUPT when resuming a thread that has completed', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-done');
      const graph = env.client.graph(approvalGraph);
      await graph.invoke({ request: 'Q3 report' }, config(id));
      await graph.invoke(new Command({ resume: true }), config(id));

      const text = await runCli(['resume', id, 'true', ...flagsOf(env)]);
      assert.equal(text.code, 2, text.stderr);
      assert.match(text.stderr, /has no pending interrupt \(status: completed\).*\[NO_PENDING_INTERRUPT\]/);

      const json = await runCli(['resume', id, '--json', ...flagsOf(env)]);
      assert.equal(json.code, 2);
      assert.equal(JSON.parse(json.stdout).error.code, 'NO_PENDING_INTERRUPT');
    });
  });

  it('exits 2 with INVALID_RESUME for an --id that is not pending, and the thread stays paused', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-bad-id');
      const paused = await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));
      const unknownId = randomUUID().replace(/-/g, '');

      const result = await runCli(['resume', id, 'true', '--id', unknownId, ...flagsOf(env)]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`names interrupt id\\(s\\) "${unknownId}" that are not pending.*\\[INVALID_RESUME\\]`),
      );

      const state = await env.client.graph(approvalGraph).getState(config(id));
      assert.equal(state.status, 'interrupted');
      assert.deepEqual(
        state.tasks.flatMap((t) => t.interrupts.map((i) => i.id)),
        [paused.__interrupt__![0]!.id],
      );
    });
  });

  it('answers one interrupt by id with `resume --id`', async () => {
    await withGraphs([approvalGraph], async (env) => {
      const id = threadId('cli-by-id');
      const paused = await env.client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id));

      const result = await runCli([
        'resume',
        id,
        'false',
        '--id',
        paused.__interrupt__![0]!.id,
        '--json',
        ...flagsOf(env),
      ]);
      assert.equal(result.code, 0, result.stderr);
      const outcome = JSON.parse(result.stdout);
      assert.deepEqual(outcome.payload, { resume: { [paused.__interrupt__![0]!.id]: false } });
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.values.result, 'REJECTED: send email about Q3 report');
    });
  });

  it('records `resume --signal` with no worker running, shows the memo meanwhile, and a later worker applies it', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const env = { address: server.address, namespace: server.namespace, taskQueue };
    const connection = await NativeConnection.connect({ address: server.address });
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const id = threadId('cli-signal');
      const first = await createWorker({ graphs: [approvalGraph], connection, namespace: server.namespace, taskQueue });
      const paused = await first.runUntil(client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(id)));
      const interruptId = paused.__interrupt__![0]!.id;

      // No worker now: show falls back to what the thread published, and says so.
      const shown = await runCli(['show', id, '--timeout', '1', ...flagsOf(env)]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(
        shown.stdout,
        /Source\s+memo and search attributes \(no worker answered the getState Query within 1 s/,
      );
      assert.ok(shown.stdout.includes(`interrupt ${interruptId} in node "human_review"`), shown.stdout);

      const sent = await runCli(['resume', id, 'true', '--signal', ...flagsOf(env)]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.ok(
        sent.stdout.includes(`Sent the resume Signal {"resume": true} to thread "${id}" (graph "approval")`),
        sent.stdout,
      );

      const second = await createWorker({
        graphs: [approvalGraph],
        connection,
        namespace: server.namespace,
        taskQueue,
      });
      const final = (await second.runUntil(client.temporal.workflow.getHandle(id).result())) as ThreadState;
      assert.equal(final.values.result, 'EXECUTED: send email about Q3 report');
    } finally {
      await client.close();
      await connection.close();
    }
  });

  it('exits 2 without needing a worker when the thread has not paused yet', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const id = threadId('cli-not-paused');
      // Started by name on a task queue no worker polls: it runs (on paper) but has published no interrupt.
      await client.graph('approval').start({ request: 'Q3 report' }, config(id));
      const result = await runCli(['resume', id, 'true', ...flagsOf({ ...server, taskQueue })]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /has no pending interrupt \(status: running\).*\[NO_PENDING_INTERRUPT\]/);
      await client.temporal.workflow.getHandle(id).terminate('test cleanup');
    } finally {
      await client.close();
    }
  });

  it('exits 1 and explains the syntax when the resume value is not JSON', async () => {
    const result = await runCli(['resume', 'any-thread', '{not json', '--address', '127.0.0.1:1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The resume value must be JSON, got \{not json\./);
  });

  it('hosts every compiled graph a module exports with `worker <module>` and stops cleanly on SIGINT', async () => {
    const server = await getTestServer();
    const taskQueue = `test-${randomUUID()}`;
    const child = spawn(
      process.execPath,
      [bin, 'worker', 'examples/approval/graph.ts', ...flagsOf({ ...server, taskQueue })],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
    try {
      const banner = await waitForOutput(child, /Press Ctrl-C to stop\./, 60_000);
      assert.ok(banner.includes(`Worker hosting graph "approval" on task queue "${taskQueue}"`), banner);

      const paused = await client.graph(approvalGraph).invoke({ request: 'Q3 report' }, config(threadId('cli-worker')));
      assert.deepEqual(paused.__interrupt__![0]!.value, APPROVAL_QUESTION);

      child.kill('SIGINT');
      assert.equal(await exitOf(child, 30_000), 0);
    } finally {
      stop(child);
      await client.close();
    }
  });

  it('runs `dev` with its state in ./.data/temporal.db and the Web UI on, until SIGINT; commands in its folder find it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'durable-graph-dev-'));
    // The finder looks for .tools/ beside the nearest package.json; a temp folder has none, so name the CLI.
    const cli = await findTemporalCli({ log: () => undefined });
    const [port, uiPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [bin, 'dev', '--port', String(port), '--ui-port', String(uiPort)], {
      cwd,
      env: { ...process.env, TEMPORAL_CLI_PATH: cli.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const banner = await waitForOutput(child, /Press Ctrl-C to stop\./, 90_000);
      assert.match(banner, new RegExp(`Address\\s+127\\.0\\.0\\.1:${port}`));
      assert.match(banner, new RegExp(`Web UI\\s+http://127\\.0\\.0\\.1:${uiPort}`));
      assert.ok(banner.includes(`export TEMPORAL_ADDRESS=127.0.0.1:${port}`), banner);

      const listed = await runCli(['threads', '--json', '--address', `127.0.0.1:${port}`]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.deepEqual(JSON.parse(listed.stdout), []);

      // Commands run in that folder find the server with no address given (it is not on the default port).
      const record = JSON.parse(readFileSync(join(cwd, '.data', 'dev-server.json'), 'utf8'));
      assert.equal(record.address, `127.0.0.1:${port}`);
      assert.equal(record.uiUrl, `http://127.0.0.1:${uiPort}`);
      const noAddress: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_CONFIG_FILE: join(cwd, 'absent.toml') };
      delete noAddress.TEMPORAL_ADDRESS;
      delete noAddress.TEMPORAL_NAMESPACE;
      const found = await runDurableGraph(['threads', '--json'], { cwd, env: noAddress });
      assert.equal(found.code, 0, found.stderr);
      assert.deepEqual(JSON.parse(found.stdout), []);
      assert.ok(found.stderr.includes(`runs in this folder: 127.0.0.1:${port} (.data/dev-server.json)`), found.stderr);
      const missing = await runDurableGraph(['show', 'no-such-thread', '--json'], { cwd, env: noAddress });
      assert.equal(missing.code, 1);
      assert.equal(JSON.parse(missing.stdout).error.code, 'THREAD_NOT_FOUND', 'the server answered');

      child.kill('SIGINT');
      assert.equal(await exitOf(child, 30_000), 0);
      assert.ok(existsSync(join(cwd, '.data', 'temporal.db')));
      assert.ok(!existsSync(join(cwd, '.data', 'dev-server.json')), 'the record goes with the server');
    } finally {
      stop(child);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('shows a NodeInterrupt pause as such under `threads` and `show`, refuses a value, and continues with `resume --continue`', async () => {
    await withGraphs([guardedGraph], async (env) => {
      const id = threadId('cli-node-interrupt');
      const graph = env.client.graph(guardedGraph);
      const paused = await graph.invoke({ x: 10 }, config(id));
      assert.deepEqual(paused.__interrupt__, [{ value: 'x too big: 10' }]);
      await waitUntilListed(env.client, id, threadsQuery({ status: 'interrupted' }));

      const listed = await runCli(['threads', '--query', `WorkflowId="${id}"`, ...flagsOf(env)]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(
        listed.stdout.includes('NodeInterrupt in check (no id; takes no resume value): "x too big: 10"'),
        listed.stdout,
      );
      assert.ok(listed.stdout.includes('durable-graph resume <thread> --continue'), listed.stdout);
      assert.doesNotMatch(listed.stdout, /undefined/);
      const rows = JSON.parse(
        (await runCli(['threads', '--json', '--query', `WorkflowId="${id}"`, ...flagsOf(env)])).stdout,
      );
      assert.deepEqual(
        [rows[0].interrupts, rows[0].nodeInterrupts, rows[0].pendingNodes],
        [[], [{ node: 'check', value: 'x too big: 10' }], ['check']],
      );

      const flags = `--address ${env.address} --namespace ${env.namespace}`;
      const shown = await runCli(['show', id, ...flagsOf(env)]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.ok(
        shown.stdout.includes(
          'Paused by NodeInterrupt (1):\n  NodeInterrupt in node "check" (no id; takes no resume value):\n    "x too big: 10"',
        ),
        shown.stdout,
      );
      assert.ok(shown.stdout.includes(`durable-graph resume ${id} --continue ${flags}`), shown.stdout);
      assert.ok(
        shown.stdout.includes(`temporal workflow signal ${flags} --workflow-id ${id} --name resume --input '{}'`),
        shown.stdout,
      );
      assert.match(shown.stdout, /updateState\(config, values\)/);
      assert.doesNotMatch(shown.stdout, /interrupt undefined|resume \S+ true|"resume": true/);
      const view = JSON.parse((await runCli(['show', id, '--json', ...flagsOf(env)])).stdout);
      assert.deepEqual(
        [view.interrupts, view.nodeInterrupts, view.resumeCommands],
        [[], [{ node: 'check', value: 'x too big: 10' }], null],
      );
      assert.deepEqual(view.continueCommands.durableGraph, [`durable-graph resume ${id} --continue ${flags}`]);

      // A value has nowhere to go: refused before anything is sent, pointing at --continue.
      const refused = await runCli(['resume', id, 'true', ...flagsOf(env)]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        /paused by NodeInterrupt in node "check".*takes no resume value.*durable-graph resume \S+ --continue.*\[INVALID_RESUME\]/s,
      );

      // --continue runs the node again (invoke(null)): it throws again while x > 5.
      const again = await runCli(['resume', id, '--continue', ...flagsOf(env)]);
      assert.equal(again.code, 0, again.stderr);
      assert.ok(
        again.stdout.includes(`Resumed thread "${id}" (graph "cli-node-interrupt") with {} (continue).`),
        again.stdout,
      );
      assert.ok(again.stdout.includes('Paused again at check with 0 pending interrupt(s).'), again.stdout);
      assert.ok(again.stdout.includes('NodeInterrupt in node "check"'), again.stdout);
      assert.doesNotMatch(again.stdout, /undefined/);

      // After updateState the node passes; --continue as a Signal (recorded at once) completes the thread.
      await graph.updateState(config(id), { x: 1 });
      const sent = await runCli(['resume', id, '--continue', '--signal', ...flagsOf(env)]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.ok(sent.stdout.includes(`Sent the resume Signal {} (continue) to thread "${id}"`), sent.stdout);
      const final = (await env.client.temporal.workflow.getHandle(id).result()) as ThreadState;
      assert.deepEqual(final.values, { x: 1, log: ['a', 'check', 'b'] });

      const both = await runCli(['resume', id, 'true', '--continue', ...flagsOf(env)]);
      assert.equal(both.code, 1);
      assert.match(both.stderr, /--continue sends no value; drop the value/);
    });
  });
});
