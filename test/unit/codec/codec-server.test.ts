/**
 * The codec server speaks Temporal's remote codec protocol: a valid token decodes and encodes, a missing or wrong one
 * gets 401, browsers get CORS answers (preflight too) for the allowed origins only, and a server without a token
 * refuses to start unless authentication is turned off explicitly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadToJSON } from '@temporalio/common/lib/proto-utils.js';
import { encryptionCodec, startCodecServer, type CodecServer } from '../../../src/codec/index.js';

const codec = encryptionCodec({ keys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }] });
const token = 'test-token-1';
const origin = 'http://localhost:8233';

describe('codec server', () => {
  let server: CodecServer;
  before(async () => {
    server = await startCodecServer({ codec, token, port: 0 });
  });
  after(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });
  const encrypted = async (value: unknown) => {
    const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    return payloadToJSON(payload!);
  };

  it('decodes with a valid bearer token, under /decode and /<namespace>/decode', async () => {
    for (const path of ['/decode', '/default/decode']) {
      const response = await post(
        path,
        { payloads: [await encrypted({ answer: 'ship it' })] },
        {
          Authorization: `Bearer ${token}`,
        },
      );
      assert.equal(response.status, 200);
      const { payloads } = (await response.json()) as {
        payloads: Array<{ metadata: Record<string, string>; data: string }>;
      };
      assert.equal(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString(), 'json/plain');
      assert.deepEqual(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString()), { answer: 'ship it' });
    }
  });

  it('encodes what the temporal CLI sends into ciphertext', async () => {
    const plain = payloadToJSON(defaultPayloadConverter.toPayload({ resume: 'yes' }));
    const response = await post('/encode', { payloads: [plain] }, { Authorization: `Bearer ${token}` });
    assert.equal(response.status, 200);
    const { payloads } = (await response.json()) as { payloads: Array<{ metadata: Record<string, string> }> };
    assert.equal(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString(), 'binary/encrypted');
  });

  it('refuses a call without a token, or with a wrong one, with 401', async () => {
    const body = { payloads: [await encrypted('secret')] };
    for (const headers of [{}, { Authorization: 'Bearer wrong-token' }, { Authorization: token }] as Record<
      string,
      string
    >[]) {
      const response = await post('/decode', body, headers);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.ok(!(await response.text()).includes('secret'));
    }
  });

  it('answers the preflight of an allowed origin, and refuses other origins', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const call = await post('/decode', { payloads: [] }, { Origin: origin, Authorization: `Bearer ${token}` });
    assert.equal(call.status, 200);
    assert.equal(call.headers.get('access-control-allow-origin'), origin);
    const other = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(other.status, 403);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('says which key is missing (422), and refuses bad bodies (400), other paths (404) and methods (405)', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const other = encryptionCodec({ keys: [{ id: 'k9', key: new Uint8Array(randomBytes(32)) }] });
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload('x')]);
    const missing = await post('/decode', { payloads: [payloadToJSON(foreign!)] }, auth);
    assert.equal(missing.status, 422);
    assert.match(((await missing.json()) as { error: string }).error, /key "k9"/);
    assert.equal((await post('/decode', { payloads: 'nope' }, auth)).status, 400);
    const empty = await post('/decode', {}, auth); // the temporal CLI's way of sending no payloads
    assert.deepEqual(await empty.json(), { payloads: [] });
    assert.equal((await post('/other', { payloads: [] }, auth)).status, 404);
    assert.equal((await fetch(`${server.url}/decode`, { headers: auth })).status, 405);
  });

  it('refuses to start without a token unless authentication is turned off', async () => {
    await assert.rejects(startCodecServer({ codec, port: 0 }), /give it a token/);
    const open = await startCodecServer({ codec, port: 0, auth: false });
    try {
      assert.equal((await post2(open.url, '/decode')).status, 200);
    } finally {
      await open.close();
    }
  });
});

function post2(url: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify({ payloads: [] }) });
}
