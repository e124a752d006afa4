/**
 * Records the histories that test/replay/replay.test.ts replays against the current engine, into
 * `histories/v<package version>/` (one folder per release; every folder replays on every run).
 *
 * WHEN to record: when the engine (src/workflows/) gains a behaviour that recorded histories do not cover, and
 * for every change gated by an engine level (src/workflows/patches.ts): add a NEW scenario with a NEW name
 * (e.g. `approval-approved-streamed` or `goto-parallel`), record it, commit it.
 *
 * NEVER re-record a released file. The histories of a release stand for the threads that may still be paused on a
 * production server: the point of the replay test is that they keep replaying on the new engine. If one stops
 * replaying, the engine change is not backwards compatible: gate it with an engine level instead. This script
 * therefore skips every scenario whose file already exists in the current version's folder.
 *
 * HOW: `node --conditions=durable-graph-source --import tsx test/replay/record.ts [scenario ...]`
 * It uses TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE) when set, else starts a throwaway dev server
 * (test/helpers/server.ts); the real worker from src/worker.ts runs the graphs of graphs.ts and
 * examples/approval/graph.ts. With no argument it records every missing file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { approvalGraph } from '../../examples/approval/graph.js';
import { Command } from '../../src/index.js';
import { resumeSignal } from '../../src/protocol/messages.js';
import { MEMO_KEY } from '../../src/protocol/memo.js';
import { statusSearchAttribute } from '../../src/protocol/search-attributes.js';
import { startDevServer } from '../../src/dev-server/index.js';
import { threadId, withGraphs, type GraphTestEnv } from '../helpers/env.js';
import {
  afterDraftGraph,
  beforeSendGraph,
  CAN_LOOP_STEPS,
  canLoopGraph,
  canPausedGraph,
  commandInputGraph,
  customStreamGraph,
  deadlineFailGraph,
  deadlineGraph,
  failingGraph,
  invokedReviewGraph,
  invokeInNodeGraph,
  lackingNodeGraph,
  localChainGraph,
  localChainInterruptGraph,
  localFailRetryGraph,
  localFlakyRuns,
  localRoutingGraph,
  nodeInterruptGraph,
  parallelQuestionsGraph,
  parentCommandGraph,
  parkedReviewGraph,
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
  wholeNodeGraph,
} from './graphs.js';
import { historyToJson } from './history-json.js';
import { NativeConnection } from '@temporalio/worker';
import { createWorker } from '../../src/worker.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const historiesDir = fileURLToPath(new URL(`./histories/v${version}/`, import.meta.url));
const graphs = [
  approvalGraph,
  canLoopGraph,
  canPausedGraph,
  lackingNodeGraph,
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
  parkedReviewGraph,
];

/**
 * Each scenario runs one thread to its end and returns its workflow id, recorded as `<scenario>.json`;
 * or, for a scenario that involves more than one workflow (a subgraph's child), a map from file name
 * (without `.json`) to workflow id, whose first entry must be `<scenario>`.
 */
/** A run to record: a thread's current run, or one run of its chain of runs (continue-as-new). */
type Recorded = string | { workflowId: string; runId: string };

