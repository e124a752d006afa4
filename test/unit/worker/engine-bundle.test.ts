/**
 * The worker compiles the engine's TypeScript for ES2022 (the published build's target), with the SDK's own
 * bundler: a check that the hook still finds the SDK's compile rule, so an SDK upgrade cannot quietly bring
 * back the slower ES2017 output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleWorkflowCode } from '@temporalio/worker';
import { enginePath, engineWebpackConfigHook, swcRuleOptions } from '../../../src/worker/engine-bundle.js';

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

  it('finds the engine entry file of this checkout', () => {
    assert.match(enginePath(), /[/\\]workflows[/\\]index\.(ts|js)$/);
  });
});
