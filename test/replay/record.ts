/**
 * Records the histories that test/replay/replay.test.ts replays against the current engine.
 *
 * WHEN to record: when the engine (src/workflows/) gains a behaviour that old histories do not cover, or
 * when a change is guarded with `patched()` (add its entry to src/workflows/patches.ts too). Add a NEW
 * scenario with a NEW file name (e.g. `approval-approved-v2` or `goto-parallel`), record it, commit it.
 *
 * NEVER re-record an existing file. The old histories are the threads that may still be paused on a
 * production server: the point of the replay test is that they keep replaying on the new engine. If one
 * stops replaying, the engine change is not backwards compatible: guard it with `patched()` instead of
 * re-recording. This script therefore skips every scenario whose file already exists.
 *
 * HOW: `node --conditions=durable-graph-source --import tsx test/replay/record.ts [scenario ...]`
 * It uses TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE) when set, else starts a throwaway dev server
 * (test/helpers/server.ts); the real worker from src/worker.ts runs the graphs of graphs.ts and
 * examples/approval/graph.ts. With no argument it records every missing file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command } from '../../src/index.js';
import { resumeSignal } from '../../src/protocol/messages.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import { failingGraph, parallelQuestionsGraph, routingGraph, twoQuestionsGraph } from './graphs.js';
import { historyToJson } from './history-json.js';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const graphs = [approvalGraph, twoQuestionsGraph, routingGraph, parallelQuestionsGraph, failingGraph];

/** Each scenario runs one thread to its end and returns its workflow id. */
const scenarios: Record<string, (env: GraphTestEnv) => Promise<string>> = {
  /** (a) The seed graph: invoke pauses at human_review, Command({ resume: true }) approves (Update-with-Start, Update). */
  'approval-approved': async ({ client }) => {
    const id = threadId('approval');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(approvalGraph);
    const paused = await handle.invoke({ request: 'Q3 report' }, config);
    assert.ok(paused.__interrupt__, 'the thread pauses');
    const done = await handle.invoke(new Command({ resume: true }), config);
    assert.equal(done.result, 'EXECUTED: send email about Q3 report');
    return id;
  },

  /** (b) Two interrupts in one node: resumed twice, the node runs three times. */
  'two-interrupts': async ({ client }) => {
    const id = threadId('two-questions');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(twoQuestionsGraph);
    await handle.invoke({}, config);
    await handle.invoke(new Command({ resume: 'Ada' }), config);
    const done = await handle.invoke(new Command({ resume: 36 }), config);
    assert.deepEqual({ name: done.name, age: done.age }, { name: 'Ada', age: 36 });
    return id;
  },

  /** (c) Conditional edges from START and after a node, fan-out, join, custom reducer, Command goto. */
  'conditional-routing': async ({ client }) => {
    const id = threadId('routing');
    const done = await client.graph(routingGraph).invoke({ topic: 'both' }, { configurable: { thread_id: id } });
    assert.deepEqual(done.path, ['left', 'right', 'merge', 'celebrate', 'wrapup']);
    assert.equal(done.score, 3);
    return id;
  },

  /** (d) A malformed resume Signal is recorded as rejected; a good Signal then resumes the thread. */
  'rejected-then-good-signal': async ({ client }) => {
    const id = threadId('bad-signal');
    const config = { configurable: { thread_id: id } };
    const graph = client.graph(approvalGraph);
    await graph.invoke({ request: 'refund' }, config);
    const handle = client.temporal.workflow.getHandle(id);
    await handle.signal(resumeSignal, { approve: true } as never);
    await waitFor(async () => (await graph.getState(config)).rejectedResumes.length === 1, 'the bad signal to be rejected');
    await handle.signal(resumeSignal, { resume: false });
    const done = (await handle.result()) as { values: { result?: string } };
    assert.equal(done.values.result, 'REJECTED: send email about refund');
    return id;
  },

  /** (e) Started by name without a spec (the describeGraph local Activity records it), resumed by Signal. */
  'started-by-name': async ({ client, taskQueue }) => {
    const id = threadId('by-name');
    const handle = await client.temporal.workflow.start('approval', { taskQueue, workflowId: id, args: [{ input: { request: 'by name' } }] });
    const config = { configurable: { thread_id: id } };
    await waitFor(async () => (await client.graph('approval').getState(config)).status === 'interrupted', 'the thread to pause');
    await handle.signal(resumeSignal, { resume: true });
    const done = (await handle.result()) as { values: { result?: string } };
    assert.equal(done.values.result, 'EXECUTED: send email about by name');
    return id;
  },

  /** (f) Two parallel interrupts answered by id, one per resume (a partial map first), then a join. */
  'parallel-interrupts-by-id': async ({ client }) => {
    const id = threadId('parallel');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(parallelQuestionsGraph);
    const paused = await handle.invoke({}, config);
    const [left, right] = paused.__interrupt__ ?? [];
    assert.ok(left && right, 'both nodes pause');
    const half = await handle.invoke(new Command({ resume: { [right.id]: 'R' } }), config);
    assert.deepEqual(half.__interrupt__, [left]);
    const done = await handle.invoke(new Command({ resume: { [left.id]: 'L' } }), config);
    assert.equal(done.both, 'L+R');
    return id;
  },

  /** (g) A node that fails after its retries ends the run with NODE_FAILED. */
  'node-failed': async ({ client }) => {
    const id = threadId('failing');
    await assert.rejects(client.graph(failingGraph).invoke({}, { configurable: { thread_id: id } }), /NODE_FAILED/);
    return id;
  },

  /** (h) The approval flow streamed in every mode: pollStream Updates (replayed against the chunk log) around the pause and resume. */
  'approval-streamed': async ({ client }) => {
    const id = threadId('streamed');
    const config = { configurable: { thread_id: id }, streamMode: ['updates', 'values', 'custom'] as const };
    const handle = client.graph(approvalGraph);
    const paused: unknown[] = [];
    for await (const chunk of handle.stream({ request: 'Q3 report' }, config)) paused.push(chunk);
    assert.equal((paused.at(-1) as [string, { __interrupt__?: unknown }])[1].__interrupt__ !== undefined, true, 'the stream ends at the pause');
    const resumed: unknown[] = [];
    for await (const chunk of handle.stream(new Command({ resume: true }), config)) resumed.push(chunk);
    assert.deepEqual(resumed.at(-1), ['values', { request: 'Q3 report', proposed_action: 'send email about Q3 report', approved: true, result: 'EXECUTED: send email about Q3 report' }]);
    return id;
  },
};

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!(name in scenarios)) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(', ')}`);
  const names = (wanted.length ? wanted : Object.keys(scenarios)).filter((name) => {
    const exists = existsSync(`${historiesDir}${name}.json`);
    if (exists) console.log(`skip ${name}: histories/${name}.json exists (never re-record; add a new scenario instead)`);
    return !exists;
  });
  if (names.length === 0) return;
  mkdirSync(historiesDir, { recursive: true });
  await withGraphs(graphs, async (env) => {
    for (const name of names) {
      const workflowId = await scenarios[name]!(env);
      const history = await env.client.temporal.workflow.getHandle(workflowId).fetchHistory();
      writeFileSync(`${historiesDir}${name}.json`, `${historyToJson(history)}\n`);
      console.log(`recorded histories/${name}.json (${history.events?.length ?? 0} events)`);
    }
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
