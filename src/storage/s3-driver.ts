/**
 * The S3 storage driver: each payload is an object named by the SHA-256 of its bytes, under a bucket and prefix, on
 * AWS S3 or any S3-compatible server (MinIO, Ceph, ...). Uses `@aws-sdk/client-s3`, loaded only when this
 * driver first stores or reads, so installing it is needed only where S3 is used.
 */
import {
  StorageDriverClaim,
  type Payload,
  type StorageDriver,
  type StorageDriverRetrieveContext,
  type StorageDriverStoreContext,
} from '@temporalio/common';
import { StorageUnavailableError } from '../errors.js';
import { contentKey, payloadBytes, payloadOfBytes } from './payload-bytes.js';

/** Options of {@link S3StorageDriver}. */
export interface S3StorageDriverOptions {
  /** The bucket that holds the payloads (it must exist). */
  bucket: string;
  /** A key prefix, e.g. `"threads/"` (a `/` is added when missing). @default "" */
  prefix?: string;
  /**
   * The server's URL, for an S3-compatible server (`http://127.0.0.1:9000` for a local MinIO).
   * @default AWS S3 (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL when set)
   */
  endpoint?: string;
  /** @default AWS_REGION / the AWS config, else "us-east-1" when an endpoint is given */
  region?: string;
  /** @default the AWS SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profiles, instance roles) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Address the bucket in the path (`endpoint/bucket/key`), as most S3-compatible servers need. @default true with an endpoint */
  forcePathStyle?: boolean;
  /**
   * The driver's name, written into every claim: workers and clients must register a driver of this name to read
   * them. Change it only to use two buckets side by side.
   * @default "durable-graph.s3"
   */
  name?: string;
}

/** The few calls of `@aws-sdk/client-s3` this driver makes. */
interface S3Calls {
  put(bucket: string, key: string, body: Uint8Array, signal?: AbortSignal): Promise<void>;
  get(bucket: string, key: string, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Keeps payloads as content-addressed objects in an S3 bucket. */
export class S3StorageDriver implements StorageDriver {
  readonly name: string;
  readonly type = 'durable-graph.s3';
  readonly bucket: string;
  readonly prefix: string;
  readonly #options: S3StorageDriverOptions;
  #calls?: Promise<S3Calls>;

  constructor(options: S3StorageDriverOptions) {
    if (!options.bucket) throw new TypeError('S3StorageDriver needs a bucket: new S3StorageDriver({ bucket: "..." }).');
    this.#options = options;
    this.bucket = options.bucket;
    this.prefix = options.prefix && !options.prefix.endsWith('/') ? `${options.prefix}/` : (options.prefix ?? '');
    this.name = options.name ?? 'durable-graph.s3';
  }

  /** Where the payloads are, for messages: `s3://bucket/prefix` and the endpoint. */
  get location(): string {
    const where = `s3://${this.bucket}/${this.prefix}`;
    return this.#options.endpoint ? `${where} at ${this.#options.endpoint}` : where;
  }

  async store(context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    const s3 = await this.#s3();
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = payloadBytes(payload);
        const key = `${this.prefix}${contentKey(bytes)}`;
        try {
          // Content-addressed: writing the same key again writes the same bytes.
          await s3.put(this.bucket, key, bytes, context.abortSignal);
        } catch (error) {
          throw new StorageUnavailableError(
            `Could not write a value of ${bytes.length} bytes to ${this.location}: ${messageOf(error)}. Nothing was sent. ` +
              `Check that the bucket exists, the server answers, and the credentials may write to it ` +
              `(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the credentials option).`,
            { location: this.location, cause: error },
          );
        }
        return new StorageDriverClaim({ bucket: this.bucket, key });
      }),
    );
  }

  async retrieve(context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    const s3 = await this.#s3();
    return Promise.all(
      claims.map(async (claim) => {
        const bucket = claim.claimData.bucket ?? this.bucket;
        const key = claim.claimData.key ?? '';
        let bytes: Uint8Array;
        try {
          bytes = await s3.get(bucket, key, context.abortSignal);
        } catch (error) {
          throw new StorageUnavailableError(
            `Could not read value s3://${bucket}/${key} from ${this.location}: ${messageOf(error)}. Its claim is in ` +
              `the thread's history: check that the server answers, the credentials may read the bucket, and the ` +
              `object was not deleted (a lifecycle rule must keep values as long as their threads' histories).`,
            { location: this.location, cause: error },
          );
        }
        if (`${key.slice(0, key.length - 64)}${contentKey(bytes)}` !== key) {
          throw new StorageUnavailableError(
            `Value s3://${bucket}/${key} does not match its name: the object was changed after it was written. ` +
              `Restore it from a backup or a previous version; stored values must not be edited.`,
            { location: this.location },
          );
        }
        return payloadOfBytes(bytes);
      }),
    );
  }

  #s3(): Promise<S3Calls> {
    this.#calls ??= s3Calls(this.#options, this.location).catch((error: unknown) => {
      this.#calls = undefined;
      throw error;
    });
    return this.#calls;
  }
}

/** Loads `@aws-sdk/client-s3` and makes its client for these options. */
async function s3Calls(options: S3StorageDriverOptions, location: string): Promise<S3Calls> {
  let sdk: typeof import('@aws-sdk/client-s3');
  try {
    sdk = await import('@aws-sdk/client-s3');
  } catch (error) {
    throw new StorageUnavailableError(
      `The S3 storage driver needs the package @aws-sdk/client-s3, which is not installed: ${messageOf(error)}. ` +
        `Install it next to durable-graph: npm install @aws-sdk/client-s3`,
      { location, cause: error },
    );
  }
  const { S3Client, PutObjectCommand, GetObjectCommand } = sdk;
  const client = new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region
      ? { region: options.region }
      : options.endpoint && !process.env.AWS_REGION
        ? { region: 'us-east-1' }
        : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    // A failed call fails the task that needed it, and Temporal retries that task: no long retry loop here.
    maxAttempts: 2,
  });
  return {
    async put(bucket, key, body, signal) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-protobuf' }),
        signal ? { abortSignal: signal } : {},
      );
    },
    async get(bucket, key, signal) {
      const out = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key }),
        signal ? { abortSignal: signal } : {},
      );
      if (!out.Body) throw new Error('the server returned no body');
      return out.Body.transformToByteArray();
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