const scenarios: Record<string, (env: GraphTestEnv) => Promise<string | Record<string, Recorded>>> = {
  /**
   * (level 4) An agent loop streamed across continue-as-new: the first run hands over between supersteps (its reads
   * end at the "continued" entry, its invoke() wait returns the marker), the next run goes on from the carried state.
   */
  'continue-as-new-loop': async ({ client }) => {
    const id = threadId('can-loop');
    const config = { configurable: { thread_id: id }, recursionLimit: 100, streamMode: 'updates' as const };
    let chunks = 0;
    for await (const _ of client.graph(canLoopGraph).stream({}, config)) chunks++;
    assert.equal(chunks, CAN_LOOP_STEPS);
    const runs = await runsOf(client, id);
    assert.ok(runs.length >= 3, `the loop continued as new at least twice (${runs.length} runs)`);
    return {
      'continue-as-new-loop': { workflowId: id, runId: runs[0]! },
      'continue-as-new-loop-next': { workflowId: id, runId: runs[1]! },
      'continue-as-new-loop-last': { workflowId: id, runId: runs.at(-1)! },
    };
  },

  /**
   * (level 4) A pause carried over: refused Signals grow the paused run's history until it continues as new while
   * paused; the next run waits on the same interrupt and takes the answer of a resume Update.
   */
  'continue-as-new-paused': async ({ client }) => {
    const id = threadId('can-paused');
    const config = { configurable: { thread_id: id } };
    const paused = await client.graph(canPausedGraph).invoke({}, config);
    const interruptId = paused.__interrupt__![0]!.id;
    const handle = client.temporal.workflow.getHandle(id);
    const { runId: first } = await handle.describe();
    for (let i = 0; i < 200 && (await handle.describe()).runId === first; i++)
      await handle.signal(resumeSignal.name, { answer: i });
    const done = await client.graph(canPausedGraph).invoke(new Command({ resume: { [interruptId]: 'left' } }), config);
    assert.deepEqual({ answer: done.answer, after: done.after }, { answer: 'left', after: true });
    const runs = await runsOf(client, id);
    assert.equal(runs.length, 2);
    return {
      'continue-as-new-paused': { workflowId: id, runId: runs[0]! },
      'continue-as-new-paused-next': { workflowId: id, runId: runs[1]! },
    };
  },

  /**
   * (level 6) The same pause carried over, and what it published with it: the next run takes over the memo and search
   * attributes of the first, takes back the pause when the answer comes, and writes the thread's final status.
   */
  'continue-as-new-paused-published': async ({ client }) => {
    // The next run's replay (under its file's name as the workflow id) compares the memo it would write, which names
    // the thread, with the one handed over: the same id.
    const id = 'continue-as-new-paused-published-next';
    const config = { configurable: { thread_id: id } };
    const paused = await client.graph(canPausedGraph).invoke({}, config);
    const interruptId = paused.__interrupt__![0]!.id;
    const handle = client.temporal.workflow.getHandle(id);
    const { runId: first } = await handle.describe();
    for (let i = 0; i < 200 && (await handle.describe()).runId === first; i++)
      await handle.signal(resumeSignal.name, { answer: i });
    await client.graph(canPausedGraph).invoke(new Command({ resume: { [interruptId]: 'left' } }), config);
    const { typedSearchAttributes, memo } = await handle.describe();
    assert.equal(typedSearchAttributes.get(statusSearchAttribute), 'completed');
    assert.equal(memo?.[MEMO_KEY], undefined);
    const runs = await runsOf(client, id);
    assert.equal(runs.length, 2);
    return {
      'continue-as-new-paused-published': { workflowId: id, runId: runs[0]! },
      'continue-as-new-paused-published-next': { workflowId: id, runId: runs[1]! },
    };
  },

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

  /** A Signal under a misspelt name is refused in the thread state; the right one then answers the pause. */
  'unknown-signal-refused': async ({ client }) => {
    const id = threadId('unknown-signal');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(approvalGraph);
    await handle.invoke({ request: 'Q3 report' }, config);
    await client.temporal.workflow.getHandle(id).signal('Resume', { resume: true });
    const done = await handle.invoke(new Command({ resume: true }), config);
    assert.equal(done.result, 'EXECUTED: send email about Q3 report');
    return id;
  },

  /** A run started by name without the `"input"` wrapper fails with INVALID_INPUT before any node runs. */
  'start-input-refused': async ({ client, taskQueue }) => {
    const id = threadId('start-refused');
    const handle = await client.temporal.workflow.start(approvalGraph.name, {
      workflowId: id,
      taskQueue,
      args: [{ request: 'Q3 report' }],
    });
    await assert.rejects(handle.result(), (error: Error) => {
      assert.match(String((error.cause as Error | undefined)?.message), /cannot run/);
      return true;
    });
    return id;
  },

  /**
   * (level 5) The recorder's worker lacks node "review" of the shape the thread started with: the node fails with
   * UNKNOWN_NODE, the step waits and runs it again until a second worker, which has it, runs it.
   */
  'node-waits-for-worker': async ({ client, address, namespace, taskQueue }) => {
    const id = threadId('waits-for-worker');
    await client.graph(wholeNodeGraph).start({}, { configurable: { thread_id: id } });
    const handle = client.temporal.workflow.getHandle(id);
    await waitFor(async () => {
      const { events } = await handle.fetchHistory();
      return (events ?? []).filter((e) => e.timerStartedEventAttributes).length >= 2;
    }, 'two rounds of waiting');
    const connection = await NativeConnection.connect({ address });
    try {
      const worker = await createWorker({ graphs: [wholeNodeGraph], connection, namespace, taskQueue });
      const done = (await worker.runUntil(handle.result())) as { values?: { log: string[] }; log?: string[] };
      assert.deepEqual(done.values?.log ?? done.log, ['draft', 'review']);
    } finally {
      await connection.close();
    }
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
    await waitFor(
      async () => (await graph.getState(config)).rejectedResumes.length === 1,
      'the bad signal to be rejected',
    );
    await handle.signal(resumeSignal, { resume: false });
    const done = (await handle.result()) as { values: { result?: string } };
    assert.equal(done.values.result, 'REJECTED: send email about refund');
    return id;
  },

  /** (e) Started by name without a spec (the describeGraph local Activity records it), resumed by Signal. */
  'started-by-name': async ({ client, taskQueue }) => {
    const id = threadId('by-name');
    const handle = await client.temporal.workflow.start('approval', {
      taskQueue,
      workflowId: id,
      args: [{ input: { request: 'by name' } }],
    });
    const config = { configurable: { thread_id: id } };
    await waitFor(
      async () => (await client.graph('approval').getState(config)).status === 'interrupted',
      'the thread to pause',
    );
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
    assert.equal(
      (paused.at(-1) as [string, { __interrupt__?: unknown }])[1].__interrupt__ !== undefined,
      true,
      'the stream ends at the pause',
    );
    const resumed: unknown[] = [];
    for await (const chunk of handle.stream(new Command({ resume: true }), config)) resumed.push(chunk);
    assert.deepEqual(resumed.at(-1), [
      'values',
      {
        request: 'Q3 report',
        proposed_action: 'send email about Q3 report',
        approved: true,
        result: 'EXECUTED: send email about Q3 report',
      },
    ]);
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
    sendRerunBroken.b = true;
    await assert.rejects(handle.invoke({}, config), /NODE_FAILED/);
    sendRerunBroken.b = false;
    const done = await handle.invoke(null, config);
    assert.deepEqual(done.jokes, ['joke a', 'joke b', 'joke c']);
    return id; // the thread's latest run: the re-run
  },

  /** A bad answer makes the node fail: the thread parks (engine level 2); the same interrupt answered again completes it. */
  'parked-reanswer': async ({ client }) => {
    const id = threadId('parked');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(parkedReviewGraph);
    await handle.invoke({ call: 'send_email' }, config);
    await assert.rejects(handle.invoke(new Command({ resume: { action: 'edit' } }), config), /parked/);
    const done = await handle.invoke(new Command({ resume: { action: 'edit', args: { to: 'ops' } } }), config);
    assert.equal(done.outcome, 'edit {"to":"ops"}');
    return id;
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
    await waitFor(
      async () => (await handle.getState(config)).rejectedResumes.length === 1,
      'the bad signal to be refused',
    );
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

  /** (z2) interruptAfter draft, Command({ goto: 'draft' }) at that pause (draft gets a new id, send keeps its own), a second pause, invoke(null). */
  'breakpoint-after-goto': async ({ client }) => {
    const id = threadId('after-goto');
    const config = { configurable: { thread_id: id } };
    const handle = client.graph(afterDraftGraph);
    await handle.invoke({}, config);
    const first = await handle.getState(config);
    assert.deepEqual(
      first.tasks.map((t) => [t.name, t.interrupts]),
      [['send', []]],
    );
    await handle.invoke(new Command({ goto: 'draft' }), config);
    const second = await handle.getState(config);
    assert.deepEqual(
      second.tasks.map((t) => [t.name, t.interrupts]),
      [['send', []]],
    );
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
    assert.ok(
      resumed.some((c) => isDeepStrictEqual(c, { from: 'ask-after', answer: 'ok' })),
      JSON.stringify(resumed),
    );
    const childId = await childOf(client, id);
    await client.temporal.workflow.getHandle(childId).result();
    return { 'subgraph-stream-custom': id, 'subgraph-stream-custom-child': childId };
  },

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
    assert.deepEqual(
      paused.__interrupt__?.map((i) => i.value),
      ['go on?'],
    );
    const done = await handle.invoke(new Command({ resume: 'yes' }), config);
    assert.deepEqual(done.log, ['l0', 'ask:yes', 'l2', 'l3']);
    return id;
  },
  /** A local chain with a conditional edge; the chosen node fails in the segment and is retried alone. */
  'local-segment-failure-retried': async ({ client }) => {
    const id = threadId('local-segment-failure');
    localFlakyRuns.count = 0;
    const done = await client
      .graph(localFailRetryGraph)
      .invoke({ note: 'urgent' }, { configurable: { thread_id: id } });
    assert.deepEqual(done.log, ['classify', 'flaky', 'done']);
    assert.equal(localFlakyRuns.count, 2);
    return id;
  },

  /** The deadline fails the run from its pause, so the status is taken back (no longer "interrupted"). */
  'interrupt-timeout-fail': async ({ client }) => {
    const id = threadId('deadline-fail');
    const paused = await client.graph(deadlineFailGraph).invoke({}, { configurable: { thread_id: id } });
    assert.ok(paused.__interrupt__, 'the thread pauses');
    await assert.rejects(client.temporal.workflow.getHandle(id).result(), (error: Error) =>
      /INTERRUPT_TIMEOUT/.test(String((error.cause as { type?: string } | undefined)?.type)),
    );
    return id;
  },

  /** updateState(asNode) stands in for the node held at a before-breakpoint: its step has nothing to run. */
  'breakpoint-before-as-node': async ({ client }) => {
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
    // None of the engine's own writes (the SDK's TemporalChangeVersion upsert beside the level marker is not ours).
    assert.equal(
      history.events!.filter(
        (e) =>
          Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some(
            (key) => key !== 'TemporalChangeVersion',
          ) || e.workflowPropertiesModifiedEventAttributes,
      ).length,
      0,
    );
    return id;
  },
};

