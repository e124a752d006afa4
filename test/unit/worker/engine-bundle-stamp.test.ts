/**
 * The stamp of a prebuilt engine bundle: written where the SDK still finds the inline source map, read back, and
 * any difference from what this worker would bundle refused with a message that names it and the command to rebuild.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDurableGraphError } from '../../../src/errors.js';
import { ENGINE_LEVEL } from '../../../src/workflows/patches.js';
import {
  checkStamp,
  ownStamp,
  readStamp,
  stampBundle,
  type EngineBundleStamp,
} from '../../../src/worker/engine-bundle-stamp.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/** A bundle as the SDK's bundler ends one: code, then an inline source map whose base64 has no padding. */
function bundle(map: object = { version: 3, file: 'workflow-bundle.js', mappings: 'AAAA' }): string {
  return `var engine = 1;\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${btoa(JSON.stringify(map))}`;
}

/** The SDK's extractSourceMap (worker.js): everything after the last comment's `base64,` is the map. */
function sdkSourceMap(code: string): unknown {
  const at = code.lastIndexOf('//# sourceMappingURL=data:');
  const base64 = code.slice(code.indexOf('base64,', at) + 'base64,'.length).trimEnd();
  return JSON.parse(Buffer.from(base64, 'base64').toString());
}

/** The refusal `checkStamp` throws (fails the test when it throws none). */
function refusal(code: string, expected: EngineBundleStamp): Error {
  try {
    checkStamp(code, expected, 'engineBundle.codePath "/srv/engine.js"', 'or leave engineBundle out');
  } catch (error) {
    assert.ok(isDurableGraphError(error), `a DurableGraphError, got ${String(error)}`);
    return error;
  }
  assert.fail('the bundle was accepted');
}

describe('the engine bundle stamp', () => {
  const own = ownStamp(false);

  it("names this package's version, the engine level and the telemetry setting", () => {
    assert.equal(own.durableGraph, pkg.version);
    assert.equal(own.engineLevel, ENGINE_LEVEL);
    assert.match(own.temporalWorkflow, /^\d+\.\d+\.\d+/);
    assert.equal(own.telemetry, false);
    assert.equal(ownStamp(true).telemetry, true);
  });

  it('is read back from a stamped bundle whose source map the SDK still decodes', () => {
    const map = { version: 3, file: 'workflow-bundle-abcd.js', mappings: 'AAAA;AACA' };
    // The map's base64 ends without padding: a line after it would be decoded into the map.
    assert.ok(!btoa(JSON.stringify(map)).endsWith('='));
    const stamped = stampBundle(bundle(map), own);
    assert.deepEqual(readStamp(stamped), own);
    assert.deepEqual(sdkSourceMap(stamped), map);
    assert.ok(stamped.startsWith('var engine = 1;\n'), 'nothing before the code: mapped lines stay where they were');
  });

  it('is read from a bundle without a source map too', () => {
    assert.deepEqual(readStamp(stampBundle('var engine = 1;\n', own)), own);
  });

  it('is missing from a bundle the stamp is not the last line of', () => {
    assert.equal(readStamp(bundle()), undefined);
    const stampThenCode = stampBundle('var engine = 1;', own) + '\nvar more = 2;';
    assert.equal(readStamp(stampThenCode), undefined);
  });

  it('accepts a bundle stamped as this worker would stamp it', () => {
    assert.doesNotThrow(() => checkStamp(stampBundle(bundle(), own), own, 'engineBundle.code', 'or not'));
  });

  it('refuses a bundle of another durable-graph version, saying which and how to rebuild it', () => {
    const error = refusal(stampBundle(bundle(), { ...own, durableGraph: '0.1.0' }), own);
    assert.equal(error.name, 'InvalidInputError');
    assert.match(error.message, /engine bundle engineBundle\.codePath "\/srv\/engine\.js" was built for/);
    assert.ok(error.message.includes(`durable-graph 0.1.0 (this worker: ${pkg.version})`), error.message);
    assert.match(error.message, /`durable-graph bundle --out <file>`/);
    assert.match(error.message, /or leave engineBundle out/);
    assert.match(error.message, /\[INVALID_INPUT\]/);
  });

  it('refuses a bundle of another engine level or Temporal workflow SDK, listing each difference', () => {
    const other = { ...own, engineLevel: ENGINE_LEVEL - 1, temporalWorkflow: '0.0.1' };
    const { message } = refusal(stampBundle(bundle(), other), own);
    assert.ok(message.includes(`engine level ${ENGINE_LEVEL - 1} (this worker: ${ENGINE_LEVEL})`), message);
    assert.ok(message.includes(`@temporalio/workflow 0.0.1 (this worker: ${own.temporalWorkflow})`), message);
    assert.doesNotMatch(message, /durable-graph \S+ \(this worker/, 'the version matches, so it is not named');
  });

  it('refuses a bundle without telemetry for a worker with it, and names the flag that builds one', () => {
    const { message } = refusal(stampBundle(bundle(), own), ownStamp(true));
    assert.match(message, /telemetry off \(this worker: on/);
    assert.match(message, /`durable-graph bundle --out <file> --telemetry`/);
    assert.match(message, /bundleEngine\(\{ telemetry: true \}\)/);
  });

  it('refuses a bundle with no stamp (e.g. from bundleWorkflowCode())', () => {
    const { message } = refusal(bundle(), own);
    assert.match(message, /has no durable-graph stamp/);
    assert.match(message, /`durable-graph bundle --out <file>`/);
  });
});
