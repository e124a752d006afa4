/**
 * Replays every recorded history in histories/ against the current engine (src/workflows/index.ts),
 * offline: no server, no Activities. A failure means an engine change would break threads that are
 * running or paused on a server today: gate the change with an engine level instead (src/workflows/patches.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { ReplayResult } from '@temporalio/worker/lib/replay.js';
import { createRequire } from 'node:module';
import {
  engineInterceptorsPath,
  engineWebpackConfigHook,
  traceContextInterceptorsPath,
} from '../../src/worker/engine-bundle.js';
import { historyFromJson } from './history-json.js';

// The negative test makes Core warn about the nondeterminism it was built to provoke: show errors only.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const enginePath = fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url));
const changedEnginePath = fileURLToPath(new URL('./fixtures/changed-engine.ts', import.meta.url));
/** Every release's histories, as `v<version>/<scenario>.json`. */
const files = readdirSync(historiesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(`${historiesDir}${d.name}`)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

/**
 * The workflow id is the file's name: the engine derives child workflow ids from it, as it did when recording
 * (a scenario's thread id is its file name where that matters).
 */
function load(file: string) {
  return {
    workflowId: file.replace(/^.*\//, '').replace(/\.json$/, ''),
    history: historyFromJson(JSON.parse(readFileSync(`${historiesDir}${file}`, 'utf8'))),
  };
}

/** Replays the files, one release folder at a time (names repeat across releases); keyed by file path. */
async function replayAll(options: ReplayWorkerOptions, files: string[]): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  for (const folder of new Set(files.map((f) => f.slice(0, f.indexOf('/'))))) {
    const histories = files.filter((f) => f.startsWith(`${folder}/`)).map(load);
    for await (const result of Worker.runReplayHistories(options, histories))
      results.set(`${folder}/${result.workflowId}`, result);
  }
  return results;
}

describe('recorded histories replay on the current engine', () => {
  let results: Map<string, ReplayResult>;

  before(async () => {
    // One replay worker, one bundle of the engine, for every history.
    // Compiled as createWorker compiles it (ES2022), so the replay runs the engine workers run.
    results = await replayAll(
      {
        workflowsPath: enginePath,
        bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
        interceptors: { workflowModules: [engineInterceptorsPath()] },
        replayName: 'durable-graph-replay',
      },
      files,
    );
  });

  it('has the histories of every recorded scenario', () => {
    for (const name of [
      'approval-approved',
      'two-interrupts',
      'conditional-routing',
      'rejected-then-good-signal',
      'started-by-name',
      'parallel-interrupts-by-id',
      'node-failed',
      'approval-streamed',
      'send-interrupts-by-id',
      'subgraph-interrupt',
      'subgraph-interrupt-child',
      'breakpoint-before-invoke-null',
      'breakpoint-after-empty-signal',
      'update-state-paused',
      'update-state-as-node',
      'command-resume-update',
      'command-update-only',
      'invoke-null-rerun',
      'send-failed-rerun',
      'step-two-interrupts',
      'interrupt-timeout-resume',
      'response-schema-refused-signal',
      'local-node-conditional',
      'breakpoint-after-goto',
      'node-interrupt-update-continue',
      'subgraph-parent-command',
      'subgraph-parent-command-child',
      'invoke-in-node-interrupt',
      'invoke-in-node-interrupt-child',
      'subgraph-stream-custom',
      'subgraph-stream-custom-child',
      'local-segment-chain',
      'local-segment-interrupt-resume',
      'local-segment-failure-retried',
      'interrupt-timeout-fail',
      'breakpoint-before-as-node',
      'quiet-two-interrupts',
    ]) {
      assert.ok(
        files.includes(`v0.1.0/${name}.json`),
        `histories/v0.1.0/${name}.json is missing: released histories are never deleted`,
      );
    }
  });

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    it(`replays ${name} without a determinism error`, () => {
      const result = results.get(name);
      assert.ok(result, `no replay result for ${name}`);
      assert.equal(result.error, undefined, `${name}: ${String(result.error)}`);
    });
  }
});

/** The engine's sink, doing nothing (without it, each replay logs that the sink is missing). */
const quietEngineSinks = { durableGraph: { runsOnSpec: { fn: () => undefined } } };

describe('turning telemetry on in a worker', () => {
  it("replays every recorded history with the engine's trace-context interceptors in the bundle", async () => {
    const results = await replayAll(
      {
        workflowsPath: enginePath,
        bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
        interceptors: { workflowModules: [engineInterceptorsPath(), traceContextInterceptorsPath()] },
        sinks: quietEngineSinks,
        replayName: 'durable-graph-replay-telemetry',
      },
      files,
    );
    assert.equal(results.size, files.length);
    for (const [name, result] of results) assert.equal(result.error, undefined, `${name}: ${String(result.error)}`);
  });

  it("would break replay with the package's own Workflow interceptors, which draw span ids from the run's seeded random", async () => {
    // Why the engine passes the trace header on itself: should a later package leave the seeded random alone, this
    // fails, and the package's Workflow interceptors (with their Workflow spans) become an option.
    const otelWorkflowModule = createRequire(import.meta.url).resolve(
      '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
    );
    const results = await replayAll(
      {
        workflowsPath: enginePath,
        bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
        interceptors: { workflowModules: [engineInterceptorsPath(), otelWorkflowModule] },
        sinks: { ...quietEngineSinks, exporter: { export: { fn: () => undefined } } },
        replayName: 'durable-graph-replay-otel-package',
      },
      ['v0.1.0/approval-approved.json'],
    );
    const error = results.get('v0.1.0/approval-approved')?.error;
    assert.ok(error instanceof DeterminismViolationError, `expected a DeterminismViolationError, got ${String(error)}`);
    assert.match(error.message, /Activity id/);
  });
});

describe('the replay test itself', () => {
  it('reports a DeterminismViolationError when a history is replayed against a changed engine', async () => {
    const results = await replayAll(
      {
        workflowsPath: changedEnginePath,
        bundlerOptions: { webpackConfigHook: engineWebpackConfigHook },
        interceptors: { workflowModules: [engineInterceptorsPath()] },
        replayName: 'durable-graph-replay-negative',
      },
      ['v0.1.0/approval-approved.json'],
    );
    const error = results.get('v0.1.0/approval-approved')?.error;
    assert.ok(error instanceof DeterminismViolationError, `expected a DeterminismViolationError, got ${String(error)}`);
    assert.match(error.message, /nondeterminism|determinism/i);
  });
});
