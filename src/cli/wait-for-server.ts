/**
 * Before a command connects: waits for a Temporal server that does not answer (restarting, or not started yet) for up
 * to `--server-outage-timeout`, saying so on stderr after a moment, so a command run during a restart goes through
 * once the server is back. Nothing is sent while it waits: a command that gives up here has applied nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, ServiceError, isGrpcServiceError } from '@temporalio/client';
import type { resolveConnection } from '../client.js';

/** How long a healthy connect may take before the CLI says it is waiting. */
const NOTE_AFTER_MS = 2_000;
/** The longest single connect attempt: a fresh channel notices a restarted server sooner than gRPC's growing backoff. */
const ATTEMPT_MS = 5_000;
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: nothing answered. */
const NOTHING_ANSWERED: ReadonlySet<number> = new Set([14, 4]);

/** Why the wait ended without a server. */
export class ServerDidNotAnswer extends Error {
  readonly waitedMs: number;
  constructor(waitedMs: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ServerDidNotAnswer';
    this.waitedMs = waitedMs;
  }
}

/**
 * Resolves once the server at `target` answers, with whether it had to wait for it (then it has just come back);
 * `onWaiting` is called once if it has not answered after a moment.
 * @throws {@link ServerDidNotAnswer} when nothing answered within `windowMs`; any other connect error (TLS, an API
 * key the server refuses) at once, unchanged: waiting would not fix it.
 */
export async function waitForServer(
  target: ReturnType<typeof resolveConnection>,
  windowMs: number,
  onWaiting: () => void,
): Promise<boolean> {
  const started = Date.now();
  const deadline = started + windowMs;
  let noted = false;
  const waiting = setTimeout(() => ((noted = true), onWaiting()), NOTE_AFTER_MS);
  try {
    for (let attempt = 1; ; attempt++) {
      // Lazy, so that a failed attempt's channel is closed too.
      const probe = Connection.lazy({
        ...target.connectionOptions,
        connectTimeout: Math.max(100, Math.min(ATTEMPT_MS, deadline - Date.now())),
      });
      try {
        await probe.ensureConnected();
        return noted || attempt > 1;
      } catch (error) {
        if (!nothingAnswered(error)) throw error;
        if (Date.now() >= deadline) throw new ServerDidNotAnswer(Date.now() - started, error);
        await sleep(Math.min(500, deadline - Date.now()));
      } finally {
        await probe.close().catch(() => undefined);
      }
    }
  } finally {
    clearTimeout(waiting);
  }
}

/** True for a connect that failed because nothing answered, rather than an answer refusing it. */
function nothingAnswered(error: unknown): boolean {
  // The SDK wraps a failed GetSystemInfo in a ServiceError; waiting for the channel fails with a plain deadline error.
  if (error instanceof ServiceError) return isGrpcServiceError(error.cause) && NOTHING_ANSWERED.has(error.cause.code);
  return error instanceof Error && /failed to connect before the deadline/i.test(error.message);
}
