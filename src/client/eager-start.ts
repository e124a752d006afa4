/**
 * Eager workflow start: when the client's connection is the `NativeConnection` a worker in this process polls with,
 * the server hands the run's first workflow task back in the start response, to that worker, instead of through the
 * task queue (server ≥ 1.29 allows it by default). The SDK marks such connections with a capability flag; asking for
 * eager start on any other connection throws, so it is asked for only when the flag is there. When no worker of this
 * process can take the task (none polls the task queue, or its slots are full), the start goes the usual way.
 */
import { InternalConnectionLikeSymbol, type ConnectionLike, type InternalConnectionLike } from '@temporalio/client';

/** Whether runs started through `connection` may ask for eager start. */
export function supportsEagerStart(connection: ConnectionLike): boolean {
  return (connection as InternalConnectionLike)[InternalConnectionLikeSymbol]?.supportsEagerStart === true;
}
