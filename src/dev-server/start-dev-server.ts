/**
 * Starts `temporal server start-dev` as a child process configured the way durable-graph needs it, and waits until it
 * really serves requests.
 *
 * Why not `TestWorkflowEnvironment.createLocal()`: it downloads the CLI at run time (impossible on registry-only
 * machines), deletes a cached copy after a day, and gives the server only 5 s to come up, which flakes on a loaded CI
 * machine. Here the CLI comes from {@link findTemporalCli}, readiness waits as long as `readyTimeoutMs`, and "ready"
 * also means our search attributes are visible, so the first Workflow that upserts them cannot race their registration.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../protocol/search-attributes.js';
import { findTemporalCli } from './find-temporal-cli.js';

/** Options for {@link startDevServer}. */
export interface DevServerOptions {
  /**
   * Path of the `temporal` executable.
   * @default the result of `findTemporalCli()` (which may install the CLI)
   */
  cliPath?: string;
  /**
   * Address the gRPC frontend (and the UI) bind to.
   * @default '127.0.0.1'
   */
  ip?: string;
  /**
   * gRPC frontend port.
   * @default a free port, chosen by binding port 0
   */
  port?: number;
  /**
   * Web UI port; ignored when `ui` is false.
   * @default a free port, chosen by binding port 0
   */
  uiPort?: number;
  /**
   * Serve the Temporal Web UI. With `false` the server runs `--headless`, which starts faster.
   * @default true
   */
  ui?: boolean;
  /**
   * SQLite file that keeps Workflow Executions across restarts; its parent folders are created.
   * @default in-memory: everything is lost when the server stops
   */
  dbFilename?: string;
  /**
   * Namespace to create and wait for. `default` always exists as well.
   * @default 'default'
   */
  namespace?: string;
  /**
   * File that receives the server's stdout and stderr (appended; parent folders are created).
   * @default none: output is kept in memory, and only its tail is shown when starting fails
   */
  logFile?: string;
  /**
   * Arguments appended verbatim to `temporal server start-dev`, e.g.
   * `['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=100']`.
   * @default []
   */
  extraArgs?: string[];
  /**
   * How long to wait for the server to answer and show our search attributes.
   * @default 60000
   */
  readyTimeoutMs?: number;
  /**
   * Receives progress lines (CLI found or installed, server started).
   * @default console.error with a `[durable-graph]` prefix
   */
  log?: (line: string) => void;
  /**
   * Keep this Node.js process alive while the server runs. By default the server never holds the process open: it
   * is stopped when the process exits (e.g. at the end of a test file), so forgetting `stop()` cannot hang a run.
   * Set it for a long-running `dev` command whose only job is to keep the server up.
   * @default false
   */
  keepProcessAlive?: boolean;
}

/** A running dev server started by {@link startDevServer}. */
export interface DevServer {
  /** gRPC address for `Connection.connect({ address })` / `NativeConnection.connect({ address })`, e.g. `127.0.0.1:7233`. */
  address: string;
  /** Namespace that is ready and has durable-graph's search attributes. */
  namespace: string;
  /** gRPC frontend port. */
  port: number;
  /** Web UI port; absent when started with `ui: false`. */
  uiPort?: number;
  /** Web UI URL, e.g. `http://127.0.0.1:8233`; absent when started with `ui: false`. */
  uiUrl?: string;
  /** The `temporal` executable that runs the server. */
  cliPath: string;
  /** Process id of the server. */
  pid: number;
  /** Arguments given to the CLI (after the executable), for logs and debugging. */
  args: readonly string[];
  /**
   * Stops the server: SIGTERM, then SIGKILL if it has not exited after 10 s. Resolves once the process is gone.
   * Safe to call more than once.
   */
  stop(): Promise<void>;
}

/** Thrown by {@link startDevServer} when the server exits early or does not become ready in time. */
export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
  /** The last lines the server printed (stdout and stderr, or the log file). */
  readonly outputTail: string;
  constructor(message: string, outputTail: string, options?: { cause?: unknown }) {
    super(message, options);
    this.outputTail = outputTail;
  }
}

/**
 * Dynamic config the engine relies on. Eager activity execution is off on every released server (see
 * temporal-notes GOTCHA 9); Updates and eager workflow start are on by default in newer servers (≥ 1.25, ≥ 1.29),
 * but older CLIs (a go-built one, or one from PATH) may bundle an older server, so we ask for them explicitly, like
 * sdk-core's ephemeral server does.
 */
export const devServerDynamicConfig: readonly string[] = [
  'system.enableActivityEagerExecution=true',
  'system.enableEagerWorkflowStart=true',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
];

