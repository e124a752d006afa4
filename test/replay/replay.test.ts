/**
 * Replays every recorded history in histories/ against the current engine (src/workflows/index.ts),
 * offline: no server, no Activities. A failure means an engine change would break threads that are
 * running or paused on a server today: guard the change with `patched()` instead (see record.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { ReplayResult } from '@temporalio/worker/lib/replay.js';
import { engineWebpackConfigHook } from '../../src/worker/engine-bundle.js';
import { historyFromJson } from './history-json.js';

// The negative test makes Core warn about the nondeterminism it was built to provoke: show errors only.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const enginePath = fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url));
const changedEnginePath = fileURLToPath(new URL('./fixtures/changed-engine.ts', import.meta.url));
const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort();

/** The workflow id is the file name, so a failure names the history that broke. */
function load(file: string) {
  return { workflowId: file.replace(/\.json$/, ''), history: historyFromJson(JSON.parse(readFileSync(`${historiesDir}${file}`, 'utf8'))) };
}

async function replayAll(options: ReplayWorkerOptions, histories: ReturnType<typeof load>[]): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  for await (const result of Worker.runReplayHistories(options, histories)) results.set(result.workflowId, result);
  return results;
}

describe('recorded histories replay on the current engine', () => {
  let results: Map<string, ReplayResult>;

  before(async () => {
    // One replay worker, one bundle of the engine, for every history.
    // Compiled as createWorker compiles it (ES2022), so the replay runs the engine workers run.
    results = await replayAll({ workflowsPath: enginePath, bundlerOptions: { webpackConfigHook: engineWebpackConfigHook }, replayName: 'durable-graph-replay' }, files.map(load));
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
      'step-two-interrupts',
      'interrupt-timeout-resume',
      'response-schema-refused-signal',
      'local-node-conditional',
      'approval-approved-l4',
      'two-interrupts-l4',
      'response-schema-refused-signal-l4',
      'invoke-null-rerun-l4',
      'approval-approved-l7',
      'conditional-routing-l7',
      'parallel-interrupts-by-id-l7',
      'breakpoint-before-invoke-null-l7',
      'update-state-paused-l7',
      'send-failed-rerun',
      'node-interrupt-update-continue',
      'subgraph-parent-command',
      'subgraph-parent-command-child',
      'invoke-in-node-interrupt',
      'invoke-in-node-interrupt-child',
      'approval-approved-l10',
      'two-interrupts-l10',
      'conditional-routing-l10',
      'rejected-then-good-signal-l10',
      'node-failed-l10',
      'send-interrupts-by-id-l10',
      'subgraph-interrupt-l10',
      'subgraph-interrupt-l10-child',
      'update-state-as-node-l10',
      'command-update-only-l10',
      'interrupt-timeout-resume-l10',
      'invoke-in-node-interrupt-l10',
      'invoke-in-node-interrupt-l10-child',
      'local-segment-interrupt-resume-l10',
      'approval-approved-l11',
      'two-interrupts-l11',
      'rejected-then-good-signal-l11',
      'interrupt-timeout-resume-l11',
      'interrupt-timeout-fail-l11',
      'breakpoint-before-invoke-null-l11',
      'update-state-paused-l11',
      'subgraph-interrupt-l11',
      'subgraph-interrupt-l11-child',
      'parallel-interrupts-by-id-l11',
      'subgraph-stream-custom',
      'subgraph-stream-custom-child',
      'update-state-as-node-l6',
      'breakpoint-after-goto-l6',
      'local-segment-chain',
      'local-segment-interrupt-resume',
      'local-segment-failure-retried',
      'quiet-two-interrupts',
      'approval-approved-l12',
      'two-interrupts-l12',
      'conditional-routing-l12',
      'rejected-then-good-signal-l12',
      'node-failed-l12',
      'send-interrupts-by-id-l12',
      'subgraph-interrupt-l12',
      'subgraph-interrupt-l12-child',
      'subgraph-parent-command-l12',
      'subgraph-parent-command-l12-child',
      'update-state-as-node-l12',
      'command-update-only-l12',
      'interrupt-timeout-resume-l12',
      'invoke-in-node-interrupt-l12',
      'invoke-in-node-interrupt-l12-child',
      'local-segment-interrupt-resume-l12',
      'node-interrupt-update-continue-l12',
      'breakpoint-before-invoke-null-l12',
      'breakpoint-after-goto-l12',
      'send-failed-rerun-l12',
      'breakpoint-before-as-node-l12',
    ]) {
      assert.ok(files.includes(`${name}.json`), `histories/${name}.json is missing: histories are never deleted`);
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

describe('the replay test itself', () => {
  it('reports a DeterminismViolationError when a history is replayed against a changed engine', async () => {
    const history = load('approval-approved.json');
    const results = await replayAll({ workflowsPath: changedEnginePath, bundlerOptions: { webpackConfigHook: engineWebpackConfigHook }, replayName: 'durable-graph-replay-negative' }, [history]);
    const error = results.get('approval-approved')?.error;
    assert.ok(error instanceof DeterminismViolationError, `expected a DeterminismViolationError, got ${String(error)}`);
    assert.match(error.message, /nondeterminism|determinism/i);
  });
});
