/**
 * The package as a user installs it: `npm pack` (which runs the `prepare` build), the tarball installed into a new
 * ES module project and a new CommonJS project (`npm init -y`), and in each a graph with an interrupt() run to its
 * pause and its end against the test server, twice: once from the project's own worker + client script, once through
 * the installed `durable-graph` bin (`worker`, `show`, `resume`). Nothing here imports the sources.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { getTestServer, type TestServer } from '../helpers/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** Offline when the npm cache has everything (the repo's own install filled it); quiet about audits and funding. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

type Flavor = 'esm' | 'cjs';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects with its output when it exits non-zero or outlives `timeoutMs`. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      if (code === 0) resolve(result);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${cwd}) exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          ),
        );
    });
  });
}

/** The last line of stdout that parses as JSON. */
function lastJson(text: string): any {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {
      // a log line
    }
  }
  throw new Error(`no JSON line in:\n${text}`);
}

/** The graph every project defines, in that project's module syntax. */
function graphSource(flavor: Flavor): string {
  const body = `const State = z.object({ request: z.string(), approved: z.boolean().optional(), result: z.string().optional() });
const Answer = z.object({ approved: z.boolean(), comment: z.string().optional() });

const graph = new StateGraph(State)
  .addNode('review', (s) => {
    const answer = interrupt({ question: 'Approve ' + s.request + '?' }, { responseSchema: Answer });
    return { approved: answer.approved };
  })
  .addNode('act', (s) => ({ result: (s.approved ? 'sent: ' : 'dropped: ') + s.request }))
  .addEdge(START, 'review')
  .addEdge('review', 'act')
  .addEdge('act', END)
  .compile({ name: 'installed-approval' });
`;
  return flavor === 'esm'
    ? `import { z } from 'zod';\nimport { END, START, StateGraph, interrupt } from 'durable-graph';\n\n${body}\nexport { graph };\n`
    : `const { z } = require('zod');\nconst { END, START, StateGraph, interrupt } = require('durable-graph');\n\n${body}\nmodule.exports = { graph };\n`;
}

/**
 * `app.js <thread>`: a worker and a client in one process run the graph to its pause, print it, resume it and print
 * the end. The CommonJS flavour require()s the library and import()s the client, and checks both give one instance.
 */
