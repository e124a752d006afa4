/**
 * What the `storage` option of createWorker() and GraphClient.connect() accepts, and the one place that reads it:
 * an option given in code, else the DURABLE_GRAPH_STORAGE environment variable (which the CLI honours the same way),
 * else no External Storage. A URL names a driver: `file:///var/lib/threads`, `file:.data/payloads`, or
 * `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1`; `threshold=<bytes>` works with both.
 */
import { ExternalStorage, type StorageDriver } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import { FileStorageDriver } from './file-driver.js';
import { S3StorageDriver } from './s3-driver.js';

/** The environment variable that turns External Storage on where no `storage` option is given. */
export const STORAGE_ENV = 'DURABLE_GRAPH_STORAGE';

/**
 * Payloads of this many bytes or more go to External Storage; smaller ones stay in history. The SDK's own default
 * (256 KiB): well under Temporal's 512 KiB warning and 2 MiB limit per payload.
 */
export const DEFAULT_STORAGE_THRESHOLD = 256 * 1024;

/** External Storage as an object: the driver and the size from which payloads go to it. */
export interface StorageOptions {
  /** Where payloads go: a {@link FileStorageDriver}, an {@link S3StorageDriver}, or any Temporal `StorageDriver`. */
  driver: StorageDriver;
  /** Payloads of this many bytes or more are stored, the rest stay in history. @default 262144 (256 KiB) */
  threshold?: number;
}

/**
 * The `storage` option: a URL (`file:///path`, `s3://bucket/prefix?endpoint=…`), a driver, {@link StorageOptions},
 * or `false` for none even when DURABLE_GRAPH_STORAGE is set.
 */
export type StorageSetting = string | StorageDriver | StorageOptions | false;

/**
 * The External Storage for a setting: the option when given, else DURABLE_GRAPH_STORAGE, else none.
 * @throws TypeError naming the setting and the accepted forms when a URL cannot be read.
 */
export function resolveStorage(
  setting: StorageSetting | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ExternalStorage | undefined {
  if (setting === false) return undefined;
  if (setting === undefined) {
    const url = env[STORAGE_ENV]?.trim();
    return url ? externalStorageOf(parseStorageUrl(url, STORAGE_ENV)) : undefined;
  }
  if (typeof setting === 'string') return externalStorageOf(parseStorageUrl(setting, 'the storage option'));
  return externalStorageOf('driver' in setting ? setting : { driver: setting });
}

function externalStorageOf(options: StorageOptions): ExternalStorage {
  return new ExternalStorage({
    drivers: [options.driver],
    payloadSizeThreshold: options.threshold ?? DEFAULT_STORAGE_THRESHOLD,
  });
}

/**
 * Reads a storage URL: `file:` + a folder, or `s3://bucket/prefix` with `endpoint`, `region` and `forcePathStyle`
 * parameters (credentials come from the AWS environment, never from the URL); `threshold` sets the size in bytes.
 * @param where Where the URL came from, for the error message.
 */
export function parseStorageUrl(url: string, where = 'the storage URL'): StorageOptions {
  const problem = (why: string) =>
    new TypeError(
      `${where} is "${url}", which ${why}. Use file:///absolute/folder, file:relative/folder, or ` +
        `s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1 (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).`,
    );
  const [base = '', query = ''] = splitOnce(url, '?');
  const params = new URLSearchParams(query);
  let threshold: number | undefined;
  const thresholdText = params.get('threshold');
  if (thresholdText !== null) {
    threshold = Number(thresholdText);
    if (!Number.isInteger(threshold) || threshold < 0) throw problem('has a threshold that is not a number of bytes');
  }
  const withThreshold = (driver: StorageDriver): StorageOptions =>
    threshold === undefined ? { driver } : { driver, threshold };

  if (base.startsWith('file:')) {
    // file:///abs (a URL) or file:relative (a path from the current directory).
    const folder = base.startsWith('file://') ? fileURLToPath(base) : base.slice('file:'.length);
    if (!folder) throw problem('names no folder');
    return withThreshold(new FileStorageDriver({ folder }));
  }
  if (base.startsWith('s3://')) {
    const [bucket = '', prefix = ''] = splitOnce(base.slice('s3://'.length), '/');
    if (!bucket) throw problem('names no bucket');
    const endpoint = params.get('endpoint') ?? undefined;
    const region = params.get('region') ?? undefined;
    const pathStyle = params.get('forcePathStyle');
    return withThreshold(
      new S3StorageDriver({
        bucket,
        prefix,
        ...(endpoint ? { endpoint } : {}),
        ...(region ? { region } : {}),
        ...(pathStyle !== null ? { forcePathStyle: pathStyle !== 'false' } : {}),
      }),
    );
  }
  if (base.startsWith('/')) return withThreshold(new FileStorageDriver({ folder: base }));
  throw problem('is neither a file: nor an s3:// URL');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