/** How often we retry the whole start when a port we picked was taken before the server bound it. */
const PORT_RACE_ATTEMPTS = 3;
/** Grace period between SIGTERM and SIGKILL in `stop()`. */
const STOP_GRACE_MS = 10_000;

/**
 * Starts a Temporal dev server (`temporal server start-dev`) with durable-graph's search attributes and dynamic
 * config, and resolves once it answers `GetSystemInfo` and lists both search attributes in `namespace`.
 *
 * The server is a child of this process: it is sent SIGTERM when this process exits, and (unless
 * `keepProcessAlive`) it does not keep the process alive. A Ctrl-C in a terminal reaches it too, because it stays in
 * the same process group.
 *
 * @throws {@link DevServerStartError} when the server exits early or is not ready within `readyTimeoutMs`; the
 * message includes the tail of its output. The process is killed first.
 * @throws {@link TemporalCliNotFoundError} when `cliPath` is omitted and no CLI can be found or installed.
 * @example
 * ```ts
 * const server = await startDevServer({ ui: false });
 * const connection = await Connection.connect({ address: server.address });
 * // … run Workers and Clients against server.namespace …
 * await server.stop();
 * ```
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? defaultLog;
  const cliPath = options.cliPath ?? (await findTemporalCli({ log })).path;
  const ip = options.ip ?? '127.0.0.1';
  const ui = options.ui ?? true;
  const namespace = options.namespace ?? 'default';
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const picksPorts = options.port === undefined || (ui && options.uiPort === undefined);
  if (options.dbFilename !== undefined) mkdirSync(dirname(resolve(options.dbFilename)), { recursive: true });
  if (options.logFile !== undefined) mkdirSync(dirname(resolve(options.logFile)), { recursive: true });
  const disableNewsFetch = ui && (await supportsFlag(cliPath, '--ui-disable-news-fetch'));

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(ip));
    const uiPort = ui ? (options.uiPort ?? (await findFreePort(ip, [port]))) : undefined;
    try {
      return await startOnce({
        ...options,
        cliPath,
        ip,
        ui,
        namespace,
        readyTimeoutMs,
        port,
        uiPort,
        disableNewsFetch,
        log,
      });
    } catch (error) {
      // Ports chosen by binding port 0 can be taken by someone else before the server binds them: pick new ones.
      if (picksPorts && attempt < PORT_RACE_ATTEMPTS && error instanceof PortInUseError) {
        log(
          `Port ${port}${uiPort === undefined ? '' : `/${uiPort}`} was taken before the dev server bound it; retrying with new ports.`,
        );
        continue;
      }
      throw error;
    }
  }
}

/**
 * Registers durable-graph's search attributes in `namespace` when they are missing, for a server you started
 * yourself (a dev server started by {@link startDevServer} already has them). The worker registers them the same way.
 */
export { ensureSearchAttributes } from '../server/search-attributes.js';

// ---------------------------------------------------------------------------------------------------------------------

class PortInUseError extends DevServerStartError {}

interface StartOnceOptions extends DevServerOptions {
  cliPath: string;
  ip: string;
  ui: boolean;
  namespace: string;
  readyTimeoutMs: number;
  port: number;
  uiPort: number | undefined;
  disableNewsFetch: boolean;
  log: (line: string) => void;
}

