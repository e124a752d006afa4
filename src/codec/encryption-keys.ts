/**
 * Encryption keys as operators write them: `DURABLE_GRAPH_ENCRYPTION_KEYS="k2:<base64>,k1:<base64>"`, each a key id
 * and 32 random bytes in base64 (`openssl rand -base64 32`). The first key encrypts; every key decrypts, so a new key
 * is put first and the old ones stay until no open thread needs them.
 */
import { EncryptionKeyError } from '../errors.js';

/** The environment variable worker, client, CLI and codec server read their keys from. */
export const ENCRYPTION_KEYS_ENV = 'DURABLE_GRAPH_ENCRYPTION_KEYS';

/** One AES-256 key and the id recorded with every payload it encrypts. */
export interface EncryptionKey {
  /** Recorded in each payload's metadata (`encryption-key-id`), in clear: letters, digits, `.`, `_`, `-`. */
  id: string;
  /** 32 bytes. */
  key: Uint8Array;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;

/**
 * The keys of a `"<id>:<base64>,<id>:<base64>"` text, first one first.
 * @throws {@link EncryptionKeyError} naming the entry that is malformed (never the key material).
 */
export function parseEncryptionKeys(text: string, source = ENCRYPTION_KEYS_ENV): EncryptionKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw invalid(source, 'it holds no key');
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    if (!ID.test(id))
      throw invalid(source, `entry ${index + 1} does not start with a key id (letters, digits, ".", "_", "-") and ":"`);
    const base64 = entry.slice(colon + 1).trim();
    const key = Buffer.from(base64, 'base64');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64) || key.length !== KEY_BYTES)
      throw invalid(source, `key "${id}" is not ${KEY_BYTES} bytes in base64 (it decodes to ${key.length} bytes)`);
    return { id, key: new Uint8Array(key) };
  });
  return checkKeys(keys, source);
}

/**
 * The keys in `DURABLE_GRAPH_ENCRYPTION_KEYS`, or undefined when it is unset or empty (encryption off).
 * @throws {@link EncryptionKeyError} when it is set but malformed.
 */
export function encryptionKeysFromEnv(
  env: Record<string, string | undefined> = process.env,
): EncryptionKey[] | undefined {
  const text = env[ENCRYPTION_KEYS_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  return parseEncryptionKeys(text);
}

/** `keys` when they can be used: at least one, ids well formed and unique, 32 bytes each. */
export function checkKeys(keys: readonly EncryptionKey[], source = 'encryptionCodec({ keys })'): EncryptionKey[] {
  if (keys.length === 0) throw invalid(source, 'it holds no key');
  const seen = new Set<string>();
  for (const { id, key } of keys) {
    if (!ID.test(id)) throw invalid(source, `key id "${id}" is not letters, digits, ".", "_" or "-" (1 to 64)`);
    if (seen.has(id)) throw invalid(source, `key id "${id}" appears twice`);
    if (key.length !== KEY_BYTES) throw invalid(source, `key "${id}" has ${key.length} bytes, not ${KEY_BYTES}`);
    seen.add(id);
  }
  return [...keys];
}

function invalid(source: string, problem: string): EncryptionKeyError {
  return new EncryptionKeyError(
    `The encryption keys in ${source} cannot be used: ${problem}. Write them as "<id>:<base64 of 32 bytes>", ` +
      `comma-separated, the key that encrypts first (e.g. ${ENCRYPTION_KEYS_ENV}="k2:$(openssl rand -base64 32),k1:<the old key>").`,
  );
}
