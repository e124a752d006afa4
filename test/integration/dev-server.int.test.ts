/**
 * startDevServer against the real Temporal CLI: what the running server offers, and that it goes away when asked to
 * and when its parent process ends. Starts its own servers (rather than getTestServer()) because the launcher is
 * what is under test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { searchAttributeDefinitions } from '../../src/protocol/search-attributes.js';
import { DevServerStartError, startDevServer, type DevServer } from '../../src/dev-server/index.js';
import { ensureSearchAttributes } from '../../src/dev-server/start-dev-server.js';

const quiet = { log: () => {} };
const searchAttributeNames = searchAttributeDefinitions.map((d) => d.name).sort();

/** Whether `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) counts as stopped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  // Field 3 of /proc/<pid>/stat, after the parenthesised command name, is the state letter.
  return !/\)\s+Z\b/.test(readFileSync(stat, 'utf8'));
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a dev server started by startDevServer', { timeout: 120_000 }, () => {
  let server: DevServer;
  let connection: Connection;

  before(async () => {
    server = await startDevServer({ ...quiet, namespace: 'dg-test' });
    connection = await Connection.connect({ address: server.address });
  });

  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  test('answers GetSystemInfo at the address it reports', async () => {
    const info = await connection.workflowService.getSystemInfo({});
    assert.match(info.serverVersion ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(server.address, `127.0.0.1:${server.port}`);
  });

  test('has both durable-graph search attributes registered in the requested namespace', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'dg-test' });
    assert.deepEqual(
      Object.keys(customAttributes)
        .filter((n) => n.startsWith('DurableGraph'))
        .sort(),
      searchAttributeNames,
    );
    assert.equal(server.namespace, 'dg-test');
  });

  test('was started with eager activity execution, eager workflow start and Updates turned on', () => {
    const expected = [
      'system.enableActivityEagerExecution=true',
      'system.enableEagerWorkflowStart=true',
      'frontend.enableUpdateWorkflowExecution=true',
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ];
    for (const value of expected) {
      const i = server.args.indexOf(value);
      assert.ok(i > 0 && server.args[i - 1] === '--dynamic-config-value', `missing --dynamic-config-value ${value}`);
    }
    // What the OS says the running process was given, not only what we meant to pass.
    if (existsSync(`/proc/${server.pid}/cmdline`)) {
      const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
      assert.ok(cmdline.includes('system.enableActivityEagerExecution=true'));
    }
  });

  test('serves the Web UI at uiUrl', async () => {
    assert.ok(server.uiUrl !== undefined);
    const response = await fetch(server.uiUrl);
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });

  test('ensureSearchAttributes registers the missing search attributes in a new namespace, then adds nothing', async () => {
    const namespace = `dg-ensure-${Date.now()}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // A new namespace reaches the server's namespace cache after a short delay.
    let added: string[] | undefined;
    let lastError: unknown;
    const ok = await waitUntil(async () => {
      try {
        added = await ensureSearchAttributes(connection, namespace);
        return true;
      } catch (error) {
        lastError = error;
        return false;
      }
    }, 30_000);
    assert.ok(ok, `ensureSearchAttributes kept failing: ${String(lastError)}`);
    assert.deepEqual(added?.sort(), searchAttributeNames);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    assert.deepEqual(
      Object.keys(customAttributes)
        .filter((n) => n.startsWith('DurableGraph'))
        .sort(),
      searchAttributeNames,
    );
    assert.deepEqual(await ensureSearchAttributes(connection, namespace), []);
  });

  test('stop() ends the server process and frees its port', async () => {
    const { pid, port } = server;
    await server.stop();
    assert.equal(isAlive(pid), false);
    await server.stop(); // A second call is harmless.
    // The port can be bound again, so nothing listens there any more.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });
});

describe('startDevServer failures', { timeout: 60_000 }, () => {
  test("reports the server's own error message when the server exits at once", async () => {
    await assert.rejects(startDevServer({ ...quiet, ui: false, extraArgs: ['--no-such-flag'] }), (error: Error) => {
      assert.ok(error instanceof DevServerStartError);
      assert.match(error.message, /exited before it was ready/);
      assert.match(error.message, /unknown flag: --no-such-flag/);
      return true;
    });
  });

  test('says which option to change when a port given in the options is taken', async () => {
    const sockets = new Set<Socket>();
    const blocker = createServer((socket) => sockets.add(socket));
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      await assert.rejects(startDevServer({ ...quiet, ui: false, port }), (error: Error) => {
        assert.ok(error instanceof DevServerStartError);
        assert.match(error.message, /address already in use/);
        assert.match(error.message, /pass other `port`\/`uiPort` values, or omit them/);
        return true;
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      blocker.close();
    }
  });
});

describe('a dev server whose parent process ends', { timeout: 60_000 }, () => {
  test('is stopped when the Node.js process that started it exits without calling stop()', async () => {
    const launcher = fileURLToPath(new URL('../../src/dev-server/index.ts', import.meta.url));
    // The child starts a server, prints its pid and simply runs out of work: the server must not keep it alive.
    const script = `import { startDevServer } from ${JSON.stringify(launcher)};
const server = await startDevServer({ ui: false, log: () => {} });
console.log(String(server.pid));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(exitCode, 0);
    const pid = Number(stdout.trim());
    assert.ok(pid > 0, `no pid printed: ${stdout}`);
    assert.ok(await waitUntil(() => !isAlive(pid), 15_000), `dev server ${pid} still runs after its parent exited`);
  });
});
