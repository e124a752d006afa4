import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { resolveConnection } from '../../../src/server/connection.js';

const KEYS = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_CONFIG_FILE', 'TEMPORAL_PROFILE'] as const;

describe('resolveConnection', () => {
  const saved: Partial<Record<(typeof KEYS)[number], string>> = {};
  beforeEach(() => {
    for (const key of KEYS) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    // An empty config file: the environment and the defaults decide.
    process.env.TEMPORAL_CONFIG_FILE = new URL('./connection.test.ts', import.meta.url).pathname + '.absent.toml';
  });
  afterEach(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('defaults to localhost:7233 and the "default" namespace', () => {
    const target = resolveConnection();
    assert.equal(target.address, 'localhost:7233');
    assert.equal(target.namespace, 'default');
    assert.equal(target.connectionOptions.address, 'localhost:7233');
    assert.deepEqual(target.from, { address: 'default', namespace: 'default' });
  });

  it('reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, as the temporal CLI does', () => {
    process.env.TEMPORAL_ADDRESS = 'temporal.internal:7233';
    process.env.TEMPORAL_NAMESPACE = 'billing';
    assert.deepEqual((({ address, namespace }) => ({ address, namespace }))(resolveConnection()), {
      address: 'temporal.internal:7233',
      namespace: 'billing',
    });
    assert.deepEqual(resolveConnection().from, { address: 'environment', namespace: 'environment' });
  });

  it('lets the options win over the environment', () => {
    process.env.TEMPORAL_ADDRESS = 'temporal.internal:7233';
    process.env.TEMPORAL_NAMESPACE = 'billing';
    const target = resolveConnection({ address: '127.0.0.1:9999', namespace: 'test' });
    assert.equal(target.address, '127.0.0.1:9999');
    assert.equal(target.namespace, 'test');
    assert.equal(target.connectionOptions.address, '127.0.0.1:9999');
    assert.deepEqual(target.from, { address: 'option', namespace: 'option' });
  });
});
