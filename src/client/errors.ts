/**
 * Our error classes rebuilt on the client side from the Temporal failures that carried them, so callers can check
 * `code`, every field of the class, or `instanceof`; and the server's own refusals (down, busy, refused) as ours too.
 */
import { isDurableGraphError } from '../errors.js';
import { fromTemporalError } from '../protocol/failures.js';
import { serviceErrorOf } from './service-errors.js';

/**
 * The durable-graph error carried by what a Temporal call on a thread threw (a failed run, a rejected Update, a failed
 * Query), rebuilt as its class with every field; a gRPC failure of the call becomes `ServerUnreachableError`,
 * `ServerBusyError` or `ServerRejectedError`; anything else is returned unchanged. {@link GraphHandle} does this
 * itself; use it for calls made through `client.temporal`, e.g. `await handle.result()` on the handle `start()` returns.
 * @param threadId fills in for a failure that does not name its thread.
 * @param address the server's address, named by SERVER_UNREACHABLE.
 */
export function rebuildError(error: unknown, threadId: string | undefined, address?: string): unknown {
  if (isDurableGraphError(error)) return error;
  const rebuilt = fromTemporalError(error, threadId);
  if (rebuilt !== error) return rebuilt;
  return serviceErrorOf(error, { threadId, address }) ?? error;
}
