/**
 * Long runs continue as new: against a private dev server whose limits are lowered (continue-as-new suggested after
 * a few hundred events, and a few dozen Updates per run; a run terminated past 500 events), a thread's run hands over to a new run of the same Workflow
 * Id, and callers, streams, pauses, getStateHistory and the audit trail go on across the chain of runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt } from '../../src/index.js';
import { startDevServer, type DevServer } from '../../src/dev-server/index.js';
import { withLevelZeroWorker } from '../helpers/level-zero-worker.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { MEMO_KEY } from '../../src/protocol/memo.js';
import { pendingNodesSearchAttribute, statusSearchAttribute } from '../../src/protocol/search-attributes.js';

/** The server suggests continue-as-new past this many events in a run (default 4 Ki). */
const SUGGEST_AT_EVENTS = 200;
/** ... or past this many bytes of history (default 4 MiB). */
const SUGGEST_AT_BYTES = 100_000;
/** Updates one run may take (default 2,000); the server suggests continue-as-new at 90 % of it. */
const MAX_UPDATES = 30;
/** The server terminates a run whose history grows past this many events (default 50 Ki). */
const MAX_EVENTS = 500;
/**
 * The long agent loop: about three times as many supersteps as one run may hold under {@link MAX_EVENTS} (a superstep
 * of this loop adds about 3.7 events), so the thread lives only if its runs continue as new.
 */
const LONG_LOOP = 400;

let server: DevServer;
before(async () => {
  server = await startDevServer({
    ui: false,
    extraArgs: [
      '--dynamic-config-value',
      `limit.historyCount.suggestContinueAsNew=${SUGGEST_AT_EVENTS}`,
      '--dynamic-config-value',
      `limit.historySize.suggestContinueAsNew=${SUGGEST_AT_BYTES}`,
      '--dynamic-config-value',
      `history.maxTotalUpdates=${MAX_UPDATES}`,
      '--dynamic-config-value',
      `limit.historyCount.error=${MAX_EVENTS}`,
      '--dynamic-config-value',
      `limit.historyCount.warn=${MAX_EVENTS - 100}`,
    ],
  });
});
after(() => server?.stop());

const Counter = z.object({ steps: z.number().default(0) });

/**
 * An agent loop: `agent` then `tool`, again and again, until `turns` supersteps ran. The agent runs as a local
 * Activity (cheap); the tool as a regular one, so every other step starts a workflow task, where the server's
 * suggestion is seen (a chain of local steps may run many steps in one workflow task). `pace`: milliseconds in each
 * tool call (a reader then keeps up with every step).
 */
function agentLoop(turns: number, name: string, pace = 0) {
  return new StateGraph(Counter)
    .addNode('agent', (s) => ({ steps: s.steps + 1 }), { local: true })
    .addNode('tool', async (s) => {
      if (pace) await sleep(pace);
      return { steps: s.steps + 1 };
    })
    .addEdge(START, 'agent')
    .addEdge('agent', 'tool')
    .addConditionalEdges('tool', (s) => (s.steps < turns ? 'agent' : END), ['agent', END])
    .compile({ name });
}

/** Polls `check` until it returns a value (not undefined); fails after a minute. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const value = await check();
    if (value !== undefined) return value;
  }
  throw new Error(`Timed out waiting until ${what}`);
}

/** The runs of a thread, oldest first, as the chain of continue-as-new links names them; with each run's close. */
async function chainOf(temporal: Client, workflowId: string) {
  const runs: Array<{ runId: string; status: string; events: number; bytes: number; updates: number }> = [];
  const { runId: first } = await temporal.workflow.getHandle(workflowId).describe();
  // Walk back from the current run to the first, then report oldest first.
  let runId: string | undefined = first;
  while (runId) {
    const history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>> =
      await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const description = await temporal.workflow.getHandle(workflowId, runId).describe();
    runs.unshift({
      runId,
      status: description.status.name,
      events: events.length,
      bytes: description.historySize ?? 0,
      updates: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length,
    });
    runId = started?.continuedExecutionRunId || undefined;
  }
  return runs;
}

