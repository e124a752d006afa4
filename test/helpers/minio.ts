/**
 * A MinIO server for one test file: found or built by scripts/ensure-minio.ts, started on a free loopback port with a
 * fresh data folder and one bucket, stopped (and its folder removed) by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { findFreePort } from '../../src/dev-server/free-port.js';
import { findOrInstallMinio } from '../../scripts/ensure-minio.js';

export interface MinioServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The S3 storage URL of the bucket under `prefix` (credentials come from the driver options or AWS_*). */
  url(prefix: string): string;
  /** Stops the server, keeping its data (the port stays unanswered until `resume()`). */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'durable-graph-test', secretAccessKey: 'durable-graph-test-secret' };

/** Starts MinIO with bucket `bucket`; resolves once it answers. */
export async function startMinio(bucket = 'threads'): Promise<MinioServer> {
  const path = await findOrInstallMinio();
  const data = await mkdtemp(join(tmpdir(), 'durable-graph-minio-'));
  const port = await findFreePort('127.0.0.1');
  const consolePort = await findFreePort('127.0.0.1', [port]);
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = () => {
    child = spawn(
      path,
      ['server', data, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
      {
        env: {
          ...process.env,
          MINIO_ROOT_USER: credentials.accessKeyId,
          MINIO_ROOT_PASSWORD: credentials.secretAccessKey,
          MINIO_BROWSER: 'off',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const self = child;
    exited = new Promise<void>((resolve) => self.once('exit', () => resolve()));
  };
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const stop = async () => {
    await halt();
    await rm(data, { recursive: true, force: true });
  };
  const ready = async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`MinIO exited with ${child.exitCode}: ${output}`);
      try {
        if ((await fetch(`${endpoint}/minio/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`MinIO did not answer at ${endpoint} within 60 s: ${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  launch();
  try {
    await ready();
    const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    bucket,
    credentials,
    url: (prefix) => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    pause: halt,
    resume: async () => {
      launch();
      await ready();
    },
    stop,
  };
}
