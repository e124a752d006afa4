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
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command } from '../../src/index.js';
import { resumeSignal } from '../../src/protocol/messages.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import {
  afterDraftGraph,
  beforeSendGraph,
  commandInputGraph,
  customStreamGraph,
  deadlineFailGraph,
  deadlineGraph,
  failingGraph,
  invokedReviewGraph,
  invokeInNodeGraph,
  localChainGraph,
  localChainInterruptGraph,
  localFailRetryGraph,
  localFlakyRuns,
  localRoutingGraph,
  nodeInterruptGraph,
  parallelQuestionsGraph,
  parentCommandGraph,
  quietQuestionsGraph,
  sendRerunBroken,
  sendRerunGraph,
  responseSchemaGraph,
  routingGraph,
  sendReviewGraph,
  stepsGraph,
  subgraphParentGraph,
  twoQuestionsGraph,
  updateAsNodeGraph,
} from './graphs.js';
import { historyToJson } from './history-json.js';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const graphs = [
  approvalGraph,
  twoQuestionsGraph,
  routingGraph,
  parallelQuestionsGraph,
  failingGraph,
  sendReviewGraph,
  subgraphParentGraph,
  beforeSendGraph,
  afterDraftGraph,
  updateAsNodeGraph,
  commandInputGraph,
  stepsGraph,
  deadlineGraph,
  deadlineFailGraph,
  responseSchemaGraph,
  localRoutingGraph,
  sendRerunGraph,
  nodeInterruptGraph,
  parentCommandGraph,
  invokeInNodeGraph,
  invokedReviewGraph,
  customStreamGraph,
  localChainGraph,
  localChainInterruptGraph,
  localFailRetryGraph,
  quietQuestionsGraph,
];

/**
 * Each scenario runs one thread to its end and returns its workflow id, recorded as `<scenario>.json`;
 * or, for a scenario that involves more than one workflow (a subgraph's child), a map from file name
 * (without `.json`) to workflow id, whose first entry must be `<scenario>`.
 */
