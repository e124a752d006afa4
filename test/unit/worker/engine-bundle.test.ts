/**
 * The worker compiles the engine's TypeScript for ES2022 (the published build's target), with the SDK's own
 * bundler: a check that the hook still finds the SDK's compile rule, so an SDK upgrade cannot quietly bring
 * back the slower ES2017 output. And `bundleEngine()`, what `durable-graph bundle` writes, is that bundle stamped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleWorkflowCode } from '@temporalio/worker';
import {
  bundleEngine,
  enginePath,
  engineWebpackConfigHook,
  swcRuleOptions,
} from '../../../src/worker/engine-bundle.js';
import { ownStamp, readStamp } from '../../../src/worker/engine-bundle-stamp.js';
import { TRACE_HEADER } from '../../../src/workflows/trace-context.js';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('the engine bundle', () => {
  it('compiles the engine for ES2022: class private fields stay native, no downlevel helpers', async () => {
    let targets: unknown[] = [];
    const { code } = await bundleWorkflowCode({
      workflowsPath: enginePath(),
      logger: silent,
      webpackConfigHook: (config) => {
        const hooked = engineWebpackConfigHook(config);
        targets = swcRuleOptions(hooked).map((options) => options.jsc.target);
        return hooked;
      },
    });
    assert.deepEqual(targets, ['es2022'], "the SDK's one TypeScript rule, retargeted");
    assert.match(code, /#values/, 'the engine class keeps its private fields');
    assert.doesNotMatch(code, /_class_private_field_get|_class_private_method_get/, 'no ES2017 private-field helpers');
  });

  it('bundleEngine({ telemetry: true }) holds the trace-context interceptors, is stamped so, and keeps its source map', async () => {
    const { code } = await bundleEngine({ telemetry: true });
    assert.deepEqual(readStamp(code), ownStamp(true));
    assert.ok(code.includes(TRACE_HEADER), 'the trace-context interceptors are bundled');
    assert.doesNotMatch(code, /_class_private_field_get/, 'compiled for ES2022 like the worker bundles it');
    // As the SDK reads it (extractSourceMap in @temporalio/worker): the map is the last comment, whole.
    const at = code.lastIndexOf('//# sourceMappingURL=data:');
    const map = JSON.parse(Buffer.from(code.slice(code.indexOf('base64,', at) + 7), 'base64').toString()) as {
      sources: string[];
    };
    assert.ok(
      map.sources.some((source) => /workflows[/\\]trace-context\.ts$/.test(source)),
      'the map names the engine files',
    );
  });

  it('finds the engine entry file of this checkout', () => {
    assert.match(enginePath(), /[/\\]workflows[/\\]index\.(ts|js)$/);
  });
});
