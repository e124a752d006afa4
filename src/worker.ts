/**
 * durable-graph/worker: host compiled graphs on a Temporal Worker.
 *
 * @module
 * @example
 * ```ts
 * import { createWorker } from 'durable-graph/worker';
 * import { approvalGraph } from './graph.js';
 *
 * const worker = await createWorker({ graphs: [approvalGraph] }); // TEMPORAL_ADDRESS or localhost:7233
 * await worker.run(); // until SIGINT/SIGTERM
 * ```
 */
import { NativeConnection, Worker, type WorkerInterceptors, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { createActivities } from './activities/index.js';
import { resolveConnection } from './server/connection.js';
import { ensureSearchAttributes } from './server/search-attributes.js';
import { GraphDefinitionError, ServerUnreachableError } from './errors.js';
import { withSubgraphs, type AnyCompiledGraph } from './graph/compiled-graph.js';
import { DEFAULT_TASK_QUEUE } from './protocol/messages.js';
import { specDriftSinks } from './worker/spec-drift.js';
import { bundleEngine, type BundleEngineOptions } from './worker/engine-bundle.js';
import {
  ENGINE_BUNDLE_ENV,
  engineBundledInProcess,
  prebuiltEngineBundle,
  type EngineBundle,
} from './worker/worker-engine-bundle.js';
import { nodeLogAttributes } from './worker/node-log-attributes.js';
import { checkDeployment, workerDeploymentOptions, type WorkerDeployment } from './worker/deployment.js';
import { workerTelemetry } from './worker/telemetry.js';
import type { TelemetryOptions, TracerProviderLike } from './server/telemetry-options.js';
import { dataConverterOf } from './server/data-converter.js';
import type { StorageSetting } from './storage/storage-setting.js';

/** The task queue used when none is given: `"durable-graph"`. */
export { DEFAULT_TASK_QUEUE };
export { bundleEngine, ENGINE_BUNDLE_ENV };
export type { BundleEngineOptions, EngineBundle, TelemetryOptions, TracerProviderLike, WorkerDeployment };

/** Options of {@link createWorker}. */
export interface CreateWorkerOptions {
  /**
   * The compiled graphs this worker hosts; each graph's name is the Workflow Type it handles. Subgraphs used as
   * nodes are hosted with their parent; a graph that a node calls with `invoke()` must be listed here too.
   */
  graphs: readonly AnyCompiledGraph[];
  /** A connection to reuse. @default a new connection from TEMPORAL_ADDRESS / the Temporal config file, else localhost:7233 (closed when the worker stops) */
  connection?: NativeConnection;
  /** Server address when no connection is given. @default TEMPORAL_ADDRESS, the Temporal config file's profile, else "localhost:7233" */
  address?: string;
  /** @default TEMPORAL_NAMESPACE, the Temporal config file's profile, else "default" */
  namespace?: string;
  /** @default "durable-graph" */
  taskQueue?: string;
  /**
   * Register durable-graph's search attributes in the namespace when they are missing (works on a dev
   * server and wherever the operator API is allowed); without them, paused threads cannot be listed.
   * @default true
   */
  registerSearchAttributes?: boolean;
  /**
   * Trace node executions with OpenTelemetry, through Temporal's interceptors package: each node execution is a
   * span (`RunActivity:<node>`, or `RunNode:<node>` inside a local segment) with the attributes `threadId`,
   * `graph`, `node`, `step`, `taskId` and `attempt`, in the trace of the run (turn telemetry on in the client too).
   * Needs `@temporalio/interceptors-opentelemetry` and `@opentelemetry/api` installed, and the OpenTelemetry SDK
   * set up as usual (a registered provider, context manager and propagator); see docs/observability.md.
   * @default false
   */
  telemetry?: boolean | TelemetryOptions;
  /**
   * External Storage for large values (see docs/storage.md): payloads over a threshold (256 KiB) go to a folder or an
   * S3 bucket and history keeps a small claim, so a thread's state can grow past Temporal's 2 MB per payload and
   * 50 MB per history. A URL (`file:///var/lib/threads`, `s3://bucket/prefix?endpoint=…`), a driver from
   * `durable-graph/storage`, `{ driver, threshold }`, or `false` for none. Every worker and client of the threads
   * must use the same storage.
   * @default DURABLE_GRAPH_STORAGE when set, else none
   */
  storage?: StorageSetting;
  /**
   * Encrypts every payload this Worker sends (state, node inputs and results, interrupt payloads, memo) and decrypts
   * what it receives: `encryptionCodec({ keys })` from `durable-graph/codec`, or any Temporal PayloadCodec. It is added
   * after the codecs of `workerOptions.dataConverter`, if any. `null`: no codec. Clients, the CLI and codec servers of
   * the namespace need the same keys; see docs/encryption.md.
   * @default AES-256-GCM with the keys in DURABLE_GRAPH_ENCRYPTION_KEYS when it is set, else none
   */
  payloadCodec?: PayloadCodec | null;
  /**
   * Worker Versioning: the deployment and build this worker belongs to. Each thread then runs on the version that
   * started it (or moves to the current version, with `threads: 'auto-upgrade'`), so old and new code can run side
   * by side during a roll-out. A new version takes new threads once an operator makes it current (`temporal worker
   * deployment set-current-version`); until then, and without any version current, versioned workers get no
   * threads. See docs/deploys.md.
   * @default no versioning: any worker on the task queue runs any step of any thread
   */
  deployment?: WorkerDeployment;
  /**
   * A prebuilt engine bundle to run instead of bundling the engine at start-up (webpack, 4–10 s of CPU): `{ code }`
   * from {@link bundleEngine}, or `{ codePath }`, a file written by `durable-graph bundle --out <file>`. It must be
   * built by this durable-graph version, for this worker's telemetry setting; any other is refused.
   * @default the file DURABLE_GRAPH_ENGINE_BUNDLE names when it is set (a file built for the other telemetry
   *   setting is set aside: the worker bundles its own), else the engine bundled once per process
   */
  engineBundle?: EngineBundle;
  /** Extra Temporal WorkerOptions (e.g. `maxCachedWorkflows`, `identity`); durable-graph sets the rest. */
  workerOptions?: Partial<
    Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowsPath' | 'workflowBundle'>
  >;
}

/**
 * Creates a Temporal Worker that runs the given graphs: the engine workflow plus the Activities in
 * which nodes run. Call `run()` (or `runUntil()`) on the result.
 *
 * The worker logs through the Temporal Runtime's logger (install yours with `Runtime.install({ logger })` before
 * creating it); every line about a node execution carries `threadId`, `graph`, `node`, `step`, `taskId` and
 * `attempt`, as do the lines a node writes with `log` from `@temporalio/activity`.
 *
 * @throws {@link SearchAttributesMissingError} when the namespace lacks durable-graph's search
 *   attributes and they could not be registered.
 * @throws {@link InvalidInputError} when the prebuilt engine bundle (`engineBundle`, or the file
 *   DURABLE_GRAPH_ENGINE_BUNDLE names) cannot be read or was not built for this worker.
 * @throws {@link InvalidInputError} for a `deployment` name or build id the server would refuse.
 */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const names = options.graphs.map((g) => g.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    const problem = `Two graphs named "${duplicate}" were passed to createWorker(); graph names are Workflow Types and must be unique.`;
    throw new GraphDefinitionError(duplicate, [problem], `${problem} Rename one with compile({ name }).`);
  }
  if (names.length === 0)
    throw new GraphDefinitionError(
      '',
      ['no graphs'],
      'createWorker() needs at least one compiled graph: createWorker({ graphs: [graph] }).',
    );

  // Before connecting: a missing package, malformed keys, a bad storage setting, a prebuilt engine bundle of another
  // build or a deployment the server refuses then leave no connection open.
  if (options.deployment) checkDeployment(options.deployment);
  const telemetry = options.telemetry ? await workerTelemetry(options.telemetry) : undefined;
  const dataConverter = dataConverterOf({
    storage: options.storage,
    payloadCodec: options.payloadCodec,
    base: options.workerOptions?.dataConverter,
  });
  const prebuilt = await prebuiltEngineBundle(telemetry !== undefined, options.engineBundle);
  // Given a connection and a namespace, nothing needs resolving (nor a readable config file).
  const target = options.connection && options.namespace !== undefined ? undefined : resolveConnection(options);
  const namespace = options.namespace ?? target!.namespace;
  const ownConnection = !options.connection;
  const connection =
    options.connection ??
    (await NativeConnection.connect(target!.connectionOptions).catch((error: unknown) => {
      throw new ServerUnreachableError(target!.address, error);
    }));
  try {
    await ensureSearchAttributes(connection, namespace, { register: options.registerSearchAttributes ?? true });
    const hosted = withSubgraphs(options.graphs);
    const theirs = options.workerOptions?.interceptors;
    const version = options.deployment && {
      deploymentName: options.deployment.name,
      buildId: options.deployment.buildId,
    };
    const worker = await Worker.create({
      ...options.workerOptions,
      ...(dataConverter ? { dataConverter } : {}),
      connection,
      namespace,
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      ...(dataConverter ? { dataConverter } : {}),
      ...(options.deployment ? { workerDeploymentOptions: workerDeploymentOptions(options.deployment) } : {}),
      workflowBundle: prebuilt ?? (await engineBundledInProcess(telemetry !== undefined)),
      // Subgraphs used as nodes run as child workflows of their own type: host them too.
      activities: createActivities(hosted, telemetry?.observe, version),
      interceptors: {
        ...theirs,
        activity: [...(telemetry?.activity ?? []), nodeLogAttributes, ...(theirs?.activity ?? [])],
        ...(telemetry ? { client: withClientInterceptors(theirs?.client, telemetry.clientWorkflow) } : {}),
      },
      sinks: { ...options.workerOptions?.sinks, ...specDriftSinks(hosted) },
    });
    if (ownConnection) {
      // The worker owns the connection it opened: close it when the worker stops.
      const run = worker.run.bind(worker);
      worker.run = async () => {
        try {
          await run();
        } finally {
          await connection.close();
        }
      };
    }
    return worker;
  } catch (error) {
    if (ownConnection) await connection.close();
    throw error;
  }
}

type ClientInterceptors = NonNullable<WorkerInterceptors['client']>;

/** The Worker client's interceptors with `ours` first (a deprecated non-list form of theirs is kept as it is). */
function withClientInterceptors(
  theirs: ClientInterceptors | undefined,
  ours: WorkflowClientInterceptor[],
): ClientInterceptors {
  const workflow = theirs?.workflow ?? [];
  return Array.isArray(workflow) ? { ...theirs, workflow: [...ours, ...workflow] } : theirs!;
}
