/**
 * Which prebuilt engine bundle a worker takes: the one it is given (checked, whatever differs), else the file
 * DURABLE_GRAPH_ENGINE_BUNDLE names (checked, but one built for the other telemetry setting is set aside so that the
 * worker bundles its own), else none. No bundling here: the bundles are stamped stand-ins.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ownStamp, stampBundle, type EngineBundleStamp } from '../../../src/worker/engine-bundle-stamp.js';
import { ENGINE_BUNDLE_ENV, prebuiltEngineBundle } from '../../../src/worker/worker-engine-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'durable-graph-engine-bundle-'));
const inherited = process.env[ENGINE_BUNDLE_ENV];

/** A stand-in bundle stamped with `stamp`, written to a file of its own. */
function bundleFile(name: string, stamp: EngineBundleStamp): { path: string; code: string } {
  const code = stampBundle(`var engine = ${JSON.stringify(name)};\n`, stamp);
  const path = join(dir, `${name}.js`);
  writeFileSync(path, code);
  return { path, code };
}

const matching = bundleFile('matching', ownStamp(false));
const withTelemetry = bundleFile('with-telemetry', ownStamp(true));
const oldVersion = bundleFile('old-version', { ...ownStamp(false), durableGraph: '0.1.0' });

describe('the prebuilt engine bundle of a worker', () => {
  afterEach(() => {
    if (inherited === undefined) delete process.env[ENGINE_BUNDLE_ENV];
    else process.env[ENGINE_BUNDLE_ENV] = inherited;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is the given code or file when its stamp matches, whatever the variable says', async () => {
    process.env[ENGINE_BUNDLE_ENV] = oldVersion.path;
    assert.deepEqual(await prebuiltEngineBundle(false, { code: matching.code }), { code: matching.code });
    assert.deepEqual(await prebuiltEngineBundle(false, { codePath: matching.path }), { code: matching.code });
  });

  it('is refused when given for the other telemetry setting', async () => {
    await assert.rejects(prebuiltEngineBundle(true, { codePath: matching.path }), {
      name: 'InvalidInputError',
      message: /telemetry off \(this worker: on.*--telemetry/s,
    });
  });

  it('is refused when the given file cannot be read, naming the path and the command that builds it', async () => {
    const missing = join(dir, 'missing.js');
    await assert.rejects(prebuiltEngineBundle(false, { codePath: missing }), (error: Error) => {
      assert.equal(error.name, 'InvalidInputError');
      assert.ok(error.message.includes(`engineBundle.codePath "${missing}" cannot be read`), error.message);
      assert.ok(error.message.includes(`\`durable-graph bundle --out ${missing}\``), error.message);
      return true;
    });
  });

  it('is refused when given as something other than { code } or { codePath }', async () => {
    await assert.rejects(prebuiltEngineBundle(false, { path: matching.path } as never), {
      name: 'InvalidInputError',
      message: /takes \{ code \}.*or \{ codePath \}.*got an object with path/s,
    });
  });

  it('is the file DURABLE_GRAPH_ENGINE_BUNDLE names when its stamp matches', async () => {
    process.env[ENGINE_BUNDLE_ENV] = matching.path;
    assert.deepEqual(await prebuiltEngineBundle(false, undefined), { code: matching.code });
    process.env[ENGINE_BUNDLE_ENV] = withTelemetry.path;
    assert.deepEqual(await prebuiltEngineBundle(true, undefined), { code: withTelemetry.code });
  });

  it('is none from the variable when its file differs only in telemetry: the worker bundles its own', async () => {
    process.env[ENGINE_BUNDLE_ENV] = matching.path;
    assert.equal(await prebuiltEngineBundle(true, undefined), undefined);
    process.env[ENGINE_BUNDLE_ENV] = withTelemetry.path;
    assert.equal(await prebuiltEngineBundle(false, undefined), undefined);
  });

  it("is refused from the variable when its file is another version's, saying how to rebuild or unset it", async () => {
    process.env[ENGINE_BUNDLE_ENV] = oldVersion.path;
    await assert.rejects(prebuiltEngineBundle(false, undefined), (error: Error) => {
      assert.equal(error.name, 'InvalidInputError');
      assert.ok(error.message.includes(`${ENGINE_BUNDLE_ENV} "${oldVersion.path}" was built for`), error.message);
      assert.match(error.message, /durable-graph 0\.1\.0 \(this worker: /);
      assert.match(error.message, /`durable-graph bundle --out <file>`/);
      assert.match(error.message, /or unset DURABLE_GRAPH_ENGINE_BUNDLE/);
      return true;
    });
  });

  it('is refused from the variable when its file is missing, rather than bundling in silence', async () => {
    process.env[ENGINE_BUNDLE_ENV] = join(dir, 'missing.js');
    await assert.rejects(prebuiltEngineBundle(false, undefined), {
      name: 'InvalidInputError',
      message: /DURABLE_GRAPH_ENGINE_BUNDLE ".*missing\.js" cannot be read/,
    });
  });

  it('is none without the variable (an empty one counts as unset)', async () => {
    delete process.env[ENGINE_BUNDLE_ENV];
    assert.equal(await prebuiltEngineBundle(false, undefined), undefined);
    process.env[ENGINE_BUNDLE_ENV] = '';
    assert.equal(await prebuiltEngineBundle(false, undefined), undefined);
  });
});