function appSource(flavor: Flavor): string {
  const main = `async function main() {
  const [thread] = process.argv.slice(2);
  const address = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE;
  const taskQueue = 'installed-' + thread;
  const worker = await createWorker({ graphs: [graph], address, namespace, taskQueue });
  const client = await GraphClient.connect({ address, namespace, taskQueue });
  try {
    await worker.runUntil(async () => {
      const config = { configurable: { thread_id: thread } };
      console.log(JSON.stringify({ paused: await client.graph(graph).invoke({ request: 'report' }, config) }));
      console.log(JSON.stringify({ done: await client.graph(graph).invoke(new Command({ resume: { approved: true } }), config) }));
    });
  } finally {
    await client.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
  return flavor === 'esm'
    ? `import { Command } from 'durable-graph';
import { createWorker } from 'durable-graph/worker';
import { GraphClient } from 'durable-graph/client';
import { graph } from './graph.js';

${main}`
    : `const { Command } = require('durable-graph');
const { createWorker } = require('durable-graph/worker');
const { graph } = require('./graph.js');
let GraphClient;

${main.replace(
  'async function main() {\n',
  `async function main() {
  const imported = await import('durable-graph');
  if (imported.Command !== Command) throw new Error('require() and import() gave two copies of durable-graph');
  ({ GraphClient } = await import('durable-graph/client'));
`,
)}`;
}

/** `start.js <thread> <taskQueue>`: starts a thread and prints it at its pause; a worker elsewhere runs the nodes. */
function startSource(flavor: Flavor): string {
  const imports =
    flavor === 'esm'
      ? `import { GraphClient } from 'durable-graph/client';\nimport { graph } from './graph.js';\n`
      : `const { GraphClient } = require('durable-graph/client');\nconst { graph } = require('./graph.js');\n`;
  return `${imports}
async function main() {
  const [thread, taskQueue] = process.argv.slice(2);
  const client = await GraphClient.connect({ address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE, taskQueue });
  try {
    console.log(JSON.stringify(await client.graph(graph).invoke({ request: 'memo' }, { configurable: { thread_id: thread } })));
  } finally {
    await client.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}

describe('the packed package, installed into new projects', { timeout: 600_000 }, () => {
  let work: string;
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  const projects = {} as Record<Flavor, string>;

  before(async () => {
    server = await getTestServer();
    work = mkdtempSync(join(tmpdir(), 'durable-graph-package-'));
    env = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace };
    // The test runner's own flags (--conditions=durable-graph-source, --import tsx) must not reach the projects.
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    // Nor the runner's engine bundle, built from the sources: the installed package bundles its own build.
    delete env.DURABLE_GRAPH_ENGINE_BUNDLE;
    const started = Date.now();
    await run(npm, ['pack', '--pack-destination', work, '--loglevel=error'], root, env);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball into ${work}`);
    const packed = Date.now();
    // Both projects install at once: the work is mostly waiting on the file system.
    await Promise.all(
      (['esm', 'cjs'] as const).map(async (flavor) => {
        const dir = join(work, flavor);
        mkdirSync(dir);
        await run(npm, ['init', '-y', '--loglevel=error'], dir, env);
        if (flavor === 'esm') await run(npm, ['pkg', 'set', 'type=module'], dir, env);
        await run(npm, ['install', ...INSTALL_FLAGS, join(work, tarball)], dir, env);
        writeFileSync(join(dir, 'graph.js'), graphSource(flavor));
        writeFileSync(join(dir, 'app.js'), appSource(flavor));
        writeFileSync(join(dir, 'start.js'), startSource(flavor));
        projects[flavor] = dir;
      }),
    );
    console.error(
      `[package-install] npm pack ${((packed - started) / 1000).toFixed(1)} s, two installs ${((Date.now() - packed) / 1000).toFixed(1)} s`,
    );
  });

  after(() => {
    if (!work) return;
    // Two node_modules trees take long to delete on a busy machine: a detached `rm -rf` does it after we are gone.
    if (process.platform === 'win32') rmSync(work, { recursive: true, force: true });
    else spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
  });

  for (const flavor of ['esm', 'cjs'] as const) {
    const label = flavor === 'esm' ? 'an ES module project' : 'a CommonJS project (npm init -y)';

    it(`runs a graph to its interrupt and on to its end from the worker and client of ${label}`, async () => {
      const thread = `pkg-${flavor}-${randomUUID()}`;
      const { stdout } = await run(process.execPath, ['app.js', thread], projects[flavor], env);
      const lines = stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"paused"') || l.startsWith('{"done"'))
        .map((l) => JSON.parse(l));
      assert.equal(lines.length, 2, stdout);
      const paused = lines[0].paused;
      assert.equal(paused.request, 'report');
      assert.equal(paused.__interrupt__.length, 1);
      assert.deepEqual(paused.__interrupt__[0].value, { question: 'Approve report?' });
      assert.equal(paused.__interrupt__[0].response_schema.additionalProperties, false);
      assert.deepEqual(paused.__interrupt__[0].response_schema.required, ['approved']);
      assert.deepEqual(lines[1].done, { request: 'report', approved: true, result: 'sent: report' });
    });

    it(`hosts the graph with the installed durable-graph bin of ${label} and shows and resumes the thread with it`, async () => {
      const thread = `pkg-bin-${flavor}-${randomUUID()}`;
      const taskQueue = `installed-bin-${thread}`;
      // The installed bin link itself (npx would stand between it and the Ctrl-C that stops it).
      const bin = join(
        projects[flavor],
        'node_modules',
        '.bin',
        process.platform === 'win32' ? 'durable-graph.cmd' : 'durable-graph',
      );
      const worker = spawn(bin, ['worker', './graph.js', '--task-queue', taskQueue], {
        cwd: projects[flavor],
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      });
      let workerOutput = '';
      worker.stdout!.on('data', (c: Buffer) => (workerOutput += c.toString('utf8')));
      worker.stderr!.on('data', (c: Buffer) => (workerOutput += c.toString('utf8')));
      // A worker that dies (a module it cannot load) fails the test at once instead of leaving the start waiting.
      const workerDied = new Promise<never>((_, reject) =>
        worker.once('exit', (code, signal) =>
          reject(new Error(`the bin's worker exited (${signal ?? code}):\n${workerOutput}`)),
        ),
      );
      workerDied.catch(() => undefined);
      try {
        const starting = run(process.execPath, ['start.js', thread, taskQueue], projects[flavor], env);
        starting.catch(() => undefined); // when the worker's exit wins the race below, this one's failure is moot
        const paused = lastJson((await Promise.race([starting, workerDied])).stdout);
        assert.deepEqual(
          paused.__interrupt__?.[0]?.value,
          { question: 'Approve memo?' },
          `worker output:\n${workerOutput}`,
        );
        assert.match(workerOutput, /Worker hosting graph "installed-approval" on task queue/);

        const cli = (args: string[]) =>
          run(npx, ['--no', 'durable-graph', ...args, '--task-queue', taskQueue, '--json'], projects[flavor], env);
        const shown = JSON.parse((await cli(['show', thread])).stdout);
        assert.equal(shown.status, 'interrupted');
        assert.equal(shown.graph, 'installed-approval');
        assert.deepEqual(shown.next, ['review']);
        assert.deepEqual(
          shown.interrupts.map((i: { node: string; value: unknown }) => [i.node, i.value]),
          [['review', { question: 'Approve memo?' }]],
        );

        const resumed = JSON.parse((await cli(['resume', thread, '{"approved": false}'])).stdout);
        assert.equal(resumed.status, 'completed');
        assert.deepEqual(resumed.values, { request: 'memo', approved: false, result: 'dropped: memo' });
      } finally {
        await stop(worker);
      }
    });
  }
});

/** Ctrl-C for the bin's worker (a graceful shutdown), then SIGKILL if it is still there after 15 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