/** (j) with the thread id (= the file name of the parent's history; the child's is `<id>-child`). */
async function subgraphInterrupt({ client }: GraphTestEnv, id: string): Promise<Record<string, string>> {
  const config = { configurable: { thread_id: id } };
  const handle = client.graph(subgraphParentGraph);
  const paused = await handle.invoke({}, config);
  assert.deepEqual(
    paused.__interrupt__?.map((i) => i.value),
    [{ question: 'from the child' }],
  );
  const state = await handle.getState(config);
  assert.deepEqual(state.next, ['sub']);
  const childId = `${id}/sub/${state.tasks[0]!.id.slice(0, 8)}`;
  const children: string[] = [];
  for await (const execution of client.temporal.workflow.list({ query: `ParentWorkflowId="${id}"` }))
    children.push(execution.workflowId);
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
  assert.deepEqual(
    paused.__interrupt__?.map((i) => i.value),
    [{ question: 'from the invoked graph' }],
  );
  const state = await handle.getState(config);
  const childId = `${id}/delegate/${state.tasks[0]!.id.slice(0, 8)}/0`;
  const done = await handle.invoke(new Command({ resume: 'yes' }), config);
  assert.deepEqual(done, { log: ['delegate:yes', 'after:yes'], note: 'yes' });
  const child = (await client.temporal.workflow.getHandle(childId).result()) as { values: unknown };
  assert.deepEqual(child.values, { log: ['ask'], note: 'yes' });
  return { [id]: id, [`${id}-child`]: childId };
}

