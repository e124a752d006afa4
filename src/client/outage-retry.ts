/**
 * The gRPC retry policy of the connections durable-graph opens: the SDK's own retry interceptor and backoff, with two
 * changes.
 * - It waits out a server that stopped answering (a restart, a failover) for a window on UNAVAILABLE instead of the
 *   SDK's ten attempts (about 20 s), so waiting calls (an `invoke()` waiting for its run, a stream's read) and reads
 *   carry on once the server is back. Retrying is as safe as the SDK's default, which retries the same calls: each
 *   call carries a request id (starts, Signals) or an Update id, so the server applies a repeated call once.
 * - It waits out a server too busy to take a call (RESOURCE_EXHAUSTED: a namespace's limit of concurrent long polls,
 *   which every waiting `invoke()` holds, or its rate limits) for the same window: the server applied nothing, and
 *   the call goes through as other calls finish.
 * - It sends again a start, Signal or Update the server gave up on itself (DEADLINE_EXCEEDED on a call with no
 *   deadline of the caller's: the server's own timeout while it was overloaded), which may or may not have taken
 *   effect: sent again with the same request id or Update id, the server applies it once, and the caller learns the
 *   outcome. A query is not: the server times one out when no worker answers it, and waiting longer does not help.
 * - An Update a closing run refused ("workflow is closing", as a run continues as new) is not sent again as it was:
 *   resent with the same Update id, the server keeps refusing it for as long as the retries last. The client sends it
 *   again itself, with a new id, and it reaches the next run (closed-run.ts `isClosingRunError`).
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';

/** How long a call waits out an unreachable server when the client sets nothing: a server restart fits in it. */
export const DEFAULT_OUTAGE_TIMEOUT_MS = 120_000;

/** The SDK's backoff on UNAVAILABLE: 100 ms × 1.7^attempt, at most 5 s between attempts, ± 20 % jitter. */
const FACTOR = 1.7;
const INITIAL_MS = 100;
const MAX_INTERVAL_MS = 5_000;
const MAX_JITTER = 0.2;
/** gRPC UNAVAILABLE (nothing answered) and RESOURCE_EXHAUSTED (too busy: nothing applied), waited out. */
const WAITED_OUT: ReadonlySet<number> = new Set([14, 8]);
/** gRPC DEADLINE_EXCEEDED: waited out too when the caller set no deadline (then it is the server's own timeout). */
const DEADLINE_EXCEEDED = 4;
/** The calls sent again after the server's own timeout: each carries an id that makes a second copy a no-op. */
const RESENT_AFTER_SERVER_TIMEOUT = [
  '/StartWorkflowExecution',
  '/SignalWorkflowExecution',
  '/SignalWithStartWorkflowExecution',
  '/UpdateWorkflowExecution',
  '/ExecuteMultiOperation',
];

type Interceptor = ReturnType<typeof makeGrpcRetryInterceptor>;

/** The retry options of a connection that waits out an outage of up to `windowMs`. */
export function outageRetryOptions(windowMs: number, { resendAfterServerTimeout = false } = {}): GrpcRetryOptions {
  const base = defaultGrpcRetryOptions();
  const attempts = attemptsFor(windowMs);
  const waitedOut = (code: number) => WAITED_OUT.has(code) || (code === DEADLINE_EXCEEDED && resendAfterServerTimeout);
  return {
    delayFunction: base.delayFunction,
    retryableDecider: (attempt, status) =>
      waitedOut(status.code) ? attempt < attempts : base.retryableDecider(attempt, status),
  };
}

/**
 * The gRPC interceptor of the connections durable-graph opens, for `Connection.connect({ interceptors: [it] })` on a
 * connection of your own: waits out an outage of up to `windowMs`, and leaves an Update a closing run refused to the
 * client to send again.
 */
export function outageRetryInterceptor(windowMs: number): Interceptor {
  const interceptorOf = (options: GrpcRetryOptions) => ({
    usual: makeGrpcRetryInterceptor(options),
    forUpdates: makeGrpcRetryInterceptor({
      ...options,
      retryableDecider: (attempt, status) =>
        !/workflow is closing/i.test(status.details ?? '') && options.retryableDecider(attempt, status),
    }),
  });
  const resent = interceptorOf(outageRetryOptions(windowMs, { resendAfterServerTimeout: true }));
  const others = interceptorOf(outageRetryOptions(windowMs));
  return (options, nextCall) => {
    const path = options.method_definition.path;
    const resend = options.deadline === undefined && RESENT_AFTER_SERVER_TIMEOUT.some((m) => path.endsWith(m));
    const { usual, forUpdates } = resend ? resent : others;
    return (path.endsWith('/UpdateWorkflowExecution') ? forUpdates : usual)(options, nextCall);
  };
}

/** The number of attempts whose backoff delays add up to `windowMs` even when jitter shortens them all. */
export function attemptsFor(windowMs: number): number {
  let waited = 0;
  let attempt = 1;
  while (waited * (1 - MAX_JITTER) < windowMs) {
    waited += Math.min(MAX_INTERVAL_MS, FACTOR ** attempt * INITIAL_MS);
    attempt++;
  }
  return Math.max(10, attempt); // never fewer than the SDK's own
}
