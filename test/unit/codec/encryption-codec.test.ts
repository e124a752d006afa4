/**
 * The encryption codec: payloads round-trip, the ciphertext holds none of the plaintext, the key id travels in clear
 * for rotation, payloads that are not encrypted pass through, and a missing or wrong key is an error that names the
 * key and what to set.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import {
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  encryptionCodec,
  encryptionKeysFromEnv,
  parseEncryptionKeys,
  type EncryptionKey,
} from '../../../src/codec/index.js';
import { encryptedPayloadGuard } from '../../../src/codec/encryption-codec.js';
import { payloadFromBytes, payloadToBytes } from '../../../src/codec/payload-bytes.js';
import { withPayloadCodec } from '../../../src/codec/with-payload-codec.js';
import { ErrorCode, isDurableGraphError } from '../../../src/errors.js';

const key = (id: string): EncryptionKey => ({ id, key: new Uint8Array(randomBytes(32)) });
const k1 = key('k1');
const k2 = key('k2');
const secret = { question: 'Wire 9,000 EUR to ACME?', account: 'DE44 5001 0517 5407 3249 31' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'order-42' };

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isDurableGraphError(error), `not a DurableGraphError: ${String(error)}`);
    assert.equal(error.code, ErrorCode.ENCRYPTION_KEY);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('encryptionCodec', () => {
  it('encrypts a payload under the first key, with its id in clear and no plaintext left, and decrypts it back', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    const plain = defaultPayloadConverter.toPayload(secret);
    const [encrypted] = await codec.encode([plain]);
    assert.equal(text(encrypted!.metadata!.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encrypted!.metadata![KEY_ID_METADATA]), 'k1');
    const everything = JSON.stringify(encrypted, (_k, v: unknown) => (v instanceof Uint8Array ? text(v) : v));
    assert.ok(!everything.includes('ACME') && !everything.includes('json/plain'), everything);
    const [decoded] = await codec.decode([encrypted!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), secret);
    assert.equal(text(decoded!.metadata!.encoding), 'json/plain');
  });

  it('gives two encryptions of the same payload different bytes (a fresh IV each time)', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    const plain = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([plain, plain]);
    assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!));
  });

  it('passes a payload that is not encrypted (json/plain from the temporal CLI) through decode unchanged', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    const plain = defaultPayloadConverter.toPayload({ resume: 'yes' });
    const [decoded] = await codec.decode([plain]);
    assert.equal(decoded, plain);
  });

  it('after a rotation encrypts with the new key and still decrypts what the old key encrypted', async () => {
    const [old] = await encryptionCodec({ keys: [k1] }).encode([defaultPayloadConverter.toPayload(secret)]);
    const rotated = encryptionCodec({ keys: [k2, k1] });
    assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!), secret);
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(secret)]);
    assert.equal(text(fresh!.metadata![KEY_ID_METADATA]), 'k2');
  });

  it('refuses a payload under a key it lacks, naming the key id, the thread and the variable to set', async () => {
    const [old] = await encryptionCodec({ keys: [k1] }).encode([defaultPayloadConverter.toPayload(secret)]);
    await rejectsWith(
      encryptionCodec({ keys: [k2] }).decode([old!], context),
      /thread "order-42" is encrypted with key "k1".*its keys: "k2".*Add "k1:<its base64>" to DURABLE_GRAPH_ENCRYPTION_KEYS/s,
    );
  });

  it('refuses a payload whose key id matches but whose key differs, or that was altered', async () => {
    const [old] = await encryptionCodec({ keys: [k1] }).encode([defaultPayloadConverter.toPayload(secret)]);
    await rejectsWith(
      encryptionCodec({ keys: [key('k1')] }).decode([old!]),
      /Key "k1" of this process does not decrypt/,
    );
    const altered = { ...old!, data: Uint8Array.from(old!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await rejectsWith(encryptionCodec({ keys: [k1] }).decode([altered]), /does not decrypt/);
  });

  it('without keys (the guard) sends payloads in clear and names the key an encrypted payload needs', async () => {
    const guard = encryptedPayloadGuard();
    const plain = defaultPayloadConverter.toPayload(secret);
    assert.deepEqual(await guard.encode([plain]), [plain]);
    const [old] = await encryptionCodec({ keys: [k1] }).encode([plain]);
    await rejectsWith(guard.decode([old!], context), /no encryption keys\. Set DURABLE_GRAPH_ENCRYPTION_KEYS="k1:/);
  });
});

describe('payload bytes', () => {
  it('are the protobuf encoding of proto.temporal.api.common.v1.Payload, both ways', () => {
    const payload: Payload = {
      metadata: { encoding: Buffer.from('json/plain'), other: Buffer.from([0, 255, 7]) },
      data: Buffer.from(JSON.stringify(secret)),
    };
    const ours = payloadToBytes(payload);
    const theirs = proto.temporal.api.common.v1.Payload.decode(ours);
    assert.deepEqual(Buffer.from(theirs.data), Buffer.from(payload.data!));
    assert.deepEqual(Buffer.from(theirs.metadata.other!), Buffer.from([0, 255, 7]));
    const back = payloadFromBytes(proto.temporal.api.common.v1.Payload.encode(payload).finish());
    assert.deepEqual(Buffer.from(back.data!), Buffer.from(payload.data!));
    assert.equal(text(back.metadata!.encoding), 'json/plain');
  });
});

describe('encryption keys', () => {
  const b64 = (k: EncryptionKey) => Buffer.from(k.key).toString('base64');

  it('are read from DURABLE_GRAPH_ENCRYPTION_KEYS, first one first; unset means off', () => {
    const keys = encryptionKeysFromEnv({ DURABLE_GRAPH_ENCRYPTION_KEYS: ` k2:${b64(k2)} , k1:${b64(k1)} ` });
    assert.deepEqual(
      keys?.map((k) => k.id),
      ['k2', 'k1'],
    );
    assert.deepEqual(Buffer.from(keys![1]!.key), Buffer.from(k1.key));
    assert.equal(encryptionKeysFromEnv({}), undefined);
    assert.equal(encryptionKeysFromEnv({ DURABLE_GRAPH_ENCRYPTION_KEYS: ' ' }), undefined);
  });

  for (const [what, value, pattern] of [
    ['a key of the wrong length', 'k1:' + Buffer.alloc(16).toString('base64'), /key "k1" is not 32 bytes/],
    ['an entry without an id', Buffer.alloc(32).toString('base64'), /entry 1 does not start with a key id/],
    [
      'a repeated id',
      `k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`,
      /"k1" appears twice/,
    ],
  ] as const) {
    it(`refuse ${what} without printing the key`, () => {
      assert.throws(
        () => parseEncryptionKeys(value),
        (error: unknown) => {
          assert.ok(isDurableGraphError(error) && error.code === ErrorCode.ENCRYPTION_KEY);
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes(Buffer.alloc(32, 1).toString('base64')));
          return true;
        },
      );
    });
  }
});

describe('withPayloadCodec', () => {
  const mine: PayloadCodec = { encode: async (p) => p, decode: async (p) => p };
  const b64 = Buffer.from(k1.key).toString('base64');

  it('adds the codec after the codecs of a given data converter, keeping its other fields', () => {
    const theirs: PayloadCodec = { encode: async (p) => p, decode: async (p) => p };
    const merged = withPayloadCodec({ payloadCodecs: [theirs], payloadConverterPath: '/x.js' }, mine, {});
    assert.deepEqual(merged?.payloadCodecs, [theirs, mine]);
    assert.equal(merged?.payloadConverterPath, '/x.js');
  });

  it('encrypts with DURABLE_GRAPH_ENCRYPTION_KEYS by default, adds nothing for null, and only guards when unset', async () => {
    const fromEnv = withPayloadCodec(undefined, undefined, { DURABLE_GRAPH_ENCRYPTION_KEYS: `k1:${b64}` });
    const [encrypted] = await fromEnv!.payloadCodecs![0]!.encode([defaultPayloadConverter.toPayload(secret)]);
    assert.equal(text(encrypted!.metadata![KEY_ID_METADATA]), 'k1');
    assert.equal(withPayloadCodec(undefined, null, { DURABLE_GRAPH_ENCRYPTION_KEYS: `k1:${b64}` }), undefined);
    const guarded = withPayloadCodec(undefined, undefined, {});
    assert.equal(guarded?.payloadCodecs?.length, 1);
    const own = { payloadCodecs: [mine] };
    assert.equal(withPayloadCodec(own, undefined, {}), own);
  });
});
