/**
 * Long runs continue as new: against a private dev server whose limits are lowered (continue-as-new suggested after
 * a few hundred events, and a few dozen Updates per run), a thread's run hands over to a new run of the same Workflow
 * Id, and callers, streams, pauses, getStateHistory and the audit trail go on across the chain of runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { Command, END, START, StateGraph, interrupt } from '../../src/index.js';
import { startDevServer, type DevServer } from '../../src/dev-server/index.js';
import { threadId, withGraphs } from '../helpers/env.js';

/** The server suggests continue-as-new past this many events in a run (default 4 Ki). */
const SUGGEST_AT_EVENTS = 200;
/** ... or past this many bytes of history (default 4 MiB). */
const SUGGEST_AT_BYTES = 100_000;
/** Updates one run may take (default 2,000); the server suggests continue-as-new at 90 % of it. */
const MAX_UPDATES = 30;

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
  it('runs an agent loop of 2,000 supersteps in one invoke across several runs, with the right final state', async () => {
    const graph = agentLoop(2000, 'can-agent-loop');
    await withGraphs(
      [graph],
      async ({ client }) => {
        const thread = threadId('can-loop');
        const config = { configurable: { thread_id: thread }, recursionLimit: 2100 };
        const started = Date.now();
        const done = await client.graph(graph).invoke({}, config);
        const tookMs = Date.now() - started;
        assert.equal(done.steps, 2000);
        const runs = await chainOf(client.temporal, thread);
        const per = (key: 'events' | 'bytes') => runs.map((r) => r[key]).join(' ');
        console.log(
          `2,000 supersteps: ${tookMs} ms, ${runs.length} runs; events: ${per('events')}; bytes: ${per('bytes')}`,
        );
        assert.ok(runs.length >= 2, `one run only: ${JSON.stringify(runs)}`);
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
        assert.equal(steps[0], 2000);
        assert.equal(steps.at(-1), -1);
        assert.deepEqual(
          [...new Set(steps)].sort((a, b) => a - b),
          Array.from({ length: 2002 }, (_, i) => i - 1),
        );
        assert.equal(runIds.size, runs.length);
      },
      { server },
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
  async function pausedAcrossContinueAsNew(client: Parameters<Parameters<typeof withGraphs>[1]>[0]['client']) {
    const thread = threadId('can-paused');
    const config = { configurable: { thread_id: thread } };
    const paused = await client.graph(askGraph).invoke({}, config);
    const id = paused.__interrupt__![0]!.id;
    const handle = client.temporal.workflow.getHandle(thread);
    const { runId: firstRun } = await handle.describe();
    let refused = 0;
    for (; refused < SUGGEST_AT_EVENTS && (await handle.describe()).runId === firstRun; refused++)
      await handle.signal('resume', { answer: refused }); // not a resume's shape: refused, and recorded
    assert.notEqual((await handle.describe()).runId, firstRun, `still one run after ${refused} Signals`);
    // The new run is paused on the same interrupt, under the same id.
    const state = await client.graph(askGraph).getState(config);
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
