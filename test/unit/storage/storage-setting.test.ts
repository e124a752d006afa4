import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExternalStorage, StorageDriverClaim } from '@temporalio/common';
import { dataConverterOf, valueLimitOf } from '../../../src/server/data-converter.js';
import {
  FileStorageDriver,
  MAX_STORED_VALUE_BYTES,
  MAX_VALUE_BYTES,
  S3StorageDriver,
  StorageUnavailableError,
  parseStorageUrl,
} from '../../../src/storage.js';
import { resolveStorage } from '../../../src/storage/storage-setting.js';

describe('storage URLs', () => {
  it('reads file: URLs, absolute and relative, and a threshold', () => {
    const abs = parseStorageUrl('file:///var/lib/threads?threshold=1000');
    assert.ok(abs.driver instanceof FileStorageDriver);
    assert.equal(abs.driver.folder, '/var/lib/threads');
    assert.equal(abs.threshold, 1000);
    const rel = parseStorageUrl('file:.data/payloads');
    assert.ok(rel.driver instanceof FileStorageDriver);
    assert.equal(rel.driver.folder, join(process.cwd(), '.data/payloads'));
    assert.equal(rel.threshold, undefined);
  });

  it('reads s3:// URLs with a prefix, an endpoint and a region', () => {
    const { driver } = parseStorageUrl('s3://threads/prod/eu?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1');
    assert.ok(driver instanceof S3StorageDriver);
    assert.equal(driver.bucket, 'threads');
    assert.equal(driver.prefix, 'prod/eu/');
    assert.equal(driver.location, 's3://threads/prod/eu/ at http://127.0.0.1:9000');
  });

  it('refuses a URL it cannot read, naming where it came from and the accepted forms', () => {
    assert.throws(
      () => parseStorageUrl('gs://bucket', 'DURABLE_GRAPH_STORAGE'),
      /DURABLE_GRAPH_STORAGE is "gs:\/\/bucket", which is neither a file: nor an s3:\/\/ URL\. Use file:\/\/\//,
    );
    assert.throws(() => parseStorageUrl('s3://'), /names no bucket/);
    assert.throws(() => parseStorageUrl('file:///x?threshold=big'), /threshold that is not a number of bytes/);
  });

  it('takes the option over DURABLE_GRAPH_STORAGE, and none with false or when neither is set', () => {
    const env = { DURABLE_GRAPH_STORAGE: 'file:///from-env' };
    const fromEnv = resolveStorage(undefined, env);
    assert.equal((fromEnv?.drivers[0] as FileStorageDriver).folder, '/from-env');
    const fromOption = resolveStorage('file:///from-option', env);
    assert.equal((fromOption?.drivers[0] as FileStorageDriver).folder, '/from-option');
    assert.equal(resolveStorage(false, env), undefined);
    assert.equal(resolveStorage(undefined, {}), undefined);
    const driver = new FileStorageDriver({ folder: '/x' });
    assert.equal(resolveStorage({ driver, threshold: 10 }, {})?.payloadSizeThreshold, 10);
    assert.equal(resolveStorage(driver, {})?.payloadSizeThreshold, 256 * 1024);
  });
});

describe('the data converter', () => {
  it('adds External Storage to a data converter the caller passed, and refuses two', () => {
    const codec = { encode: async (p: never[]) => p, decode: async (p: never[]) => p };
    const merged = dataConverterOf({ storage: 'file:///x', base: { payloadCodecs: [codec] } });
    assert.deepEqual(merged?.payloadCodecs, [codec]);
    assert.ok(merged?.externalStorage instanceof ExternalStorage);
    const theirs = new ExternalStorage({ drivers: [new FileStorageDriver({ folder: '/y' })] });
    assert.throws(
      () => dataConverterOf({ storage: 'file:///x', base: { externalStorage: theirs } }),
      /has externalStorage, and the storage option or DURABLE_GRAPH_STORAGE sets it too/,
    );
    assert.equal(dataConverterOf({ storage: false, base: { externalStorage: theirs } })?.externalStorage, theirs);
  });

  it('lets values grow to what storage takes only when the converter has External Storage', () => {
    assert.equal(valueLimitOf(undefined), MAX_VALUE_BYTES);
    assert.equal(valueLimitOf({}), MAX_VALUE_BYTES);
    assert.equal(valueLimitOf(dataConverterOf({ storage: 'file:///x' })), MAX_STORED_VALUE_BYTES);
  });
});

describe('the local-folder driver', () => {
  const payload = (text: string) => ({
    metadata: { encoding: new TextEncoder().encode('json/plain') },
    data: new TextEncoder().encode(JSON.stringify(text)),
  });

  it('stores each payload once under its SHA-256 and reads it back unchanged', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dg-file-driver-'));
    try {
      const driver = new FileStorageDriver({ folder });
      const claims = await driver.store({}, [payload('a'), payload('b'), payload('a')]);
      assert.match(claims[0]!.claimData.key!, /^[0-9a-f]{64}$/);
      assert.equal(claims[0]!.claimData.key, claims[2]!.claimData.key, 'the same bytes, the same claim');
      assert.notEqual(claims[0]!.claimData.key, claims[1]!.claimData.key);
      const back = await driver.retrieve({}, claims);
      assert.deepEqual(
        back.map((p) => new TextDecoder().decode(p.data!)),
        ['"a"', '"b"', '"a"'],
      );
      assert.equal(new TextDecoder().decode(back[0]!.metadata!.encoding), 'json/plain');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('says which value is missing or was changed, as StorageUnavailableError', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dg-file-driver-'));
    try {
      const driver = new FileStorageDriver({ folder });
      const [claim] = await driver.store({}, [payload('kept')]);
      const key = claim!.claimData.key!;
      const path = join(folder, key.slice(0, 2), key);
      await writeFile(path, (await readFile(path)).subarray(1));
      await assert.rejects(driver.retrieve({}, [claim!]), (error: unknown) => {
        assert.ok(error instanceof StorageUnavailableError);
        assert.match(error.message, /does not match its name: the file was changed/);
        return true;
      });
      const missing = new StorageDriverClaim({ key: '0'.repeat(64) });
      await assert.rejects(driver.retrieve({}, [missing]), /Could not read value 0{64} from the storage folder/);
      await assert.rejects(
        new FileStorageDriver({ folder: '/dev/null/not-a-folder' }).store({}, [payload('x')]),
        /Could not write a value of \d+ bytes to the storage folder "\/dev\/null\/not-a-folder"/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
