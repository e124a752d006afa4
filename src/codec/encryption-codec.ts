/**
 * AES-256-GCM payload encryption, as a Temporal PayloadCodec. Each payload becomes `binary/encrypted`: its protobuf
 * bytes encrypted under the first key, with a fresh 12-byte IV, stored as IV + ciphertext + 16-byte tag, and the key's
 * id in clear in the metadata so the right key is found after a rotation. Payloads that are not encrypted (a
 * `json/plain` resume typed into the `temporal` CLI) decode unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { EncryptionKeyError } from '../errors.js';
import { checkKeys, ENCRYPTION_KEYS_ENV, type EncryptionKey } from './encryption-keys.js';
import { payloadFromBytes, payloadToBytes } from './payload-bytes.js';

/** The `encoding` of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher. */
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Options of {@link encryptionCodec}. */
export interface EncryptionCodecOptions {
  /** The keys, the one that encrypts first; e.g. `encryptionKeysFromEnv()` or `parseEncryptionKeys(text)`. */
  keys: readonly EncryptionKey[];
}

/**
 * A PayloadCodec that encrypts every payload with AES-256-GCM under the first key and decrypts payloads encrypted
 * with any of the keys. Give the same keys to every Worker, client, CLI and codec server of a namespace.
 * @throws {@link EncryptionKeyError} when the keys are malformed; from `decode()`, when a payload was encrypted with
 *   a key that is not among them.
 */
export function encryptionCodec(options: EncryptionCodecOptions): PayloadCodec {
  return new EncryptionCodec(checkKeys(options.keys));
}

/**
 * A codec for a process without keys: it leaves what it sends in clear and, given an encrypted payload, throws an
 * error saying which key to set, instead of the payload converter's "Unknown encoding".
 * @internal
 */
export function encryptedPayloadGuard(): PayloadCodec {
  return new EncryptionCodec([]);
}

/** True when `payload` was encrypted by an encryption codec. */
export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && text(encoding) === ENCRYPTED_ENCODING;
}

class EncryptionCodec implements PayloadCodec {
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #current?: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
    this.#current = keys[0];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.#current;
    if (!current) return payloads;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const body = Buffer.concat([iv, cipher.update(payloadToBytes(payload)), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: bytes(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: bytes(current.id),
          [CIPHER_METADATA]: bytes(CIPHER),
        },
        data: new Uint8Array(body),
      };
    });
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.#decrypt(payload, context) : payload));
  }

  #decrypt(payload: Payload, context?: SerializationContext): Payload {
    const metadata = payload.metadata ?? {};
    const keyId = metadata[KEY_ID_METADATA] ? text(metadata[KEY_ID_METADATA]) : '';
    const where = describe(context);
    const threadId = context?.workflowId;
    const cipher = metadata[CIPHER_METADATA] ? text(metadata[CIPHER_METADATA]) : CIPHER;
    const key = this.#keys.get(keyId);
    if (!key) throw this.#missing(keyId, where, threadId);
    const data = payload.data ?? new Uint8Array();
    if (cipher !== CIPHER || data.length < IV_BYTES + TAG_BYTES)
      throw new EncryptionKeyError(
        `A payload${where} encrypted with key "${keyId}" is not in the form this codec writes (cipher "${cipher}", ${data.length} bytes). ` +
          'It was written by another codec: decode it with that codec, or with a codec server that has it.',
        { keyId, ...(threadId ? { threadId } : {}) },
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return payloadFromBytes(plain);
    } catch (cause) {
      throw new EncryptionKeyError(
        `Key "${keyId}" of this process does not decrypt a payload${where} that was encrypted with a key of that id: ` +
          `the key differs from the one that encrypted it (or the payload was altered). Set the original key "${keyId}" in ` +
          `${ENCRYPTION_KEYS_ENV}; give a new key a new id rather than reusing one.`,
        { keyId, cause, ...(threadId ? { threadId } : {}) },
      );
    }
  }

  #missing(keyId: string, where: string, threadId: string | undefined): EncryptionKeyError {
    const has = [...this.#keys.keys()];
    const what = has.length
      ? `which this process does not have (its keys: ${has.map((k) => `"${k}"`).join(', ')}). Add "${keyId}:<its base64>" to ${ENCRYPTION_KEYS_ENV}, after the key that encrypts`
      : `and this process has no encryption keys. Set ${ENCRYPTION_KEYS_ENV}="${keyId}:<its base64>" (the keys the Workers use)`;
    return new EncryptionKeyError(
      `A payload${where} is encrypted with key "${keyId}", ${what}, for every Worker, client, CLI and codec server; ` +
        `keep a key there while any open thread was written with it. The run waits and carries on once a Worker has the key.`,
      { keyId, ...(threadId ? { threadId } : {}) },
    );
  }
}

/** " of thread …" for the error message, when the payload's owner is known. */
function describe(context: SerializationContext | undefined): string {
  if (!context?.workflowId) return '';
  return context.type === 'activity' && context.activityId
    ? ` of thread "${context.workflowId}" (task ${context.activityId})`
    : ` of thread "${context.workflowId}"`;
}

function bytes(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function text(value: Uint8Array): string {
  return new TextDecoder().decode(value);
}