const scenarios: Record<string, (env: GraphTestEnv) => Promise<string | Record<string, string>>> = {
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

  /** (i) Send fan-out whose Send workers interrupt: answered by an id map, one worker first, then the other. */
  'send-interrupts-by-id': async ({ client }) => {
    const id = threadId('send-int');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(sendReviewGraph);
    const paused = await handle.invoke({ topics: ['a', 'b'] }, config);
    const [a, b] = paused.__interrupt__ ?? [];
    assert.ok(a && b, 'both Send workers pause');
    assert.deepEqual((await handle.getState(config)).next, ['review', 'review']);
    const half = await handle.invoke(new Command({ resume: { [b.id]: 'no' } }), config);
    assert.deepEqual(half.__interrupt__, [a]);
    const done = await handle.invoke(new Command({ resume: { [a.id]: 'ok' } }), config);
    assert.deepEqual([...done.jokes].sort(), ['a:ok', 'b:no']);
    return id;
  },

  /**
   * (j) A subgraph node whose child interrupts, resumed through the parent: the parent's and the child's histories.
   * The parent derives the child's workflow id from its own, and replay.test.ts replays a history under its file
   * name: so the parent's thread id IS the file name (fine on the throwaway dev server; on a shared server the id
   * must be free).
   */
  'subgraph-interrupt': (env) => subgraphInterrupt(env, 'subgraph-interrupt'),

  /** (k) A static breakpoint before a node (interruptBefore), continued with invoke(null). */
  'breakpoint-before-invoke-null': async ({ client }) => {
    const id = threadId('before');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(beforeSendGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__, []);
    assert.deepEqual((await handle.getState(config)).next, ['send']);
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.log, ['draft', 'send']);
    return id;
  },

  /** (l) A static breakpoint after a node (interruptAfter), continued with a plain `{}` resume Signal. */
  'breakpoint-after-empty-signal': async ({ client }) => {
    const id = threadId('after');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(afterDraftGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__, []);
    assert.deepEqual((await handle.getState(config)).next, ['send']);
    const workflow = client.temporal.workflow.getHandle(id);
    await workflow.signal(resumeSignal, {} as never);
    const done = (await workflow.result()) as { values: { log: string[] } };
    assert.deepEqual(done.values.log, ['draft', 'send']);
    return id;
  },

  /** (m) updateState without asNode on a paused thread: the interrupt stays pending; the resumed node sees the values. */
  'update-state-paused': async ({ client }) => {
    const id = threadId('us-paused');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(approvalGraph);
    const paused = await handle.invoke({ request: 'Q3' }, config);
    await handle.updateState(config, { proposed_action: 'send a shorter email' });
    const state = await handle.getState(config);
    assert.deepEqual(state.tasks[0]!.interrupts, paused.__interrupt__, 'the interrupt is still pending, same id');
    const done = await handle.invoke(new Command({ resume: true }), config);
    assert.equal(done.result, 'EXECUTED: send a shorter email');
    return id;
  },

  /** (n) updateState with asNode = the paused node: counts as its output; invoke(null) continues after it. */
  'update-state-as-node': async ({ client }) => {
    const id = threadId('us-asnode');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(updateAsNodeGraph);
    await handle.invoke({}, config);
    await handle.updateState(config, { approved: true }, 'review');
    assert.deepEqual((await handle.getState(config)).next, ['after']);
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.log, ['after:true']);
    return id;
  },

  /** (o) Command({ resume, update }) on a paused thread: the update is applied before the node re-runs. */
  'command-resume-update': async ({ client }) => {
    const id = threadId('resume-update');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(commandInputGraph);
    await handle.invoke({}, config);
    const done = await handle.invoke(new Command({ resume: 'yes', update: { note: 'edited' } }), config);
    assert.deepEqual(done.log, ['ask:yes', 'finish']);
    assert.equal(done.note, 'edited');
    return id;
  },

  /** (p) Command({ update }) without resume on a paused thread re-runs the node (new interrupt id); then resumed. */
  'command-update-only': async ({ client }) => {
    const id = threadId('update-only');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(commandInputGraph);
    const first = await handle.invoke({}, config);
    const again = await handle.invoke(new Command({ update: { note: 'context' } }), config);
    assert.equal(again.__interrupt__?.length, 1);
    assert.notEqual(again.__interrupt__![0]!.id, first.__interrupt__![0]!.id);
    assert.deepEqual(again.__interrupt__![0]!.value, { question: 'ok?', note: 'context' });
    const done = await handle.invoke(new Command({ resume: 'fine' }), config);
    assert.deepEqual(done.log, ['ask:fine', 'finish']);
    return id;
  },

  /** (q) invoke(null) on a paused thread re-runs the node, which pauses again with the same id; then resumed. */
  'invoke-null-rerun': async ({ client }) => {
    const id = threadId('null');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(commandInputGraph);
    const first = await handle.invoke({}, config);
    const again = await handle.invoke(null, config);
    assert.deepEqual(again.__interrupt__, first.__interrupt__);
    const done = await handle.invoke(new Command({ resume: 'ok' }), config);
    assert.deepEqual(done.log, ['ask:ok', 'finish']);
    return id;
  },

  /** invoke(null) after a failed Send task: the new run gets the failed step's tasks (command.rerun); only the failed Send runs, with its argument. */
  'send-failed-rerun': async ({ client }) => {
    const id = threadId('send-rerun');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(sendRerunGraph);
    await assert.rejects(handle.invoke({}, config), /NODE_FAILED/);
    sendRerunBroken.b = false;
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.jokes, ['joke a', 'joke b', 'joke c']);
    return id; // the thread's latest run: the re-run
  },

  /** (r) step() side effects before and between two interrupts: memoised across both pauses. */
  'step-two-interrupts': async ({ client }) => {
    const id = threadId('step');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(stepsGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__![0]!.value, { draft: 'draft #1' });
    const second = await handle.invoke(new Command({ resume: 'a' }), config);
    assert.deepEqual(second.__interrupt__![0]!.value, { sent: 1 });
    const done = await handle.invoke(new Command({ resume: 'b' }), config);
    assert.deepEqual(done, { draft: 'draft #1', sent: 1, verdict: 'a/b' });
    return id;
  },

  /** (s) interrupt() with a 1s timeout: nobody answers, the deadline timer fires and onTimeout resumes. */
  'interrupt-timeout-resume': async ({ client }) => {
    const id = threadId('deadline');
    const paused = await client.graph(deadlineGraph).invoke({}, { configurable: { thread_id: id } });
    assert.ok(paused.__interrupt__, 'the thread pauses');
    const done = (await client.temporal.workflow.getHandle(id).result()) as { values: { decision?: string } };
    assert.equal(done.values.decision, 'auto-rejected');
    return id;
  },

  /** (t) A response-schema interrupt: a bad value sent as a Signal is refused and recorded; a good answer resumes. */
  'response-schema-refused-signal': async ({ client }) => {
    const id = threadId('schema-signal');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(responseSchemaGraph);
    const paused = await handle.invoke({}, config);
    await client.temporal.workflow.getHandle(id).signal(resumeSignal, { resume: { approved: 1 } });
    await waitFor(async () => (await handle.getState(config)).rejectedResumes.length === 1, 'the bad signal to be refused');
    const state = await handle.getState(config);
    assert.equal(state.status, 'interrupted');
    assert.equal(state.tasks[0]!.interrupts[0]!.id, paused.__interrupt__![0]!.id);
    const done = await handle.invoke(new Command({ resume: { approved: false } }), config);
    assert.equal(done.approved, false);
    return id;
  },

  /** (u) Local-Activity nodes ({ local: true }) and a conditional edge with a path map. */
  'local-node-conditional': async ({ client }) => {
    const id = threadId('local');
    const done = await client.graph(localRoutingGraph).invoke({ note: 'urgent' }, { configurable: { thread_id: id } });
    assert.deepEqual(done.log, ['classify', 'fast']);
    return id;
  },

  // Engine level 4: a node re-executed after its pause runs as a local Activity (a marker instead of an Activity).
  /** (v) As (a), at engine level 4: human_review's re-run after the resume is local. */
  'approval-approved-l4': (env) => scenarios['approval-approved']!(env),
  /** (w) As (b), at engine level 4: both re-runs of the two-question node are local. */
  'two-interrupts-l4': (env) => scenarios['two-interrupts']!(env),
  /** (x) As (s), at engine level 4: the local re-run refuses the signalled answer, then takes a good one. */
  'response-schema-refused-signal-l4': (env) => scenarios['response-schema-refused-signal']!(env),
  /** (y) As invoke-null-rerun, at engine level 4: the plain continue re-runs the paused node locally (same id). */
  'invoke-null-rerun-l4': (env) => scenarios['invoke-null-rerun']!(env),

  // Engine level 6: paused after a step, the next step's tasks get their ids at the pause (getState lists them).
  /** (z1) As update-state-as-node, at engine level 6: `after` runs with the id getState showed after the edit. */
  'update-state-as-node-l6': (env) => scenarios['update-state-as-node']!(env),
  /** (z2) interruptAfter draft, Command({ goto: 'draft' }) at that pause (draft gets a new id, send keeps its own), a second pause, invoke(null). */
  'breakpoint-after-goto-l6': async ({ client }) => {
    const id = threadId('after-goto');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(afterDraftGraph);
    await handle.invoke({}, config);
    const first = await handle.getState(config);
    assert.deepEqual(first.tasks.map((t) => [t.name, t.interrupts]), [['send', []]]);
    await handle.invoke(new Command({ goto: 'draft' }), config);
    const second = await handle.getState(config);
    assert.deepEqual(second.tasks.map((t) => [t.name, t.interrupts]), [['send', []]]);
    assert.notEqual(second.tasks[0]!.id, first.tasks[0]!.id, 'a new step, a new task');
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.log, ['draft', 'draft', 'send', 'send']);
    return id;
  },

  /** (aa) NodeInterrupt (R6): the pause has no id; updateState lifts the condition, invoke(null) re-runs the node. */
  'node-interrupt-update-continue': async ({ client }) => {
    const id = threadId('node-interrupt');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(nodeInterruptGraph);
    const paused = await handle.invoke({ x: 10 }, config);
    assert.deepEqual(paused.__interrupt__, [{ value: 'x too big: 10' }]);
    await handle.updateState(config, { x: 1 });
    const done = await handle.invoke(null, config);
    assert.deepEqual(done, { x: 1, log: ['a', 'check', 'b'] });
    return id;
  },

  /** (ab) A subgraph node whose child returns Command.PARENT: parent and child histories (thread id = file name, as in (j)). */
  'subgraph-parent-command': (env) => subgraphParentCommand(env, 'subgraph-parent-command'),

  /** (ac) A graph invoke()d inside a node pauses the node; the resume re-runs it and the child thread resumes (R41). */
  'invoke-in-node-interrupt': (env) => invokeInNodeInterrupt(env, 'invoke-in-node-interrupt'),

  /** (ad) A subgraph streamed in "custom" mode: the child's chunks before its pause, then after the resume. */
  'subgraph-stream-custom': async ({ client }) => {
    const id = 'subgraph-stream-custom';
    const config = { configurable: { thread_id: id }, streamMode: 'custom' as const };
    const handle = client.graph(customStreamGraph);
    const paused: unknown[] = [];
    for await (const chunk of handle.stream({}, config)) paused.push(chunk);
    assert.deepEqual(paused.slice(0, 3), [{ from: 'pre' }, { from: 'work' }, { from: 'ask-before' }]);
    const resumed: unknown[] = [];
    for await (const chunk of handle.stream(new Command({ resume: 'ok' }), config)) resumed.push(chunk);
    assert.ok(resumed.some((c) => isDeepStrictEqual(c, { from: 'ask-after', answer: 'ok' })), JSON.stringify(resumed));
    const childId = await childOf(client, id);
    await client.temporal.workflow.getHandle(childId).result();
    return { 'subgraph-stream-custom': id, 'subgraph-stream-custom-child': childId };
  },

  // Engine level 7: fewer promises (synchronous built-in merges, no breakpoint checks without breakpoints).
  /** As (a), at engine level 7. */
  'approval-approved-l7': (env) => scenarios['approval-approved']!(env),
  /** As (c), at engine level 7: fan-out, join, a custom reducer (asynchronous merges) and Command goto. */
  'conditional-routing-l7': (env) => scenarios['conditional-routing']!(env),
  /** As (f), at engine level 7: parallel interrupts answered one at a time. */
  'parallel-interrupts-by-id-l7': (env) => scenarios['parallel-interrupts-by-id']!(env),
  /** At engine level 7 with breakpoints: the checks still run for graphs that have them. */
  'breakpoint-before-invoke-null-l7': (env) => scenarios['breakpoint-before-invoke-null']!(env),
  /** At engine level 7: updateState beside a pause (a merge while the run waits). */
  'update-state-paused-l7': (env) => scenarios['update-state-paused']!(env),

  // Engine level 8: local segments (consecutive supersteps of local: true nodes in one local Activity).
  /** A chain of four local nodes: one segment, one marker. */
  'local-segment-chain': async ({ client }) => {
    const id = threadId('local-segment');
    const done = await client.graph(localChainGraph).invoke({}, { configurable: { thread_id: id } });
    assert.deepEqual(done.log, ['l0', 'l1', 'l2', 'l3']);
    return id;
  },
  /** A local chain paused by an interrupt in its middle node; resumed: the node re-runs, a new segment runs the rest. */
  'local-segment-interrupt-resume': async ({ client }) => {
    const id = threadId('local-segment-interrupt');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(localChainInterruptGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__?.map((i) => i.value), ['go on?']);
    const done = await handle.invoke(new Command({ resume: 'yes' }), config);
    assert.deepEqual(done.log, ['l0', 'ask:yes', 'l2', 'l3']);
    return id;
  },
  /** A local chain with a conditional edge; the chosen node fails in the segment and is retried alone. */
  'local-segment-failure-retried': async ({ client }) => {
    const id = threadId('local-segment-failure');
    localFlakyRuns.count = 0;
    const done = await client.graph(localFailRetryGraph).invoke({ note: 'urgent' }, { configurable: { thread_id: id } });
    assert.deepEqual(done.log, ['classify', 'flaky', 'done']);
    assert.equal(localFlakyRuns.count, 2);
    return id;
  },

  // Engine level 10: a superstep with one plain node task awaits its run directly (no condition).
  /** As (a), at engine level 10. */
  'approval-approved-l10': (env) => scenarios['approval-approved']!(env),
  /** As (b), at engine level 10: three runs of one node, two pauses. */
  'two-interrupts-l10': (env) => scenarios['two-interrupts']!(env),
  /** As (c), at engine level 10: single-task steps awaited directly, the fan-out step on its condition. */
  'conditional-routing-l10': (env) => scenarios['conditional-routing']!(env),
  /** As (d), at engine level 10: a refused Signal while paused, then a good one. */
  'rejected-then-good-signal-l10': (env) => scenarios['rejected-then-good-signal']!(env),
  /** As (g), at engine level 10: the failure of a directly awaited task ends the run. */
  'node-failed-l10': (env) => scenarios['node-failed']!(env),
  /** As (i), at engine level 10: two Send tasks (condition), answered one at a time. */
  'send-interrupts-by-id-l10': (env) => scenarios['send-interrupts-by-id']!(env),
  /** As (j), at engine level 10: the subgraph task waits on its condition, the parent's other steps do not. */
  'subgraph-interrupt-l10': (env) => subgraphInterrupt(env, 'subgraph-interrupt-l10'),
  /** As (n), at engine level 10: updateState(asNode) on the paused node, then invoke(null). */
  'update-state-as-node-l10': (env) => scenarios['update-state-as-node']!(env),
  /** As (p), at engine level 10: Command({ update }) re-runs the paused node, then a resume. */
  'command-update-only-l10': (env) => scenarios['command-update-only']!(env),
  /** As (s), at engine level 10: the deadline's timer resumes the directly awaited task's node. */
  'interrupt-timeout-resume-l10': (env) => scenarios['interrupt-timeout-resume']!(env),
  /** As (ac), at engine level 10: the node that invoked a graph re-runs on its condition. */
  'invoke-in-node-interrupt-l10': (env) => invokeInNodeInterrupt(env, 'invoke-in-node-interrupt-l10'),
  /** A local chain paused in its middle node, at engine level 10 (segment, local re-run, segment). */
  'local-segment-interrupt-resume-l10': (env) => scenarios['local-segment-interrupt-resume']!(env),

  // Engine level 11: the memo only while paused (removed on resume), no status write at a run's end.
  /** As (a), at engine level 11: pause (status + memo), resume (status running, memo removed), end (nothing). */
  'approval-approved-l11': (env) => scenarios['approval-approved']!(env),
  /** As (b), at engine level 11: two pauses, the memo written and removed twice. */
  'two-interrupts-l11': (env) => scenarios['two-interrupts']!(env),
  /** As (d), at engine level 11: a refused Signal while paused (memo unchanged), then a good one. */
  'rejected-then-good-signal-l11': (env) => scenarios['rejected-then-good-signal']!(env),
  /** As (s), at engine level 11: the deadline's default resumes the thread. */
  'interrupt-timeout-resume-l11': (env) => scenarios['interrupt-timeout-resume']!(env),
  /** At engine level 11: the deadline fails the run from its pause, so the status is rewritten (no longer "interrupted"). */
  'interrupt-timeout-fail-l11': async ({ client }) => {
    const id = threadId('deadline-fail');
    const paused = await client.graph(deadlineFailGraph).invoke({}, { configurable: { thread_id: id } });
    assert.ok(paused.__interrupt__, 'the thread pauses');
    await assert.rejects(client.temporal.workflow.getHandle(id).result(), (error: Error) => /INTERRUPT_TIMEOUT/.test(String((error.cause as { type?: string } | undefined)?.type)));
    return id;
  },
  /** As (k), at engine level 11: a breakpoint pause (memo with the breakpoint), then invoke(null). */
  'breakpoint-before-invoke-null-l11': (env) => scenarios['breakpoint-before-invoke-null']!(env),
  /** As (m), at engine level 11: updateState while paused rewrites the memo, then the resume removes it. */
  'update-state-paused-l11': (env) => scenarios['update-state-paused']!(env),
  /** As (f), at engine level 11: after the partial resume the memo still lists the other interrupt (status running). */
  'parallel-interrupts-by-id-l11': (env) => scenarios['parallel-interrupts-by-id']!(env),
  /** As (j), at engine level 11: parent and child both pause and resume. */
  'subgraph-interrupt-l11': (env) => subgraphInterrupt(env, 'subgraph-interrupt-l11'),

  // Engine level 12: a sole plain task is awaited in the run loop; the superstep's pause logic only when needed.
  /** As (a), at engine level 12: direct steps, a pause from a direct step, the re-run after the resume. */
  'approval-approved-l12': (env) => scenarios['approval-approved']!(env),
  /** As (b), at engine level 12: one node paused twice (the second pause from a re-run). */
  'two-interrupts-l12': (env) => scenarios['two-interrupts']!(env),
  /** As (c), at engine level 12: direct steps around a fan-out step that waits on its condition. */
  'conditional-routing-l12': (env) => scenarios['conditional-routing']!(env),
  /** As (d), at engine level 12: a refused Signal while paused, then a good one. */
  'rejected-then-good-signal-l12': (env) => scenarios['rejected-then-good-signal']!(env),
  /** As (g), at engine level 12: a direct step's failure ends the run through the superstep's logic. */
  'node-failed-l12': (env) => scenarios['node-failed']!(env),
  /** As (i), at engine level 12: two Send tasks (condition), answered one at a time. */
  'send-interrupts-by-id-l12': (env) => scenarios['send-interrupts-by-id']!(env),
  /** As (j), at engine level 12: the subgraph task on its condition; the child's steps direct. */
  'subgraph-interrupt-l12': (env) => subgraphInterrupt(env, 'subgraph-interrupt-l12'),
  /** As (ab), at engine level 12: the child's direct step returns Command.PARENT. */
  'subgraph-parent-command-l12': (env) => subgraphParentCommand(env, 'subgraph-parent-command-l12'),
  /** As (n), at engine level 12: updateState(asNode) on the node paused by a direct step, then invoke(null). */
  'update-state-as-node-l12': (env) => scenarios['update-state-as-node']!(env),
  /** As (p), at engine level 12: Command({ update }) re-runs the paused node, then a resume. */
  'command-update-only-l12': (env) => scenarios['command-update-only']!(env),
  /** As (s), at engine level 12: the deadline's default resumes the node paused by a direct step. */
  'interrupt-timeout-resume-l12': (env) => scenarios['interrupt-timeout-resume']!(env),
  /** As (ac), at engine level 12: a direct step pauses on the graph it invoked; its re-run waits on the condition. */
  'invoke-in-node-interrupt-l12': (env) => invokeInNodeInterrupt(env, 'invoke-in-node-interrupt-l12'),
  /** A local chain paused in its middle node, at engine level 12 (the segment's pause needs no condition). */
  'local-segment-interrupt-resume-l12': (env) => scenarios['local-segment-interrupt-resume']!(env),
  /** As (aa), at engine level 12: a NodeInterrupt from a direct step, updateState, then invoke(null). */
  'node-interrupt-update-continue-l12': (env) => scenarios['node-interrupt-update-continue']!(env),
  /** As (k), at engine level 12: a before-breakpoint, then the held node as a direct step. */
  'breakpoint-before-invoke-null-l12': (env) => scenarios['breakpoint-before-invoke-null']!(env),
  /** As (z2), at engine level 12: a goto at an after-pause, a second pause, invoke(null). */
  'breakpoint-after-goto-l12': (env) => scenarios['breakpoint-after-goto-l6']!(env),
  /** As send-failed-rerun, at engine level 12: invoke(null) after a failed Send re-runs that one Send task as a direct step. */
  'send-failed-rerun-l12': (env) => {
    sendRerunBroken.b = true;
    return scenarios['send-failed-rerun']!(env);
  },
  /** At engine level 12: updateState(asNode) stands in for the node held at a before-breakpoint: its step has nothing to run. */
  'breakpoint-before-as-node-l12': async ({ client }) => {
    const id = threadId('before-as-node');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(beforeSendGraph);
    await handle.invoke({}, config);
    assert.deepEqual((await handle.getState(config)).next, ['send']);
    await handle.updateState(config, { log: ['sent by hand'] }, 'send');
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.log, ['draft', 'sent by hand']);
    return id;
  },

  /** compile({ publishPauses: false }): two pauses (an Update, then a Signal resumes), no search-attribute or memo events. */
  'quiet-two-interrupts': async ({ client }) => {
    const id = threadId('quiet-questions');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(quietQuestionsGraph);
    await handle.invoke({}, config);
    await handle.invoke(new Command({ resume: 'Ada' }), config);
    await client.temporal.workflow.getHandle(id).signal(resumeSignal, { resume: 36 });
    const done = await client.temporal.workflow.getHandle(id).result();
    assert.deepEqual({ name: done.values.name, age: done.values.age }, { name: 'Ada', age: 36 });
    const history = await client.temporal.workflow.getHandle(id).fetchHistory();
    assert.equal(history.events!.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes).length, 0);
    return id;
  },
};