/** The Run Ids of a thread's chain of runs, oldest first (each run's start names the run it continues). */
async function runsOf(client: GraphTestEnv['client'], workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await client.temporal.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    runs.unshift(runId);
    const history = await client.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/** Scenarios recorded on a server of their own whose limits make runs continue as new after a few dozen events. */
const LOW_LIMITS = new Set(['continue-as-new-loop', 'continue-as-new-paused', 'continue-as-new-paused-published']);

/** The one child workflow of a parent thread (visibility is eventually consistent: waits up to 10 s). */
async function childOf(client: GraphTestEnv['client'], parentId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const children: string[] = [];
    for await (const execution of client.temporal.workflow.list({ query: `ParentWorkflowId="${parentId}"` }))
      children.push(execution.workflowId);
    if (children.length === 1) return children[0]!;
    if (children.length > 1 || Date.now() > deadline)
      throw new Error(`expected one child workflow of ${parentId}, found ${children.join(', ') || 'none'}`);
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
  for (const name of wanted)
    if (!(name in scenarios))
      throw new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(', ')}`);
  const names = (wanted.length ? wanted : Object.keys(scenarios)).filter((name) => {
    const exists = existsSync(`${historiesDir}${name}.json`);
    if (exists)
      console.log(
        `skip ${name}: histories/v${version}/${name}.json exists (never re-record a released history; add a new scenario instead)`,
      );
    return !exists;
  });
  if (names.length === 0) return;
  mkdirSync(historiesDir, { recursive: true });
  const lowLimits = names.some((n) => LOW_LIMITS.has(n))
    ? await startDevServer({
        ui: false,
        extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=60'],
      })
    : undefined;
  try {
    await recordOn(
      names.filter((n) => !LOW_LIMITS.has(n)),
      undefined,
    );
    if (lowLimits)
      await recordOn(
        names.filter((n) => LOW_LIMITS.has(n)),
        lowLimits,
      );
  } finally {
    await lowLimits?.stop();
  }
}

/** Records the scenarios `names` on `server` (undefined: the test server). */
async function recordOn(names: string[], server: { address: string; namespace: string } | undefined): Promise<void> {
  if (names.length === 0) return;
  await withGraphs(
    graphs,
    async (env) => {
      for (const name of names) {
        const recorded = await scenarios[name]!(env);
        const files = typeof recorded === 'string' ? { [name]: recorded } : recorded;
        assert.equal(Object.keys(files)[0], name, `scenario ${name} must record histories/${name}.json first`);
        for (const [file, workflowId] of Object.entries(files)) {
          const path = `${historiesDir}${file}.json`;
          if (existsSync(path))
            throw new Error(
              `histories/v${version}/${file}.json exists: never re-record a released history; add a new scenario instead`,
            );
          const run: { workflowId: string; runId?: string } =
            typeof workflowId === 'string' ? { workflowId } : workflowId;
          const history = await env.client.temporal.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
          writeFileSync(path, `${historyToJson(history)}\n`);
          console.log(`recorded histories/v${version}/${file}.json (${history.events?.length ?? 0} events)`);
        }
      }
    },
    server ? { server } : {},
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
