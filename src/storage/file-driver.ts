/**
 * The local-folder storage driver: each payload is a file named by the SHA-256 of its bytes, under a folder every
 * worker and client of the threads can read (one machine, or a shared mount). The development default.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  StorageDriverClaim,
  type Payload,
  type StorageDriver,
  type StorageDriverRetrieveContext,
  type StorageDriverStoreContext,
} from '@temporalio/common';
import { StorageUnavailableError } from '../errors.js';
import { contentKey, payloadBytes, payloadOfBytes } from './payload-bytes.js';

/** Options of {@link FileStorageDriver}. */
export interface FileStorageDriverOptions {
  /** The folder that holds the payloads (created when missing); a relative path is taken from the current directory. */
  folder: string;
  /**
   * The driver's name, written into every claim: workers and clients must register a driver of this name to read
   * them. Change it only to run two folders side by side.
   * @default "durable-graph.file"
   */
  name?: string;
}

/** Keeps payloads as content-addressed files under a local folder. */
export class FileStorageDriver implements StorageDriver {
  readonly name: string;
  readonly type = 'durable-graph.file';
  /** The folder's absolute path. */
  readonly folder: string;

  constructor(options: FileStorageDriverOptions) {
    this.folder = resolve(options.folder);
    this.name = options.name ?? 'durable-graph.file';
  }

  async store(_context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = payloadBytes(payload);
        const key = contentKey(bytes);
        const path = this.#pathOf(key);
        try {
          // Same bytes, same name: already there means already stored.
          if (await exists(path)) return new StorageDriverClaim({ key });
          await mkdir(dirname(path), { recursive: true });
          // Written aside then renamed: a reader never sees half a file.
          const partial = `${path}.${randomUUID()}.partial`;
          await writeFile(partial, bytes);
          await rename(partial, path);
        } catch (error) {
          throw new StorageUnavailableError(
            `Could not write a value of ${bytes.length} bytes to the storage folder "${this.folder}": ${messageOf(error)}. ` +
              `Nothing was sent. Make the folder writable by this process, or point the storage option ` +
              `(DURABLE_GRAPH_STORAGE) at another folder that every worker and client can reach.`,
            { location: this.folder, cause: error },
          );
        }
        return new StorageDriverClaim({ key });
      }),
    );
  }

  async retrieve(_context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async (claim) => {
        const key = claim.claimData.key ?? '';
        let bytes: Uint8Array;
        try {
          bytes = await readFile(this.#pathOf(key));
        } catch (error) {
          throw new StorageUnavailableError(
            `Could not read value ${key} from the storage folder "${this.folder}": ${messageOf(error)}. ` +
              `Its claim is in the thread's history: point the storage option (DURABLE_GRAPH_STORAGE) of this process ` +
              `at the folder the thread's workers and clients write to, and keep that folder's files.`,
            { location: this.folder, cause: error },
          );
        }
        if (contentKey(bytes) !== key) {
          throw new StorageUnavailableError(
            `Value ${key} in the storage folder "${this.folder}" does not match its name: the file was changed after it ` +
              `was written. Restore it from a backup; stored values must not be edited.`,
            { location: this.folder },
          );
        }
        return payloadOfBytes(bytes);
      }),
    );
  }

  #pathOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) {
      throw new StorageUnavailableError(
        `A claim names value "${key}", which is not a SHA-256 name this driver writes: the claim was not written by ` +
          `the local-folder driver. Configure the driver that wrote the thread's values.`,
        { location: this.folder },
      );
    }
    return join(this.folder, key.slice(0, 2), key);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
