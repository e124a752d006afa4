/**
 * Eager workflow start: when the client's connection is the `NativeConnection` a worker of this process runs on, the
 * server hands the run's first workflow task back in the start response, to that worker, instead of through the task
 * queue (dynamic config `system.enableEagerWorkflowStart`, on by default from server 1.29). The SDK marks such
 * connections with a capability flag; asking for eager start on any other connection throws, so it is asked for only
 * when the flag is there. When no worker on this connection serves the namespace and task queue with a free slot, the
 * start goes the usual way.
 */
import { InternalConnectionLikeSymbol, type ConnectionLike, type InternalConnectionLike } from '@temporalio/client';

/** Whether runs started through `connection` may ask for eager start. */
export function supportsEagerStart(connection: ConnectionLike): boolean {
  return (connection as InternalConnectionLike)[InternalConnectionLikeSymbol]?.supportsEagerStart === true;
}
