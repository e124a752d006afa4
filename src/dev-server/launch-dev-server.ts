/**
 * One attempt at starting the server on ports already chosen: spawn it, wait until it is ready, and hand back the
 * running server. On failure the process is killed first and the error carries the tail of its output; a port that
 * was taken gets its own error class so `startDevServer` can retry with new ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { startDevArgs } from './dev-server-args.js';
import type { DevServer, DevServerOptions } from './dev-server-options.js';
import { DevServerStartError, PortInUseError } from './dev-server-start-error.js';
import { openOutput } from './server-output.js';
import { terminate, trackChild, watchExit } from './server-process.js';
import { waitUntilReady } from './wait-until-ready.js';

/** Grace period between SIGTERM and SIGKILL in `stop()`. */
const STOP_GRACE_MS = 10_000;

/** `startDevServer`'s options with its defaults, the CLI and the ports filled in. */
export interface LaunchOptions extends DevServerOptions {
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

/**
 * Starts the server once with `o`'s ports and resolves when it is ready.
 * @throws {@link PortInUseError} when a port was taken; {@link DevServerStartError} for any other failed start.
 */
export async function launchDevServer(o: LaunchOptions): Promise<DevServer> {
  const args = startDevArgs(o);

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

  await waitUntilReady({
    address,
    namespace: o.namespace,
    deadline: started + o.readyTimeoutMs,
    readyTimeoutMs: o.readyTimeoutMs,
    exited,
    fail,
  });

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

/** A wildcard bind address cannot be dialled; connect through loopback instead. */
function connectHost(ip: string): string {
  if (ip === '0.0.0.0' || ip === '') return '127.0.0.1';
  if (ip === '::' || ip === '[::]') return '::1';
  return ip;
}