describe('continue-as-new', () => {
  it(`runs an agent loop of ${LONG_LOOP} supersteps (three times what one run may hold) in one invoke across several runs, with the right final state`, async () => {
    const graph = agentLoop(LONG_LOOP, 'can-agent-loop');
    await withGraphs(
      [graph],
      async ({ client }) => {
        const thread = threadId('can-loop');
        const config = { configurable: { thread_id: thread }, recursionLimit: LONG_LOOP + 100 };
        const started = Date.now();
        const done = await client.graph(graph).invoke({}, config);
        const tookMs = Date.now() - started;
        assert.equal(done.steps, LONG_LOOP);
        const runs = await chainOf(client.temporal, thread);
        const per = (key: 'events' | 'bytes') => runs.map((r) => r[key]).join(' ');
        console.log(
          `${LONG_LOOP} supersteps: ${tookMs} ms, ${runs.length} runs; events: ${per('events')}; bytes: ${per('bytes')}`,
        );
        // One run could not have held them: the runs' events add up to far more than the server lets a run have.
        assert.ok(runs.reduce((n, r) => n + r.events, 0) > 2 * MAX_EVENTS, JSON.stringify(runs));
        for (const run of runs.slice(0, -1)) assert.equal(run.status, 'CONTINUED_AS_NEW');
        assert.equal(runs.at(-1)!.status, 'COMPLETED');
        // Each run stays near the suggested size: none grew past twice the thresholds.
        for (const run of runs)
          assert.ok(run.events < SUGGEST_AT_EVENTS * 2 && run.bytes < SUGGEST_AT_BYTES * 2, JSON.stringify(run));

        // getStateHistory spans every run: the steps of all runs, newest first, down to the input.
        const steps: number[] = [];
        const runIds = new Set<string>();
        for await (const snapshot of client.graph(graph).getStateHistory({ configurable: { thread_id: thread } })) {
          steps.push(snapshot.metadata.step);
          runIds.add(snapshot.runId);
        }
        assert.equal(steps[0], LONG_LOOP);
        assert.equal(steps.at(-1), -1);
        assert.deepEqual(
          [...new Set(steps)].sort((a, b) => a - b),
          Array.from({ length: LONG_LOOP + 2 }, (_, i) => i - 1),
        );
        assert.equal(runIds.size, runs.length);
      },
      { server },
    );
  });

  it('needs continue-as-new for that loop: an engine that never continues as new (level 0) is terminated by the server at its limit', async () => {
    const graph = agentLoop(LONG_LOOP, 'can-agent-loop');
    await withGraphs(
      [graph],
      async (env) => {
        await withLevelZeroWorker(env, [graph], async () => {
          const thread = threadId('level-zero-loop');
          const config = { configurable: { thread_id: thread }, recursionLimit: LONG_LOOP + 100 };
          const handle = await env.client.graph(graph).start({}, config);
          await assert.rejects(handle.result());
          const { status } = await handle.describe();
          assert.equal(status.name, 'TERMINATED');
          const runs = await chainOf(env.client.temporal, thread);
          assert.equal(runs.length, 1);
          assert.ok(runs[0]!.events >= MAX_EVENTS, JSON.stringify(runs));
        });
      },
      { worker: false, server },
    );
  });

  const askGraph = new StateGraph(z.object({ answer: z.string().optional(), after: z.boolean().optional() }))
    .addNode('ask', () => ({ answer: interrupt<string>('Which way?') }))
    .addNode('finish', () => ({ after: true }))
    .addEdge(START, 'ask')
    .addEdge('ask', 'finish')
    .addEdge('finish', END)
    .compile({ name: 'can-paused' });

  /** Pauses a thread, then sends refused resumes (each recorded) until its run continues as new. */
  async function pausedAcrossContinueAsNew(
    client: Parameters<Parameters<typeof withGraphs>[1]>[0]['client'],
    graph: typeof askGraph = askGraph,
    settle = false,
  ) {
    const thread = threadId('can-paused');
    const config = { configurable: { thread_id: thread } };
    const paused = await client.graph(graph).invoke({}, config);
    const id = paused.__interrupt__![0]!.id;
    const handle = client.temporal.workflow.getHandle(thread);
    const { runId: firstRun } = await handle.describe();
    let refused = 0;
    for (; refused < SUGGEST_AT_EVENTS && (await handle.describe()).runId === firstRun; refused++) {
      await handle.signal('resume', { answer: refused }); // not a resume's shape: refused, and recorded
      // Handled before the next is sent: a Signal that arrives as the run hands over goes to the next run.
      if (settle)
        await eventually('the Signal is handled', async () => {
          const { raw } = await client.temporal.workflow.getHandle(thread, firstRun).describe();
          return raw.pendingWorkflowTask ? undefined : true;
        });
    }
    assert.notEqual((await handle.describe()).runId, firstRun, `still one run after ${refused} Signals`);
    // The new run is paused on the same interrupt, under the same id.
    const state = await client.graph(graph).getState(config);
    assert.equal(state.tasks[0]?.interrupts[0]?.id, id);
    assert.equal(state.values.answer, undefined);
    return { thread, config, id, firstRun, refused };
  }

  it('keeps a thread paused across a continue-as-new; a resume Signal then applies with the interrupt id unchanged', async () => {
    await withGraphs(
      [askGraph],
      async ({ client }) => {
        const { thread, config, id, refused } = await pausedAcrossContinueAsNew(client);
        const handle = client.temporal.workflow.getHandle(thread);
        await handle.signal('resume', { resume: { [id]: 'left' } });
        const final = await handle.result();
        assert.equal((final as { values: { answer: string } }).values.answer, 'left');
        const state = await client.graph(askGraph).getState(config);
        assert.deepEqual(state.values, { answer: 'left', after: true });

        const runs = await chainOf(client.temporal, thread);
        assert.ok(runs.length >= 2);
        // The audit trail spans the runs: the start, every refused Signal, and the applied answer, once each.
        const trail = await client.graph(askGraph).getAuditTrail(config);
        assert.equal(trail.filter((e) => e.action === 'start').length, 1);
        const resumes = trail.filter((e) => e.action === 'resume');
        assert.equal(resumes.length, refused + 1);
        const applied = resumes.filter((e) => e.outcome === 'applied');
        assert.equal(applied.length, 1, JSON.stringify(resumes.slice(-3)));
        assert.deepEqual(
          applied[0]!.interrupts.map((i) => i.id),
          [id],
        );
        assert.equal(new Set(trail.map((e) => e.runId)).size, runs.length);

        // getStateHistory spans the runs too: the paused step, then the finished thread.
        const history = [];
        for await (const s of client.graph(askGraph).getStateHistory(config)) history.push(s);
        assert.deepEqual(history[0]!.values, { answer: 'left', after: true });
        assert.ok(new Set(history.map((s) => s.runId)).size >= 2);
        assert.ok(history.some((s) => s.tasks.some((t) => t.interrupts.some((i) => i.id === id))));
        // The step paused across the handover shows once, with its interrupt and the answer it took.
        const loopSteps = history.filter((s) => s.metadata.source === 'loop').map((s) => s.metadata.step);
        assert.deepEqual(loopSteps, [...new Set(loopSteps)], 'each step once');
        const paused = history.find((s) => s.tasks.some((t) => t.interrupts.some((i) => i.id === id)))!;
        assert.deepEqual(paused.tasks[0]!.result, { answer: 'left' });
      },
      { server },
    );
  });

  it('keeps a thread paused across a continue-as-new; invoke(Command({ resume })) then applies it', async () => {
    await withGraphs(
      [askGraph],
      async ({ client }) => {
        const { config, id } = await pausedAcrossContinueAsNew(client);
        const done = await client.graph(askGraph).invoke(new Command({ resume: { [id]: 'right' } }), config);
        assert.deepEqual({ answer: done.answer, after: done.after }, { answer: 'right', after: true });
        assert.equal(done.__interrupt__, undefined);
      },
      { server },
    );
  });

  /** Opened by the test: "finish" runs until then, so the thread can be seen running after its resume. */
  const gate = { open: false, waiting: [] as Array<() => void> };
  const openGate = () => {
    gate.open = true;
    for (const go of gate.waiting.splice(0)) go();
  };
  const carriedGraph = new StateGraph(z.object({ answer: z.string().optional(), after: z.boolean().optional() }))
    .addNode('ask', () => ({ answer: interrupt<string>('Which way?') }))
    .addNode('finish', async () => {
      if (!gate.open) await new Promise<void>((go) => gate.waiting.push(go));
      return { after: true };
    })
    .addEdge(START, 'ask')
    .addEdge('ask', 'finish')
    .addEdge('finish', END)
    .compile({ name: 'can-carried' });

  it("carries the thread's memo and search attributes into the next run, which takes the pause back once answered: `threads` lists the thread once, with its status", async () => {
    await withGraphs(
      [carriedGraph],
      async (env) => {
        try {
          await carriedAcross(env);
        } finally {
          openGate(); // else the worker would wait for "finish" forever as it stops
        }
      },
      { server },
    );
  });

  async function carriedAcross(env: Parameters<Parameters<typeof withGraphs>[1]>[0]): Promise<void> {
    const { client } = env;
    // No Signal reaches the next run: what it publishes then comes only from what the first run handed over.
    const { thread, id, firstRun } = await pausedAcrossContinueAsNew(client, carriedGraph, true);
    const handle = client.temporal.workflow.getHandle(thread);
    const published = async (runId?: string) => {
      const d = await client.temporal.workflow.getHandle(thread, runId).describe();
      return {
        memo: d.memo?.[MEMO_KEY],
        status: d.typedSearchAttributes.get(statusSearchAttribute),
        nodes: d.typedSearchAttributes.get(pendingNodesSearchAttribute),
      };
    };
    // The next run shows what the first run published, as it was: the pause, its interrupt, the resume command.
    const before = await published(firstRun);
    assert.equal(before.status, 'interrupted');
    assert.deepEqual(before.nodes, ['ask']);
    assert.deepEqual(
      (before.memo as { interrupts: Array<{ id: string }> }).interrupts.map((i) => i.id),
      [id],
    );
    assert.deepEqual(await published(), before);
    const listed = async (status: string) =>
      JSON.parse((await durableGraph(env, ['threads', '--status', status, '--json'])).stdout) as Array<{
        threadId: string;
        status: string;
        interrupts: Array<{ id: string }>;
      }>;
    const once = async (status: string) => {
      const rows = (await listed(status)).filter((t) => t.threadId === thread);
      return rows.length === 1 ? rows[0] : undefined;
    };
    const paused = await eventually(`threads lists ${thread} once as interrupted`, () => once('interrupted'));
    assert.deepEqual(
      paused.interrupts.map((i) => i.id),
      [id],
    );

    // Answered in the next run: it takes the pause back (memo gone, status running) while "finish" runs...
    await handle.signal('resume', { resume: { [id]: 'left' } });
    await eventually('the thread says it runs again', async () =>
      (await published()).status === 'running' ? true : undefined,
    );
    const running = await published();
    assert.equal(running.memo, undefined);
    assert.equal(running.nodes, undefined);
    assert.equal(
      (await eventually(`threads lists ${thread} once as running`, () => once('running'))).status,
      'running',
    );
    await eventually(`threads no longer lists ${thread} as paused`, async () =>
      (await listed('interrupted')).some((t) => t.threadId === thread) ? undefined : true,
    );

    // ... and writes the final status when the thread ends.
    openGate();
    await handle.result();
    assert.equal((await published()).status, 'completed');
    await eventually(`threads lists ${thread} once as completed`, () => once('completed'));
    assert.equal((await chainOf(client.temporal, thread)).length, 2);
  }

  it('writes the final status of a thread that paused, then continued as new between supersteps', async () => {
    const turns = 60;
    const graph = new StateGraph(z.object({ steps: z.number().default(0), answer: z.string().optional() }))
      .addNode('ask', () => ({ answer: interrupt<string>('Go?') }))
      .addNode('agent', (s) => ({ steps: s.steps + 1 }), { local: true })
      .addNode('tool', (s) => ({ steps: s.steps + 1 }))
      .addEdge(START, 'ask')
      .addEdge('ask', 'agent')
      .addEdge('agent', 'tool')
      .addConditionalEdges('tool', (s) => (s.steps < turns ? 'agent' : END), ['agent', END])
      .compile({ name: 'can-after-pause' });
    await withGraphs(
      [graph],
      async (env) => {
        const thread = threadId('can-after-pause');
        const config = { configurable: { thread_id: thread }, recursionLimit: turns + 5 };
        assert.ok((await env.client.graph(graph).invoke({}, config)).__interrupt__);
        const done = await env.client.graph(graph).invoke(new Command({ resume: 'go' }), config);
        assert.equal(done.steps, turns);
        assert.ok((await chainOf(env.client.temporal, thread)).length >= 2, 'no continue-as-new');
        // The run that ended never paused itself; it writes the status the thread's first run published a pause with.
        const { typedSearchAttributes, memo } = await env.client.temporal.workflow.getHandle(thread).describe();
        assert.equal(typedSearchAttributes.get(statusSearchAttribute), 'completed');
        assert.equal(memo?.[MEMO_KEY], undefined);
        const listed = await eventually(`threads lists ${thread} as completed`, async () => {
          const { stdout } = await durableGraph(env, ['threads', '--status', 'all', '--json']);
          const rows = (JSON.parse(stdout) as Array<{ threadId: string; status: string }>).filter(
            (t) => t.threadId === thread,
          );
          return rows[0]?.status === 'completed' ? rows : undefined;
        });
        assert.equal(listed.length, 1);
      },
      { server },
    );
  });

  it('streams a thread with more reads than the per-run Update limit: every chunk exactly once, in order', async () => {
    const turns = 80;
    const graph = agentLoop(turns, 'can-stream', 15);
    await withGraphs(
      [graph],
      async ({ client }) => {
        const thread = threadId('can-stream');
        const config = {
          configurable: { thread_id: thread },
          recursionLimit: turns + 5,
          streamMode: 'updates' as const,
        };
        const chunks: Array<Record<string, { steps: number }>> = [];
        for await (const chunk of client.graph(graph).stream({}, config))
          chunks.push(chunk as Record<string, { steps: number }>);
        assert.deepEqual(
          chunks.map((c) => Object.values(c)[0]!.steps),
          Array.from({ length: turns }, (_, i) => i + 1),
        );
        const runs = await chainOf(client.temporal, thread);
        const reads = runs.reduce((n, r) => n + r.updates, 0);
        console.log(`stream of ${turns} steps: ${reads} Updates over ${runs.length} runs:`, JSON.stringify(runs));
        assert.ok(reads > MAX_UPDATES, `only ${reads} Updates in all`);
        for (const run of runs) assert.ok(run.updates <= MAX_UPDATES, JSON.stringify(run));
        assert.equal(runs.at(-1)!.status, 'COMPLETED');
      },
      { server },
    );
  });
});
