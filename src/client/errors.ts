/**
 * Our error classes rebuilt on the client side from the Temporal failures that carried them, so callers can check
 * `code`, every field of the class, or `instanceof`.
 */
import { fromTemporalError } from '../protocol/failures.js';

/**
 * The durable-graph error carried by what a Temporal call on a thread threw (a failed run, a rejected Update, a failed
 * Query), rebuilt as its class with every field; anything else is returned unchanged. {@link GraphHandle} does this
 * itself; use it for calls made through `client.temporal`, e.g. `await handle.result()` on the handle `start()` returns.
 * @param threadId fills in for a failure that does not name its thread.
 */
export function rebuildError(error: unknown, threadId: string): unknown {
  return fromTemporalError(error, threadId);
}