/** (j) with the thread id (= the file name of the parent's history; the child's is `<id>-child`). */
async function subgraphInterrupt({ client }: GraphTestEnv, id: string): Promise<Record<string, string>> {
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(subgraphParentGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__?.map((i) => i.value), [{ question: 'from the child' }]);
    const state = await handle.getState(config);
    assert.deepEqual(state.next, ['sub']);
    const childId = `${id}/sub/${state.tasks[0]!.id.slice(0, 8)}`;
    const children: string[] = [];
    for await (const execution of client.temporal.workflow.list({ query: `ParentWorkflowId="${id}"` })) children.push(execution.workflowId);
    assert.deepEqual(children, [childId], 'the child workflow of the parent');
    const done = await handle.invoke(new Command({ resume: 'yes' }), config);
    assert.equal(done.note, 'yes');
    assert.deepEqual(done.log, ['parent_pre', 'parent_pre', 'child_prep', 'child_ask', 'parent_post:yes']);
    await client.temporal.workflow.getHandle(childId).result();
    return { [id]: id, [`${id}-child`]: childId };
}

/** (ab) with the thread id (= the file name of the parent's history; the child's is `<id>-child`). */
async function subgraphParentCommand({ client }: GraphTestEnv, id: string): Promise<Record<string, string>> {
  const done = await client.graph(parentCommandGraph).invoke({}, { configurable: { thread_id: id } });
  assert.deepEqual(done, { log: ['pre', 'c2', 'other:from c2', 'post'], note: 'from c2' });
  const childId = await childOf(client, id);
  await client.temporal.workflow.getHandle(childId).result();
  return { [id]: id, [`${id}-child`]: childId };
}

