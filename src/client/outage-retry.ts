/**
 * How a client's calls ride out a Temporal server that stopped answering for a while (a restart, a failover): the
 * SDK's own gRPC retry interceptor and backoff, kept up for a window on UNAVAILABLE instead of its ten attempts (about
 * 20 s). Waiting calls (an `invoke()` waiting for its run, a stream's read) and reads then carry on once the server is
 * back. Retrying is as safe as the SDK's default, which retries the same calls: each call Temporal's client makes
 * carries a request id (starts, Signals) or an Update id, so the server applies a repeated call once.
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';

/** How long a call waits out an unreachable server when the client sets nothing: a server restart fits in it. */
export const DEFAULT_OUTAGE_TIMEOUT_MS = 120_000;

/** The SDK's backoff on UNAVAILABLE: 100 ms × 1.7^attempt, at most 5 s between attempts, ± 20 % jitter. */
const FACTOR = 1.7;
const INITIAL_MS = 100;
const MAX_INTERVAL_MS = 5_000;
const MAX_JITTER = 0.2;
/** gRPC UNAVAILABLE: nothing answered. */
const UNAVAILABLE = 14;

/** The retry options of a connection that waits out an outage of up to `windowMs`. */
export function outageRetryOptions(windowMs: number): GrpcRetryOptions {
  const base = defaultGrpcRetryOptions();
  const attempts = attemptsFor(windowMs);
  return {
    delayFunction: base.delayFunction,
    retryableDecider: (attempt, status) =>
      status.code === UNAVAILABLE ? attempt < attempts : base.retryableDecider(attempt, status),
  };
}

/** A gRPC interceptor for `Connection.connect({ interceptors })` that waits out an outage of up to `windowMs`. */
export function outageRetryInterceptor(windowMs: number): ReturnType<typeof makeGrpcRetryInterceptor> {
  return makeGrpcRetryInterceptor(outageRetryOptions(windowMs));
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
