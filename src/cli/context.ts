/**
 * What every command shares: the global options, the connection to Temporal, the CLI's own error
 * class and the exit codes. Library errors (DurableGraphError) pass through unchanged so the user
 * sees the same message, code and docs anchor as in code.
 */
import { hostname, userInfo } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { GraphClient, resolveConnection } from '../client.js';
import { ErrorCode, ServerUnreachableError, isDurableGraphError } from '../errors.js';
import { commandLine } from '../protocol/resume-commands.js';
import { ServerDidNotAnswer, waitForServer } from './wait-for-server.js';

/** Options accepted by every command (before or after the command name). */
export interface GlobalOptions {
  /** @default TEMPORAL_ADDRESS, the Temporal config file's profile, else "localhost:7233" (as GraphClient.connect) */
  address?: string;
  /** @default TEMPORAL_NAMESPACE, the Temporal config file's profile, else "default" */
  namespace?: string;
  /** @default "durable-graph" */
  taskQueue?: string;
  /** Who is acting, recorded by Temporal with every start and resume. @default {@link defaultIdentity} */
  identity?: string;
  /**
   * Seconds to wait out a Temporal server that does not answer (a restart) before giving up, when connecting and
   * during each call. @default {@link DEFAULT_SERVER_OUTAGE_TIMEOUT_S}
   */
  serverOutageTimeout?: number;
}

/** The CLI waits out an outage as long as GraphClient does by default (its `serverOutageTimeout`): a restart fits. */
export const DEFAULT_SERVER_OUTAGE_TIMEOUT_S = 120;

/** Process exit codes; scripts can tell "nothing to do" apart from a failure. */
export const ExitCode = {
  OK: 0,
  /** Usage error (bad argument or option) or operational error (server unreachable, node failed, timeout). */
  ERROR: 1,
  /**
   * The resume was refused and nothing was sent: nothing is pending (NO_PENDING_INTERRUPT), the value does not fit
   * (INVALID_RESUME), or what it answers already has an answer queued.
   */
  NOT_RESUMABLE: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown by a command for a problem of the command line or its environment that no library error describes. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.ERROR;
  }
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (
    isDurableGraphError(error) &&
    (error.code === ErrorCode.NO_PENDING_INTERRUPT ||
      error.code === ErrorCode.INVALID_RESUME ||
      error.code === ErrorCode.PAYLOAD_TOO_LARGE)
  ) {
    return ExitCode.NOT_RESUMABLE;
  }
  return ExitCode.ERROR;
}

/** Clients that connected to a server that had not answered at first: it has just come back (a restart). */
const cameBack = new WeakSet<GraphClient>();

/**
 * Connects a GraphClient with the global options, first waiting out a server that does not answer for
 * `--server-outage-timeout`; a server that never answered gets a message that says nothing was sent (to `threadId`,
 * for a command about one thread) and what to do.
 */
export async function connect(options: GlobalOptions, threadId?: string): Promise<GraphClient> {
  const windowS = options.serverOutageTimeout ?? DEFAULT_SERVER_OUTAGE_TIMEOUT_S;
  try {
    const target = resolveTarget(options);
    const waited = await waitForServer(target, windowS * 1000, () =>
      note(
        `The Temporal server at ${target.address} does not answer; waiting up to ${windowS} s for it ` +
          '(--server-outage-timeout) in case it is restarting. Nothing is sent until it answers.',
      ),
    );
    const client = await GraphClient.connect({
      ...(options.address ? { address: options.address } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
      identity: options.identity || defaultIdentity(),
      serverOutageTimeout: windowS * 1000,
    });
    if (waited) cameBack.add(client);
    return client;
  } catch (error) {
    if (error instanceof ServerDidNotAnswer) throw didNotAnswer(error, options, threadId);
    throw unreachable(error);
  }
}

/**
 * True when `client` had to wait for its server: the server has just come back, and it lists the workers of a task
 * queue only once they poll again.
 */
export function serverJustCameBack(client: GraphClient): boolean {
  return cameBack.has(client);
}

/** The CLI's message for a server that did not answer within the wait: nothing was sent, and what to do. */
function didNotAnswer(error: ServerDidNotAnswer, options: GlobalOptions, threadId: string | undefined): CliError {
  const { address } = resolveTarget(options);
  const waited = Math.round(error.waitedMs / 1000);
  const check =
    threadId === undefined
      ? 'Run the command again once it answers'
      : `Once it answers, check the thread with \`${commandLine(['durable-graph', 'show', threadId, ...connectionFlags(options)])}\` and run the command again`;
  return new CliError(
    `The Temporal server at ${address} did not answer within ${waited} s (${messageOf(error.cause)})` +
      (threadId === undefined
        ? '; nothing was sent. '
        : `, so nothing was sent to thread ${JSON.stringify(threadId)}: nothing was applied to it. `) +
      `${check} (raise --server-outage-timeout to wait longer). If no server runs there, start one with ` +
      '`durable-graph dev`, or point at yours with --address or TEMPORAL_ADDRESS.',
    { cause: error.cause },
  );
}

/**
 * The CLI's message for a failed connection: where it tried (the address a ServerUnreachableError names) and what to
 * do; any other error (an unreadable Temporal config file) keeps its own message.
 */
export function unreachable(error: unknown): CliError {
  const where = error instanceof ServerUnreachableError ? ` at ${error.address}` : '';
  const why =
    error instanceof ServerUnreachableError && error.cause !== undefined ? messageOf(error.cause) : messageOf(error);
  return new CliError(
    `Cannot connect to Temporal${where}: ${why}. ` +
      'Start a local server with `durable-graph dev`, or point at yours with --address or TEMPORAL_ADDRESS.',
    { cause: error },
  );
}

/**
 * The identity the CLI reports to Temporal unless `--identity` is given: `durable-graph-cli:<user>@<host>`, in the
 * form the `temporal` CLI uses (`temporal-cli:<user>@<host>`), so an audit trail tells the two apart.
 */
export function defaultIdentity(): string {
  let user = process.env.USER || process.env.USERNAME || '';
  try {
    user ||= userInfo().username;
  } catch {
    // no user entry (some containers)
  }
  return `durable-graph-cli:${user ? `${user}@` : ''}${hostname()}`;
}

/** The address, namespace and connection options for the global options, as GraphClient.connect resolves them. */
export function resolveTarget(options: GlobalOptions): ReturnType<typeof resolveConnection> {
  return resolveConnection({
    ...(options.address ? { address: options.address } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
}

/**
 * The connection flags to repeat in a printed command so it can be pasted as is: only the ones given
 * on this command line (environment variables apply to the pasted command as they did to this one).
 * Both our CLI and `temporal` spell them `--address` and `--namespace`.
 */
export function connectionFlags(options: GlobalOptions): string[] {
  const flags: string[] = [];
  if (options.address) flags.push('--address', options.address);
  if (options.namespace) flags.push('--namespace', options.namespace);
  return flags;
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes one line (or block) to stdout. */
export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Writes one line (or block) to stderr: progress and notes that must not pollute `--json` output. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Option parser: a positive number of seconds. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number of seconds.');
  return n;
}

/** Option parser: a positive integer. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

/** Option parser: a TCP port (0 to 65535). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('Expected a port number (0-65535).');
  return n;
}