/** (ac) with the thread id (= the file name of the parent's history; the child's is `<id>-child`). */
async function invokeInNodeInterrupt({ client }: GraphTestEnv, id: string): Promise<Record<string, string>> {
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(invokeInNodeGraph);
    const paused = await handle.invoke({}, config);
    assert.deepEqual(paused.__interrupt__?.map((i) => i.value), [{ question: 'from the invoked graph' }]);
    const state = await handle.getState(config);
    const childId = `${id}/delegate/${state.tasks[0]!.id.slice(0, 8)}/0`;
    const done = await handle.invoke(new Command({ resume: 'yes' }), config);
    assert.deepEqual(done, { log: ['delegate:yes', 'after:yes'], note: 'yes' });
    const child = (await client.temporal.workflow.getHandle(childId).result()) as { values: unknown };
    assert.deepEqual(child.values, { log: ['ask'], note: 'yes' });
    return { [id]: id, [`${id}-child`]: childId };
}

/** The one child workflow of a parent thread (visibility is eventually consistent: waits up to 10 s). */
async function childOf(client: GraphTestEnv['client'], parentId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const children: string[] = [];
    for await (const execution of client.temporal.workflow.list({ query: `ParentWorkflowId="${parentId}"` })) children.push(execution.workflowId);
    if (children.length === 1) return children[0]!;
    if (children.length > 1 || Date.now() > deadline) throw new Error(`expected one child workflow of ${parentId}, found ${children.join(', ') || 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
      const recorded = await scenarios[name]!(env);
      const files = typeof recorded === 'string' ? { [name]: recorded } : recorded;
      assert.equal(Object.keys(files)[0], name, `scenario ${name} must record histories/${name}.json first`);
      for (const [file, workflowId] of Object.entries(files)) {
        const path = `${historiesDir}${file}.json`;
        if (existsSync(path)) throw new Error(`histories/${file}.json exists: never re-record; add a new scenario instead`);
        const history = await env.client.temporal.workflow.getHandle(workflowId).fetchHistory();
        writeFileSync(path, `${historyToJson(history)}\n`);
        console.log(`recorded histories/${file}.json (${history.events?.length ?? 0} events)`);
      }
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
