/**
 * `npm run demo` (examples/approval/demo.ts) without a terminal, driven as a child process: it survives its own
 * advice (the printed `temporal workflow signal` command, run while it waits, ends it with the final state), and the
 * links it printed are not dead a second later (it says its server stops, or keeps it up with --keep).
 */
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { findTemporalCli } from '../../src/dev-server/find-temporal-cli.js';
import { getTestServer } from '../helpers/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = join(root, 'examples', 'approval', 'demo.ts');
const tsx = import.meta.resolve('tsx');
const run = promisify(execFile);

interface Demo {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the output once it matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(timeoutMs?: number): Promise<number | null>;
}

/** Starts the demo with stdin a pipe (no terminal), left open unless `closeStdin`. */
function startDemo(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; closeStdin?: boolean }): Demo {
  const child = spawn(process.execPath, ['--conditions=durable-graph-source', '--import', tsx, demo, ...args], {
    cwd: options.cwd ?? root,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (options.closeStdin) child.stdin!.end();
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`The demo printed nothing matching ${pattern} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exit.then((code) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`The demo exited (${code}) before printing ${pattern}:\n${out}`));
        });
      }),
    exited: (timeoutMs = 60_000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The demo did not exit within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      });
      return Promise.race([exit, late]).finally(() => clearTimeout(timer));
    },
  };
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The environment of a demo that starts its own server: no TEMPORAL_ADDRESS, the CLI named (the cwd has no .tools/). */
async function ownServerEnv(): Promise<NodeJS.ProcessEnv> {
  const cli = await findTemporalCli({ log: () => undefined });
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_CLI_PATH: cli.path };
  delete env.TEMPORAL_ADDRESS;
  delete env.TEMPORAL_NAMESPACE;
  return env;
}

describe('npm run demo without a terminal', () => {
  it('ends with the final state when the printed `temporal workflow signal` command answers while it waits', async () => {
    const server = await getTestServer();
    const cli = await findTemporalCli({ log: () => undefined });
    const env = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace };
    const taskQueue = `test-${randomUUID()}`;
    const d = startDemo(['--task-queue', taskQueue], { env });
    try {
      const [, printed] = await d.waitFor(/^ {3}(temporal workflow signal .*)$/m);
      await d.waitFor(/reading a line from stdin/);
      // Exactly the printed command, with the binary's path for `temporal`.
      await run('sh', ['-c', printed!.replace(/^temporal /, `'${cli.path}' `)], { timeout: 60_000 });

      assert.equal(await d.exited(), 0, d.output());
      const out = d.output();
      assert.match(out, /The thread was resumed from elsewhere/);
      assert.match(out, /✔ Final state:[\s\S]*"result": "EXECUTED: send email about Q3 report"/);
      assert.doesNotMatch(out, /auto-approving|invoke\(new Command/, 'the demo did not answer itself');
      assert.doesNotMatch(out, /Error|NO_PENDING_INTERRUPT/);
    } finally {
      stop(d.child);
    }
  });

  it('says its own dev server stops when it ends, so the printed links go dead', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'durable-graph-demo-'));
    const d = startDemo(['--task-queue', `test-${randomUUID()}`], { env: await ownServerEnv(), cwd, closeStdin: true });
    try {
      assert.equal(await d.exited(180_000), 0, d.output());
      const out = d.output();
      assert.match(out, /This dev server stops when the demo ends; `npm run demo -- --keep` keeps it/);
      assert.match(out, /stdin ended with no answer: auto-approving/);
      assert.match(
        out,
        /EXECUTED: send email about Q3 report\n\nStopping the demo's dev server: the links above stop working/,
      );
    } finally {
      stop(d.child);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('keeps its dev server and Web UI up after the thread ends with --keep, until SIGINT', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'durable-graph-demo-'));
    const d = startDemo(['--keep', '--task-queue', `test-${randomUUID()}`], {
      env: await ownServerEnv(),
      cwd,
      closeStdin: true,
    });
    try {
      const [, ui] = await d.waitFor(/The dev server keeps running \(--keep\): \S+, Web UI (\S+)\. /, 180_000);
      const [, link] = /^ {3}(http\S+\/user-metadata)$/m.exec(d.output()) ?? [];
      assert.ok(link?.startsWith(ui!), d.output());
      await new Promise((r) => setTimeout(r, 1_000));
      const page = await fetch(link!);
      assert.equal(page.status, 200, `${link} answers a second after the demo's thread ended`);

      d.child.kill('SIGINT');
      assert.equal(await d.exited(), 0, d.output());
    } finally {
      stop(d.child);
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
