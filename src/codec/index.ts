/**
 * durable-graph/codec: encryption at rest. State, node inputs and results, interrupt payloads and resume values are
 * AES-256-GCM ciphertext in Temporal's history (and in External Storage); a codec server lets the Web UI and the
 * `temporal` CLI show them in clear. Setting `DURABLE_GRAPH_ENCRYPTION_KEYS` turns it on for every Worker, client and
 * CLI that reads it; pass a codec explicitly as below. See docs/encryption.md.
 *
 * @module
 * @example
 * ```ts
 * import { encryptionCodec, encryptionKeysFromEnv } from 'durable-graph/codec';
 * import { createWorker } from 'durable-graph/worker';
 * import { GraphClient } from 'durable-graph/client';
 *
 * // DURABLE_GRAPH_ENCRYPTION_KEYS="k2:<base64 of 32 bytes>,k1:<older key>": k2 encrypts, both decrypt.
 * const payloadCodec = encryptionCodec({ keys: encryptionKeysFromEnv()! });
 * const worker = await createWorker({ graphs: [approvalGraph], payloadCodec });
 * const client = await GraphClient.connect({ payloadCodec });
 * ```
 */
export {
  encryptionCodec,
  isEncrypted,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  type EncryptionCodecOptions,
} from './encryption-codec.js';
export {
  encryptionKeysFromEnv,
  parseEncryptionKeys,
  ENCRYPTION_KEYS_ENV,
  type EncryptionKey,
} from './encryption-keys.js';
export {
  startCodecServer,
  DEFAULT_ALLOWED_ORIGINS,
  type CodecServer,
  type CodecServerOptions,
} from './codec-server.js';
export { EncryptionKeyError } from '../errors.js';
