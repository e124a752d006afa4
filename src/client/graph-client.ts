/**
 * `GraphClient`: the connection to Temporal and the factory of per-graph handles.
 */
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { InvalidInputError, ServerUnreachableError } from '../errors.js';
import type { AnyCompiledGraph } from '../graph/compiled-graph.js';
import { parseDuration } from '../graph/compile.js';
import type { StateOf } from '../graph/types.js';
import { DEFAULT_TASK_QUEUE } from '../protocol/messages.js';
import { specHeaderClientInterceptor } from '../protocol/spec-header.js';
import { resolveConnection } from '../server/connection.js';
import { dataConverterOf } from '../server/data-converter.js';
import type { StorageSetting } from '../storage/storage-setting.js';
import type { TelemetryOptions } from '../server/telemetry-options.js';
import { GraphHandle } from './graph-handle.js';
import { DEFAULT_OUTAGE_TIMEOUT_MS, outageRetryInterceptor } from './outage-retry.js';
import { DEFAULT_MAX_WAITING_CALLS, waitingCallLimitInterceptor } from './waiting-call-limit.js';
import { moveThread, threadVersion, type ThreadVersion, type ThreadVersionTarget } from './move-thread.js';
import { clientTelemetry } from './telemetry.js';

/** Options of {@link GraphClient.connect}. */
export interface GraphClientOptions {
  /** @default TEMPORAL_ADDRESS, the Temporal config file's profile, else "localhost:7233" */
  address?: string;
  /** @default TEMPORAL_NAMESPACE, the Temporal config file's profile, else "default" */
  namespace?: string;
  /** Task queue the graphs' workers poll. @default "durable-graph" */
  taskQueue?: string;
  /**
   * An existing connection to reuse (not closed by {@link GraphClient.close}): a client `Connection`, or the
   * `NativeConnection` a worker of this process runs on (`createWorker({ connection })`); then {@link GraphHandle.start}
   * starts runs eagerly on that worker (see the README, "Eager start").
   */
  connection?: ConnectionLike;
  /**
   * Who this client is, recorded by Temporal with every start, resume and edit it sends (shown by
   * {@link GraphHandle.getAuditTrail}), e.g. `"alice"` or `"billing-service@host-1"`.
   * @default Temporal's `<pid>@<hostname>`
   */
  identity?: string;
  /**
   * Trace what this client sends with OpenTelemetry, through Temporal's interceptors package: starting a run opens
   * its trace, which the run's node executions join (turn telemetry on in the worker too). Needs
   * `@temporalio/interceptors-opentelemetry` and `@opentelemetry/api` installed; see docs/observability.md.
   * @default false
   */
  telemetry?: boolean | TelemetryOptions;
  /**
   * External Storage for large values (see docs/storage.md), the same as the workers' `storage`: this client stores
   * the large values it sends and reads the claims it gets back (state, history). A URL (`file:///var/lib/threads`,
   * `s3://bucket/prefix?endpoint=…`), a driver from `durable-graph/storage`, `{ driver, threshold }`, or `false`.
   * @default DURABLE_GRAPH_STORAGE when set, else none
   */
  storage?: StorageSetting;
  /**
   * How long a call waits out a server that stopped answering (a restart, a failover) before it fails with
   * `ServerUnreachableError` naming the thread: milliseconds, or a duration such as `"30s"` or `"5m"`. Calls waiting
   * for a run (`invoke()`, a stream) and reads carry on once the server is back. Applies to the connection the client
   * opens; a `connection` you pass keeps its own retry interceptors (`outageRetryInterceptor()` gives one the same window; see docs/guarantees.md).
   * @default "2m"
   */
  serverOutageTimeout?: number | string;
  /**
   * How many calls that wait on the server (an `invoke()` waiting for its run, a stream's read, a run's result) this
   * client holds open at once; more wait their turn in the client. The server refuses long polls past a
   * per-namespace limit (`frontend.namespaceCount`, 1,200 per frontend by default) that the workers' polls share, so a
   * client that holds thousands starves the workers. Applies to the connection the client opens
   * (`waitingCallLimitInterceptor()` gives a connection of yours the same bound); `Infinity` turns it off.
   * @default 500
   */
  maxWaitingCalls?: number;
  /**
   * Encrypts what this client sends (inputs, resume values, updates) and decrypts what it reads (state, history,
   * memo): `encryptionCodec({ keys })` from `durable-graph/codec`, or any Temporal PayloadCodec; `null`: no codec.
   * Use the keys the Workers use; see docs/encryption.md.
   * @default AES-256-GCM with the keys in DURABLE_GRAPH_ENCRYPTION_KEYS when it is set, else none
   */
  payloadCodec?: PayloadCodec | null;
}

/** Entry point for services: connects to Temporal and hands out per-graph handles. */
export class GraphClient {
  /** The underlying Temporal client, for anything durable-graph does not wrap. */
  readonly temporal: Client;
  readonly taskQueue: string;
  /** The server's address, when known (errors name it). */
  readonly address: string | undefined;
  readonly #ownConnection?: Connection;

