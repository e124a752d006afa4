/**
 * durable-graph/client: start, resume and inspect graph threads from any Node service.
 *
 * `GraphClient.connect()` opens the connection; `client.graph(compiledGraph)` gives a {@link GraphHandle} whose
 * `invoke`, `stream`, `start`, `getState`, `getStateHistory`, `getAuditTrail` and `updateState` work as LangGraph's,
 * with the thread id (`configurable.thread_id`) as the Workflow Id.
 *
 * @module
 * @example
 * ```ts
 * import { GraphClient } from 'durable-graph/client';
 * import { Command } from 'durable-graph';
 *
 * const client = await GraphClient.connect(); // TEMPORAL_ADDRESS or localhost:7233
 * const approval = client.graph(approvalGraph);
 * const config = { configurable: { thread_id: 'order-42' } };
 * const paused = await approval.invoke({ request: 'refund order 42' }, config);
 * console.log(paused.__interrupt__); // [{ id, value: { question, proposed_action } }]
 * const done = await approval.invoke(new Command({ resume: true }), config);
 * ```
 */
export { GraphClient, type GraphClientOptions } from './client/graph-client.js';
export type { TelemetryOptions, TracerProviderLike } from './server/telemetry-options.js';
export { GraphHandle } from './client/graph-handle.js';
export type {
  Interrupt,
  InterruptChunk,
  InvokeResult,
  InvokeStreamResult,
  RunConfig,
  StateSnapshot,
  StreamConfig,
  StreamOutput,
  SubgraphStreamOutput,
  UpdatesChunk,
  ValuesChunk,
} from './client/types.js';
export type { StreamMode } from './protocol/stream.js';
export type { ParkedFailure } from './protocol/payloads.js';
export type { CheckpointConfig, StateHistoryOptions, StateHistorySnapshot } from './client/history/state-history.js';
export type { AuditAction, AuditEntry, AuditInterrupt } from './client/history/audit.js';
export type { RewindOptions, RewindResult } from './client/rewind.js';
export type { RewindPause } from './client/history/rewind-points.js';
export { rebuildError } from './client/errors.js';
export { outageRetryInterceptor } from './client/outage-retry.js';
export { waitingCallLimitInterceptor } from './client/waiting-call-limit.js';
export type { ThreadVersion, ThreadVersionTarget } from './client/move-thread.js';

/**
 * The address, namespace and connection options {@link GraphClient.connect} and `createWorker()` use for the given
 * overrides: the override, else the environment and the Temporal config file, else localhost:7233 and "default".
 * @internal For the durable-graph CLI; not part of the stable API.
 */
export { resolveConnection, type ResolvedConnection } from './server/connection.js';
/**
 * The graph spec a run recorded at its start, read from the first page of its history (no worker needed).
 * @internal For the durable-graph CLI; not part of the stable API.
 */
export { readRecordedSpec } from './client/history/recorded-spec.js';
export { unpackStop, type StopState, type StopContext } from './protocol/stop-state.js';
/**
 * The `resume` Signals a run has received that no worker has handled yet (recorded after its last completed workflow
 * task), read from the tail of its history (no worker needed).
 * @internal For the durable-graph CLI; not part of the stable API.
 */
export { readQueuedResumes, type QueuedResume } from './client/history/queued-resumes.js';
