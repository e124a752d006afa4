/**
 * The one place a process's payload codec joins its DataConverter, for the Worker, the client and the CLI alike, so
 * that all of them encrypt and decrypt the same way: the codec given, else encryption with the keys in
 * `DURABLE_GRAPH_ENCRYPTION_KEYS`, else a guard that names the missing key when it meets an encrypted payload.
 */
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { encryptedPayloadGuard, encryptionCodec } from './encryption-codec.js';
import { encryptionKeysFromEnv } from './encryption-keys.js';

/**
 * `dataConverter` with `codec` added after its own codecs (so it encrypts what they produce, e.g. compressed bytes,
 * and decrypts first). `codec` undefined: the codec of `DURABLE_GRAPH_ENCRYPTION_KEYS` (the guard when it is unset and
 * `dataConverter` has no codecs of its own); null: none added.
 * @throws {@link EncryptionKeyError} when `DURABLE_GRAPH_ENCRYPTION_KEYS` is malformed.
 */
export function withPayloadCodec(
  dataConverter: DataConverter | undefined,
  codec: PayloadCodec | null | undefined,
  env: Record<string, string | undefined> = process.env,
): DataConverter | undefined {
  const theirs = dataConverter?.payloadCodecs ?? [];
  const ours = codec === null ? undefined : (codec ?? codecOfEnv(env, theirs.length > 0));
  if (!ours || theirs.includes(ours)) return dataConverter;
  return { ...dataConverter, payloadCodecs: [...theirs, ours] };
}

function codecOfEnv(env: Record<string, string | undefined>, hasOwnCodecs: boolean): PayloadCodec | undefined {
  const keys = encryptionKeysFromEnv(env);
  if (keys) return encryptionCodec({ keys });
  // Another codec may use the same encoding name: then its payloads are not ours to refuse.
  return hasOwnCodecs ? undefined : encryptedPayloadGuard();
}
