/**
 * durable-graph/storage: External Storage drivers, so a thread's state can grow past Temporal's payload and history
 * limits. Payloads over a threshold go to a folder or an S3 bucket through the Temporal SDK's own External Storage
 * (a claim check); history keeps a small claim. Give the same setting to every worker and client (or set
 * DURABLE_GRAPH_STORAGE, which the CLI reads too). See docs/storage.md.
 *
 * @module
 * @example
 * ```ts
 * import { createWorker } from 'durable-graph/worker';
 * import { GraphClient } from 'durable-graph/client';
 * import { S3StorageDriver } from 'durable-graph/storage';
 *
 * const storage = new S3StorageDriver({ bucket: 'agent-threads', prefix: 'prod/' });
 * const worker = await createWorker({ graphs: [chat], storage });
 * const client = await GraphClient.connect({ storage });
 * // or, for both and the CLI: DURABLE_GRAPH_STORAGE=file:///var/lib/agent-threads
 * ```
 */
export { FileStorageDriver, type FileStorageDriverOptions } from './storage/file-driver.js';
export { S3StorageDriver, type S3StorageDriverOptions } from './storage/s3-driver.js';
export {
  DEFAULT_STORAGE_THRESHOLD,
  STORAGE_ENV,
  parseStorageUrl,
  type StorageOptions,
  type StorageSetting,
} from './storage/storage-setting.js';
export { MAX_STORED_VALUE_BYTES, MAX_VALUE_BYTES } from './protocol/payload-size.js';
export { StorageUnavailableError } from './errors.js';