async function startOnce(o: StartOnceOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port)];
  if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  if (o.disableNewsFetch) args.push('--ui-disable-news-fetch');
  if (o.dbFilename !== undefined) args.push('--db-filename', resolve(o.dbFilename));
  args.push('--namespace', o.namespace, '--log-level', 'warn');
  for (const { name, cliType } of searchAttributeDefinitions) args.push('--search-attribute', `${name}=${cliType}`);
  for (const entry of devServerDynamicConfig) args.push('--dynamic-config-value', entry);
  args.push(...(o.extraArgs ?? []));

  const output = openOutput(o.logFile);
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(o.cliPath, args, { stdio: ['ignore', output.stdio, output.stdio], env: process.env });
  } finally {
    // The child holds its own copy of the log file descriptor.
    output.closeParentCopy();
  }
  output.attach(child);
  const exited = watchExit(child);
  if (!o.keepProcessAlive) {
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  trackChild(child);

  const host = connectHost(o.ip);
  const address = `${host.includes(':') ? `[${host}]` : host}:${o.port}`;
  const commandLine = `${o.cliPath} ${args.join(' ')}`;

  const fail = async (message: string, cause?: unknown): Promise<never> => {
    // Read the output before killing: what the server says while shutting down would push the cause out of the tail.
    const tail = output.tail();
    await terminate(child, exited, 2_000);
    const shown = tail === '' ? '(the server printed nothing)' : tail;
    const portInUse = /address already in use|EADDRINUSE/i.test(tail);
    const hint = portInUse
      ? '\nA port is already in use: pass other `port`/`uiPort` values, or omit them to get free ports.'
      : '';
    const ErrorClass = portInUse ? PortInUseError : DevServerStartError;
    throw new ErrorClass(
      `${message}${hint}\nCommand: ${commandLine}\nServer output${o.logFile === undefined ? '' : ` (${o.logFile})`}:\n${shown}`,
      tail,
      { cause },
    );
  };

  const deadline = started + o.readyTimeoutMs;
  const names = searchAttributeDefinitions.map((d) => d.name);
  let connection: Connection | undefined;
  let lastProblem: unknown;
  /** One readiness check: `undefined` when ready, otherwise what is still wrong. */
  const probe = async (): Promise<unknown> => {
    try {
      // A short connect timeout: gRPC waits out its reconnect backoff (about 1 s) after a refused connection, so a
      // fresh attempt notices the server sooner than a long one.
      connection ??= await Connection.connect({
        address,
        connectTimeout: Math.max(50, Math.min(300, deadline - Date.now())),
      });
      const ready = connection;
      const callDeadline = Math.min(deadline, Date.now() + 2_000);
      await ready.withDeadline(callDeadline, () => ready.workflowService.getSystemInfo({}));
      const { customAttributes } = await ready.withDeadline(callDeadline, () =>
        ready.operatorService.listSearchAttributes({ namespace: o.namespace }),
      );
      const missing = names.filter((name) => !(name in (customAttributes ?? {})));
      if (missing.length === 0) return undefined;
      return new Error(`search attributes ${missing.join(', ')} not visible in namespace "${o.namespace}" yet`);
    } catch (error) {
      return error ?? new Error('unknown error');
    }
  };
  const exitedMarker = Symbol('exited');
  try {
    for (;;) {
      const exit = exited.status();
      if (exit !== undefined) {
        return await fail(`The Temporal dev server exited before it was ready (${exit}).`);
      }
      if (Date.now() > deadline) {
        return await fail(
          `The Temporal dev server at ${address} was not ready within ${o.readyTimeoutMs} ms ` +
            `(last problem: ${describe(lastProblem)}). Raise readyTimeoutMs if this machine is slow.`,
          lastProblem,
        );
      }
      // Racing the exit reports a server that dies at once (bad flag, port taken) without waiting out a connect.
      const outcome = await Promise.race([probe(), exited.whenExited.then(() => exitedMarker)]);
      if (outcome === exitedMarker) continue;
      if (outcome === undefined) break;
      lastProblem = outcome;
      await exited.within(100);
    }
  } finally {
    await connection?.close().catch(() => undefined);
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const uiUrl = o.uiPort === undefined ? undefined : `http://${host.includes(':') ? `[${host}]` : host}:${o.uiPort}`;
  o.log(
    `Temporal dev server ready in ${seconds} s at ${address} (namespace "${o.namespace}"${uiUrl ? `, UI ${uiUrl}` : ', headless'}; pid ${child.pid}).`,
  );

  let stopping: Promise<void> | undefined;
  return {
    address,
    namespace: o.namespace,
    port: o.port,
    ...(o.uiPort === undefined ? {} : { uiPort: o.uiPort, uiUrl }),
    cliPath: o.cliPath,
    pid: child.pid as number,
    args,
    stop: () => (stopping ??= terminate(child, exited, STOP_GRACE_MS)),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Process handling

interface ExitWatch {
  /** `undefined` while running, else e.g. `exit code 1` or `signal SIGTERM`. */
  status(): string | undefined;
  /** Resolves after `ms`, or earlier when the process exits. */
  within(ms: number): Promise<void>;
  /** Resolves when the process exits (or fails to start); never otherwise. */
  whenExited: Promise<void>;
}

function watchExit(child: ChildProcess): ExitWatch {
  let status: string | undefined;
  const waiters = new Set<() => void>();
  let markExited: () => void = () => undefined;
  const whenExited = new Promise<void>((resolvePromise) => (markExited = resolvePromise));
  const done = (text: string): void => {
    status ??= text;
    markExited();
    for (const wake of waiters) wake();
    waiters.clear();
  };
  child.once('exit', (code, signal) => done(signal !== null ? `killed by signal ${signal}` : `exit code ${code}`));
  // A spawn failure (ENOENT, EACCES) arrives as 'error' without an 'exit'.
  child.once('error', (error) => done(`could not start: ${error.message}`));
  return {
    status: () => status,
    whenExited,
    within: (ms) =>
      new Promise<void>((resolvePromise) => {
        if (status !== undefined) return resolvePromise();
        // This timer is ref'd on purpose: it keeps the event loop alive while someone awaits the child's exit.
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolvePromise();
        }, ms);
        const wake = (): void => {
          clearTimeout(timer);
          resolvePromise();
        };
        waiters.add(wake);
      }),
  };
}

async function terminate(child: ChildProcess, exited: ExitWatch, graceMs: number): Promise<void> {
  if (exited.status() === undefined) {
    child.kill('SIGTERM');
    await exited.within(graceMs);
  }
  if (exited.status() === undefined) {
    child.kill('SIGKILL');
    await exited.within(5_000);
  }
  untrackChild(child);
}

/** Children still running; one shared 'exit' listener kills them all (one listener per server would trip MaxListeners). */
const liveChildren = new Set<ChildProcess>();

function killLiveChildren(): void {
  // Only synchronous work is possible in an 'exit' handler, so we cannot wait for a graceful shutdown here; SIGTERM
  // still lets the server close SQLite cleanly after we are gone.
  for (const child of liveChildren) {
    try {
      child.kill('SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

function trackChild(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on('exit', killLiveChildren);
  liveChildren.add(child);
  child.once('exit', () => untrackChild(child));
}

function untrackChild(child: ChildProcess): void {
  if (!liveChildren.delete(child)) return;
  if (liveChildren.size === 0) process.off('exit', killLiveChildren);
}

// ---------------------------------------------------------------------------------------------------------------------
// Output capture

interface Output {
  stdio: 'pipe' | number;
  closeParentCopy(): void;
  attach(child: ChildProcess): void;
  tail(): string;
}

const TAIL_LINES = 40;

/**
 * With a log file, the server writes to it directly (nothing passes through this process, so nothing can fill a pipe
 * buffer). Without one, we drain both pipes into a bounded buffer; an undrained pipe would block the server.
 */
function openOutput(logFile: string | undefined): Output {
  if (logFile !== undefined) {
    const path = resolve(logFile);
    let fd: number | undefined = openSync(path, 'a');
    const startOffset = fstatSync(fd).size;
    return {
      stdio: fd,
      closeParentCopy: () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
      attach: () => undefined,
      tail: () => lastLines(readFrom(path, startOffset)),
    };
  }
  let buffer = '';
  return {
    stdio: 'pipe',
    closeParentCopy: () => undefined,
    attach: (child) => {
      const append = (chunk: Buffer): void => {
        buffer = (buffer + chunk.toString('utf8')).slice(-32 * 1024);
      };
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
    },
    tail: () => lastLines(buffer),
  };
}

/** What was appended to `path` since `offset` (at most the last 32 KiB). */
function readFrom(path: string, offset: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - 32 * 1024);
    const bytes = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The last {@link TAIL_LINES} lines, preceded by any earlier `Error:` lines: on a bad flag the CLI prints the error
 * first and then a long usage text that would push it out of the tail.
 */
function lastLines(text: string): string {
  const lines = text.trimEnd().split('\n');
  const tail = lines.slice(-TAIL_LINES);
  const earlierErrors = lines.slice(0, -TAIL_LINES).filter((line) => /^\s*(Error|panic|fatal)\b/i.test(line));
  const skipped = lines.length - tail.length;
  if (skipped === 0) return tail.join('\n');
  return [...earlierErrors, `… (${skipped} earlier lines not shown)`, ...tail].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers

/** Binds port 0 on `ip` to let the OS pick a free port, then releases it for the server. */
function findFreePort(ip: string, avoid: number[] = []): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        if (port === 0) reject(new Error(`Could not find a free port on ${ip}`));
        else if (avoid.includes(port)) findFreePort(ip, avoid).then(resolvePromise, reject);
        else resolvePromise(port);
      });
    });
  });
}

/** A wildcard bind address cannot be dialled; connect through loopback instead. */
function connectHost(ip: string): string {
  if (ip === '0.0.0.0' || ip === '') return '127.0.0.1';
  if (ip === '::' || ip === '[::]') return '::1';
  return ip;
}

const flagSupport = new Map<string, Promise<boolean>>();

/** Whether `temporal server start-dev` knows `flag` (it appeared in later CLI versions than some users have). */
function supportsFlag(cliPath: string, flag: string): Promise<boolean> {
  const key = `${cliPath}\0${flag}`;
  let cached = flagSupport.get(key);
  if (cached === undefined) {
    cached = new Promise<boolean>((resolvePromise) => {
      let text = '';
      const child = spawn(cliPath, ['server', 'start-dev', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('error', () => resolvePromise(false));
      child.once('close', () => resolvePromise(text.includes(flag)));
    });
    flagSupport.set(key, cached);
  }
  return cached;
}

function describe(error: unknown): string {
  if (error === undefined) return 'none';
  return error instanceof Error ? error.message : String(error);
}

function defaultLog(line: string): void {
  console.error(`[durable-graph] ${line}`);
}