  private constructor(temporal: Client, taskQueue: string, address: string | undefined, ownConnection?: Connection) {
    this.temporal = temporal;
    this.taskQueue = taskQueue;
    this.address = address;
    this.#ownConnection = ownConnection;
  }

  /**
   * Connects to Temporal (environment and Temporal config file are honoured, as the `temporal` CLI does).
   * @throws {@link ServerUnreachableError} naming the address when no server answers there.
   */
  static async connect(options: GraphClientOptions = {}): Promise<GraphClient> {
    // Before connecting: a missing package, malformed keys or a bad storage setting then leave no connection open.
    const tracing = options.telemetry ? await clientTelemetry(options.telemetry) : [];
    const dataConverter = dataConverterOf({ storage: options.storage, payloadCodec: options.payloadCodec });
    // Given a connection and a namespace, nothing needs resolving (nor a readable config file).
    const target = options.connection && options.namespace !== undefined ? undefined : resolveConnection(options);
    const outageMs = outageTimeoutOf(options.serverOutageTimeout);
    const maxWaiting = maxWaitingCallsOf(options.maxWaitingCalls);
    let connection = options.connection;
    let own: Connection | undefined;
    if (!connection) {
      const { address, connectionOptions } = target!;
      connection = own = await Connection.connect({
        ...connectionOptions,
        // Outermost first: a call waiting out an outage between attempts holds no waiting-call slot.
        interceptors: [outageRetryInterceptor(outageMs), waitingCallLimitInterceptor(maxWaiting)],
      }).catch((error: unknown) => {
        throw new ServerUnreachableError(address, error);
      });
    }
    const namespace = options.namespace ?? target!.namespace;
    const client = new Client({
      connection,
      namespace,
      // A started run's graph spec travels as a header, so the Web UI shows the input as the caller wrote it.
      interceptors: { workflow: [...tracing, specHeaderClientInterceptor] },
      ...(dataConverter ? { dataConverter } : {}),
      ...(options.identity ? { identity: options.identity } : {}),
    });
    return new GraphClient(
      client,
      options.taskQueue ?? DEFAULT_TASK_QUEUE,
      addressOf(connection) ?? target?.address,
      own,
    );
  }

  /**
   * A handle for one graph. Pass the compiled graph for typed state and client-side input
   * validation, or just its name (the worker then validates the input).
   */
  graph<G extends AnyCompiledGraph>(graph: G): GraphHandle<StateOf<G['schema']>>;
  graph(name: string): GraphHandle<Record<string, unknown>>;
  graph(graph: AnyCompiledGraph | string): GraphHandle<any> {
    return new GraphHandle(this, graph);
  }

  /**
   * Moves a thread to another Worker Deployment version, from its next step on: pinned to a build, `'auto-upgrade'`
   * to follow the deployment's current version, or `'unset'` to drop an earlier move. Use it to send a thread to a
   * build whose graph has the node it waits for, or to let it leave an old version you want to drain. The build must
   * host the thread's graph; a node running at the time finishes where it runs. The same as `durable-graph move` and
   * `temporal workflow update-options`; see docs/deploys.md.
   * @returns where the thread runs now.
   * @throws {@link ThreadNotFoundError} when no thread has this id.
   * @throws {@link ThreadFinishedError} when the thread's last run has ended: it has no next step to move.
   * @throws {@link InvalidInputError} for a deployment name or build id the server refuses (checked before anything
   *   is sent), or a build that has not polled the thread's task queue.
   */
  moveThread(threadId: string, to: ThreadVersionTarget): Promise<ThreadVersion> {
    return moveThread(this.temporal, threadId, to);
  }

  /**
   * Where a thread runs: its Worker Deployment version, versioning behaviour and any override.
   * @throws {@link ThreadNotFoundError} when no thread has this id.
   */
  threadVersion(threadId: string): Promise<ThreadVersion> {
    return threadVersion(this.temporal, threadId);
  }

  /** Closes the connection if this client opened it. */
  async close(): Promise<void> {
    await this.#ownConnection?.close();
  }
}

/** The outage window in milliseconds. @throws {@link InvalidInputError} for a value that is not a duration. */
function outageTimeoutOf(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_OUTAGE_TIMEOUT_MS;
  const millis = parseDuration(value);
  if (millis === undefined)
    throw new InvalidInputError(
      `GraphClient.connect({ serverOutageTimeout: ${JSON.stringify(value)} }) is not a duration: pass milliseconds or a string such as "30s" or "5m".`,
    );
  return millis;
}

/** The waiting-call bound. @throws {@link InvalidInputError} for a value that is not a positive whole number. */
function maxWaitingCallsOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_WAITING_CALLS;
  if (value === Infinity || (Number.isInteger(value) && value > 0)) return value;
  throw new InvalidInputError(
    `GraphClient.connect({ maxWaitingCalls: ${String(value)} }) is not a positive whole number: pass e.g. 500, or Infinity for no bound.`,
  );
}

/** The address a connection was opened to, if it says (a client `Connection` does). */
function addressOf(connection: ConnectionLike): string | undefined {
  const address = (connection as { options?: { address?: unknown } }).options?.address;
  return typeof address === 'string' ? address : undefined;
}
