/**
 * The one place the data converter of workers, clients and the CLI is assembled, so that all of them read what the
 * others write: the payload codec (encryption, `codec/with-payload-codec.ts`) and External Storage (a claim check for
 * large payloads, the SDK's own `externalStorage`) from the `storage` option or DURABLE_GRAPH_STORAGE. The SDK encodes
 * with the codecs first, then stores: what goes to storage is ciphertext too. A worker's nested client (a node
 * calling `invoke()`) uses the worker's converter, so it agrees as well.
 */
import type { DataConverter, ExternalStorage, PayloadCodec } from '@temporalio/common';
import { withPayloadCodec } from '../codec/with-payload-codec.js';
import { MAX_STORED_VALUE_BYTES, MAX_VALUE_BYTES } from '../protocol/payload-size.js';
import { resolveStorage, type StorageSetting } from '../storage/storage-setting.js';

/** What the data converter is made of. */
export interface DataConverterParts {
  /** The `storage` option; undefined reads DURABLE_GRAPH_STORAGE. */
  storage?: StorageSetting | undefined;
  /** The `payloadCodec` option (undefined: DURABLE_GRAPH_ENCRYPTION_KEYS; null: none); see `withPayloadCodec`. */
  payloadCodec?: PayloadCodec | null | undefined;
  /** A data converter the caller passed (`workerOptions.dataConverter`): kept, with ours added. */
  base?: DataConverter | undefined;
}

/**
 * The data converter for these parts, or undefined when the SDK's default does.
 * @throws {@link EncryptionKeyError} when DURABLE_GRAPH_ENCRYPTION_KEYS is malformed.
 * @throws TypeError when `base` has External Storage of its own and the storage option or DURABLE_GRAPH_STORAGE
 *   sets another: one of them must go.
 */
export function dataConverterOf(parts: DataConverterParts): DataConverter | undefined {
  const storage = resolveStorage(parts.storage);
  const base = withPayloadCodec(parts.base, parts.payloadCodec);
  if (!storage) return base;
  if (base?.externalStorage) {
    throw new TypeError(
      'workerOptions.dataConverter has externalStorage, and the storage option or DURABLE_GRAPH_STORAGE sets it too. ' +
        'Keep one: drop externalStorage from the data converter, or pass storage: false.',
    );
  }
  return { ...base, externalStorage: storage };
}

/**
 * The most a value sent to or from a thread may have, in bytes of JSON, for a process with this data converter:
 * with External Storage a large value travels as a claim, so only what a process can hold and store is refused.
 */
export function valueLimitOf(converter: { externalStorage?: ExternalStorage | undefined } | undefined): number {
  return converter?.externalStorage ? MAX_STORED_VALUE_BYTES : MAX_VALUE_BYTES;
}
