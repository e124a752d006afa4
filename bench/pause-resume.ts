/**
 * `npm run bench:load [-- --threads 5000]`: N threads paused at once, then resumed at once, half by the `resume` Signal
 * (as `temporal workflow signal` sends it) and half by the validated Update (`invoke(new Command({ resume }))`), on a
 * fresh dev server and one worker process. Checks that every thread completed exactly once (its final state, no run
 * left open or failed, each node body started as often as it must: the worker counts them), and reports pause and
 * resume rates, latencies, errors by kind and the worker's memory. Writes `bench/results/load-<date>.md` and `.json`.
 * `--help` lists the options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Command, isDurableGraphError } from 'durable-graph';
import { GraphClient, outageRetryInterceptor, waitingCallLimitInterceptor } from 'durable-graph/client';
import { startDevServer, type DevServer } from 'durable-graph/dev-server';
import { unpackStop, type StopState } from '../src/protocol/stop-state.js';
import { describeEnvironment, type Environment } from './environment.js';
import { LOAD_EXPECTED_BODIES, loadGraph } from './graphs/load.js';
import { withTimeout } from './load.js';
import { mib, round, summarize, type LatencySummary } from './stats.js';
import { WorkerProcess } from './worker-host.js';
import type { MemorySample, WorkerSettings } from './worker-protocol.js';

const USAGE = `npm run bench:load -- [options]

  --threads N        threads paused at once, then resumed at once (default 5000; BENCH_LOAD_THREADS)
  --concurrency N    client calls in flight at most in each phase (default: all of them at once)
  --cache N          the worker's maxCachedWorkflows (default: the SDK's)
  --timeout S        seconds one call may take before it counts as an error (default 900)
  --out DIR          where load-<date>.md/.json go (default bench/results)
  --note TEXT        a line for the report about the conditions (other load on the machine, …)`;

interface LoadConfig {
  threads: number;
  concurrency: number;
  cache?: number;
  timeoutMs: number;
  outDir: string;
  note?: string;
}

function loadConfig(): LoadConfig | 'help' {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string' },
      concurrency: { type: 'string' },
      cache: { type: 'string' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      note: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const int = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, got "${text}"`);
    return n;
  };
  const threads = int('threads', values.threads ?? process.env.BENCH_LOAD_THREADS, 5000);
  return {
    threads,
    concurrency: int('concurrency', values.concurrency, threads),
    ...(values.cache === undefined ? {} : { cache: int('cache', values.cache, 0) }),
    timeoutMs: int('timeout', values.timeout, 900) * 1000,
    outDir: values.out ?? fileURLToPath(new URL('./results', import.meta.url)),
    ...(values.note === undefined ? {} : { note: values.note }),
  };
}

/** One phase: how long it took, each call's latency, and the errors by kind. */
interface Phase {
  seconds: number;
  /** Threads per second over the phase: calls that succeeded / wall time. */
  rate: number;
  latency: LatencySummary;
  errors: number;
  errorKinds: Record<string, number>;
  firstErrors: string[];
}

/** A phase being measured: call latencies and errors as they come. */
class PhaseRecorder {
  readonly #latencies: number[] = [];
  readonly #errorKinds: Record<string, number> = {};
  readonly #firstErrors: string[] = [];
  #errors = 0;
  readonly #started = performance.now();

  /** Times `call`, recording its latency or its error here and in `also`. */
  async time(call: () => Promise<unknown>, also?: PhaseRecorder): Promise<void> {
    const t0 = performance.now();
    try {
      await call();
      const latency = performance.now() - t0;
      this.#latencies.push(latency);
      if (also) also.#latencies.push(latency);
    } catch (error) {
      this.#error(error);
      if (also) also.#error(error);
    }
  }

  #error(error: unknown): void {
    this.#errors++;
    const kind = errorKind(error);
    this.#errorKinds[kind] = (this.#errorKinds[kind] ?? 0) + 1;
    if (this.#firstErrors.length < 5) this.#firstErrors.push(error instanceof Error ? error.message : String(error));
  }

  done(): Phase {
    const seconds = (performance.now() - this.#started) / 1000;
    return {
      seconds: round(seconds, 1),
      rate: round(this.#latencies.length / seconds, 1),
      latency: summarize(this.#latencies),
      errors: this.#errors,
      errorKinds: this.#errorKinds,
      firstErrors: this.#firstErrors,
    };
  }
}

/** A durable-graph error by its code; anything else by its class name (and gRPC status when it has one). */
function errorKind(error: unknown): string {
  if (isDurableGraphError(error)) return error.code;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'number' ? `${error.name} (gRPC ${code})` : error.name;
  }
  return typeof error;
}

/** Runs `fn` on every item with at most `concurrency` in flight. */
async function inFlight<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

interface LoadReport {
  config: Omit<LoadConfig, 'outDir'>;
  startedAt: string;
  wallSeconds: number;
  environment: Environment;
  worker: WorkerSettings;
  load1: { start: number; afterPause: number; end: number };
  pause: Phase;
  resume: { all: Phase; signal: Phase; update: Phase; signalAck: LatencySummary };
  memory: { baseline: MemorySample; paused: MemorySample; pausedAfterGc: MemorySample; resumed: MemorySample };
  check: {
    completed: number;
    wrongState: number;
    /** Threads whose start the server refused (no run exists and no node ran): counted apart from the others. */
    neverStarted: number;
    /** Threads with a node body that started more often than it must. */
    ranTooOften: number;
    /** Node bodies started on a retry of their Activity (attempt > 1), and how many threads that ran too often had one. */
    bodiesOnRetry?: number;
    ranTooOftenOnRetry?: number;
    /** Threads whose node bodies did not start exactly as often as they must, with an example. */
    wrongBodyCounts: number;
    bodyCountExamples: string[];
    stillRunning: number;
    notCompleted: number;
    firstProblems: string[];
  };
}

const WARMUP_CYCLES = 20;
const expectedDone = (id: string) => `act on ${id} (yes ${id})`;

async function main(): Promise<void> {
  const config = loadConfig();
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const load1 = () => round(loadavg()[0]!, 2);
  const loadStart = load1();
  log(`bench:load ${JSON.stringify({ ...config, outDir: undefined })}; load average ${loadStart}`);
  let server: DevServer | undefined;
  let connection: Connection | undefined;
  let worker: WorkerProcess | undefined;
  try {
    server = await startDevServer({ ui: false, log: (line) => log(`[dev-server] ${line}`) });
    // What GraphClient.connect gives its own connections: a busy server is waited out, and at most 500 calls wait at once.
    connection = await Connection.connect({
      address: server.address,
      interceptors: [outageRetryInterceptor(120_000), waitingCallLimitInterceptor(500)],
    });
    const environment = await describeEnvironment(
      { address: server.address, cliPath: server.cliPath, args: server.args },
      connection,
    );
    const taskQueue = `bench-load-${process.pid}-${Date.now()}`;
    worker = await WorkerProcess.start({
      kind: 'durable-graph',
      address: server.address,
      namespace: server.namespace,
      taskQueue,
      ...(config.cache === undefined ? {} : { maxCachedWorkflows: config.cache }),
    });
    const client = await GraphClient.connect({ connection, namespace: server.namespace, taskQueue });
    const app = client.graph(loadGraph);
    const cfg = (id: string) => ({ configurable: { thread_id: id } });
    const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

    // Warm-up: the worker has bundled its workflow code and sized its heap before the baseline.
    for (let i = 0; i < WARMUP_CYCLES; i++) {
      const id = `load-warm-${run}-${i}`;
      await app.invoke({ request: id }, cfg(id));
      await app.invoke(new Command({ resume: `yes ${id}` }), cfg(id));
    }
    const baseline = await worker.memory({ gc: true, resetPeak: true });
    const ids = Array.from({ length: config.threads }, (_, i) => `load-${run}-${i + 1}`);
    const call = <T>(promise: Promise<T>, what: string) => withTimeout(promise, config.timeoutMs, what);

    log(`pausing ${ids.length} threads (${config.concurrency} calls in flight at most)`);
    const pausing = new PhaseRecorder();
    const paused = new Set<string>();
    await inFlight(ids, config.concurrency, (id) =>
      pausing.time(async () => {
        const result = await call(app.invoke({ request: id }, cfg(id)), `invoke ${id}`);
        if (result.__interrupt__?.length !== 1)
          throw new Error(`${id}: expected one pending interrupt, got ${JSON.stringify(result.__interrupt__)}`);
        paused.add(id);
      }),
    );
    const pause = pausing.done();
    const pausedPeak = await worker.memory({ resetPeak: true });
    const pausedAfterGc = await worker.memory({ gc: true, resetPeak: true });
    const loadAfterPause = load1();
    log(
      `paused ${paused.size} in ${pause.seconds} s (${pause.rate}/s), p50 ${round(pause.latency.p50)} ms, ` +
        `p95 ${round(pause.latency.p95)} ms, errors ${pause.errors}; worker RSS peak ${mib(pausedPeak.peakRss)} MiB`,
    );

    log(`resuming ${ids.length} threads: even ones by the resume Signal, odd ones by the resume Update`);
    const all = new PhaseRecorder();
    const bySignal = new PhaseRecorder();
    const byUpdate = new PhaseRecorder();
    const acks: number[] = [];
    await inFlight(
      ids.map((id, i) => ({ id, signal: i % 2 === 0 })),
      config.concurrency,
      ({ id, signal }) =>
        (signal ? bySignal : byUpdate).time(async () => {
          if (signal) {
            const handle = client.temporal.workflow.getHandle(id);
            const t0 = performance.now();
            await call(handle.signal('resume', { resume: `yes ${id}` }), `signal ${id}`);
            acks.push(performance.now() - t0);
            await call(handle.result(), `result of ${id}`);
          } else {
            const done = await call(app.invoke(new Command({ resume: `yes ${id}` }), cfg(id)), `resume ${id}`);
            if (done.done !== expectedDone(id)) throw new Error(`${id}: resumed to ${JSON.stringify(done)}`);
          }
        }, all),
    );
    const resumeAll = all.done();
    const signalPhase = bySignal.done();
    const updatePhase = byUpdate.done();
    const resumed = await worker.memory({ resetPeak: true });
    log(
      `resumed in ${resumeAll.seconds} s (${round((signalPhase.latency.n + updatePhase.latency.n) / resumeAll.seconds, 1)}/s); ` +
        `Signal p50 ${round(signalPhase.latency.p50)} ms, Update p50 ${round(updatePhase.latency.p50)} ms; ` +
        `errors ${signalPhase.errors + updatePhase.errors}; worker RSS peak ${mib(resumed.peakRss)} MiB`,
    );

    log('checking every thread');
    const problems: string[] = [];
    let completed = 0;
    let wrongState = 0;
    // A start the server refused (e.g. its deadline passed under load) wrote nothing: no run, no node ran.
    const neverStarted = new Set<string>();
    await inFlight(ids, 50, async (id) => {
      try {
        const stop = (await call(client.temporal.workflow.getHandle(id).result(), `result of ${id}`)) as StopState;
        const state = unpackStop(stop, { threadId: id, graph: loadGraph.name });
        if (state.status === 'completed' && state.values.done === expectedDone(id) && state.interrupts.length === 0)
          completed++;
        else {
          wrongState++;
          if (problems.length < 10) problems.push(`${id}: ended ${state.status} with ${JSON.stringify(state.values)}`);
        }
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) neverStarted.add(id);
        else wrongState++;
        if (problems.length < 10) problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const counts = await worker.bodyCounts();
    const bodyCountExamples: string[] = [];
    let wrongBodyCounts = 0;
    let ranTooOften = 0;
    let ranTooOftenOnRetry = 0;
    const bodiesOnRetry = [...counts].filter(([key]) => key.endsWith(' retry')).reduce((sum, [, n]) => sum + n, 0);
    for (const id of ids) {
      const ran = (node: string) => counts.get(`${id} ${node}`) ?? 0;
      if (Object.entries(LOAD_EXPECTED_BODIES).some(([node, n]) => ran(node) > n)) {
        ranTooOften++;
        if (Object.keys(LOAD_EXPECTED_BODIES).some((node) => ran(`${node} retry`) > 0)) ranTooOftenOnRetry++;
      }
      if (neverStarted.has(id) && Object.keys(LOAD_EXPECTED_BODIES).every((node) => ran(node) === 0)) continue;
      const wrong = Object.entries(LOAD_EXPECTED_BODIES).filter(([node, n]) => ran(node) !== n);
      if (wrong.length === 0) continue;
      wrongBodyCounts++;
      if (bodyCountExamples.length < 10)
        bodyCountExamples.push(
          `${id}: ${wrong.map(([node]) => `${node} ${counts.get(`${id} ${node}`) ?? 0}`).join(', ')}`,
        );
    }
    const countOf = async (query: string) =>
      (
        await client.temporal.workflow.count(
          `TaskQueue="${taskQueue}" AND WorkflowId STARTS_WITH "load-${run}-" AND ${query}`,
        )
      ).count;
    const stillRunning = await countOf('ExecutionStatus="Running"');
    const notCompleted = await countOf('ExecutionStatus!="Completed"');

    const report: LoadReport = {
      config: {
        threads: config.threads,
        concurrency: config.concurrency,
        timeoutMs: config.timeoutMs,
        ...(config.cache === undefined ? {} : { cache: config.cache }),
        ...(config.note ? { note: config.note } : {}),
      },
      startedAt,
      wallSeconds: round((performance.now() - started) / 1000, 1),
      environment,
      worker: worker.settings,
      load1: { start: loadStart, afterPause: loadAfterPause, end: load1() },
      pause,
      resume: { all: resumeAll, signal: signalPhase, update: updatePhase, signalAck: summarize(acks) },
      memory: { baseline, paused: pausedPeak, pausedAfterGc, resumed },
      check: {
        completed,
        wrongState,
        neverStarted: neverStarted.size,
        ranTooOften,
        bodiesOnRetry,
        ranTooOftenOnRetry,
        wrongBodyCounts,
        bodyCountExamples,
        stillRunning,
        notCompleted,
        firstProblems: problems,
      },
    };
    const base = `load-${startedAt.slice(0, 10)}${config.threads === 5000 ? '' : `-${config.threads}`}`;
    mkdirSync(config.outDir, { recursive: true });
    writeFileSync(`${config.outDir}/${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${config.outDir}/${base}.md`, renderLoadReport(report));
    log(
      `every thread completed exactly once: ${completed === ids.length && wrongBodyCounts === 0 && notCompleted === 0}`,
    );
    log(`wrote ${config.outDir}/${base}.md and .json`);
    if (completed !== ids.length || wrongBodyCounts > 0 || notCompleted > 0) process.exitCode = 1;
  } finally {
    await worker?.stop();
    await connection?.close();
    await server?.stop();
  }
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '–';
}

function phaseRow(what: string, threads: number, phase: Phase): string {
  const kinds = Object.entries(phase.errorKinds)
    .map(([kind, n]) => `${kind} × ${n}`)
    .join(', ');
  return `| ${what} | ${threads} | ${phase.seconds} | ${phase.rate} | ${ms(phase.latency.p50)} | ${ms(phase.latency.p95)} | ${ms(phase.latency.max)} | ${phase.errors}${kinds ? ` (${kinds})` : ''} |`;
}

function renderLoadReport(r: LoadReport): string {
  const e = r.environment;
  const n = r.config.threads;
  const c = r.check;
  const ok = c.completed === n && c.wrongBodyCounts === 0 && c.notCompleted === 0;
  const exactlyOnce = c.completed + c.neverStarted === n && c.wrongBodyCounts === 0 && c.ranTooOften === 0;
  const mem = (s: MemorySample) => `${mib(s.rss)}`;
  return `# Load: ${n} threads paused at once, then resumed at once

Produced by \`npm run bench:load -- --threads ${n}${r.config.concurrency === n ? '' : ` --concurrency ${r.config.concurrency}`}\` on ${r.startedAt}, in ${r.wallSeconds} s.

- Machine: ${e.machine.cores} cores (${e.machine.cpuModel}), ${e.machine.memoryGiB} GiB, ${e.machine.platform}/${e.machine.arch} ${e.machine.kernel}
- Node ${e.versions.node}; Temporal SDK ${e.versions.temporalSdk}; ${e.versions.temporalCli}; server ${e.versions.temporalServer} (dev server, in-memory SQLite, same machine: \`temporal ${e.devServer.args.join(' ')}\`)
- durable-graph ${e.versions.durableGraph}, commit ${e.git.commit.slice(0, 12)}${e.git.dirty ? ' (uncommitted changes)' : ''}
- Load average (1 min) at start / after the pauses / at the end: ${r.load1.start} / ${r.load1.afterPause} / ${r.load1.end}${r.load1.start > e.machine.cores ? ' (above the core count before the run: other processes shared the machine)' : ''}
- One worker process (\`createWorker\`, SDK defaults unless listed): ${Object.entries(r.worker)
    .map(([k, v]) => `${k} ${v}`)
    .join(
      ', ',
    )}. The client (this process) shares one connection; ${r.config.concurrency === n ? 'every call of a phase is sent at once' : `at most ${r.config.concurrency} calls in flight`}; a call counts as an error after ${r.config.timeoutMs / 1000} s.${r.config.note ? `\n- Conditions: ${r.config.note}` : ''}

Graph \`bench_load\` (\`bench/graphs/load.ts\`): propose → review (\`interrupt()\`) → execute. Pause = \`invoke({ request })\` until it returns the interrupt. Resume: even threads by the \`resume\` Signal (\`{"resume": "yes <id>"}\`, as \`temporal workflow signal\` sends it), latency until the run's result; odd threads by \`invoke(new Command({ resume }))\`, which returns at END.

## Rates and latencies

| phase | threads | wall s | threads/s | p50 ms | p95 ms | max ms | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${phaseRow('pause (invoke until the interrupt)', n, r.pause)}
${phaseRow('resume, all', n, r.resume.all)}
${phaseRow('resume by Signal (until the result)', Math.ceil(n / 2), r.resume.signal)}
${phaseRow('resume by Update (invoke(Command))', Math.floor(n / 2), r.resume.update)}

The Signal calls themselves were acknowledged in p50 ${ms(r.resume.signalAck.p50)} ms, p95 ${ms(r.resume.signalAck.p95)} ms. Rates are threads whose call succeeded per second of the phase's wall time.${
    [...r.pause.firstErrors, ...r.resume.all.firstErrors].length
      ? `\n\nFirst errors:\n\n${[...r.pause.firstErrors, ...r.resume.all.firstErrors].map((m) => `- ${m}`).join('\n')}`
      : ''
  }

## Worker memory (MiB)

| when | RSS | peak RSS since the previous row | heap used | peak heap since the previous row |
| --- | ---: | ---: | ---: | ---: |
| baseline (after ${WARMUP_CYCLES} warm-up cycles, GC) | ${mem(r.memory.baseline)} | – | ${mib(r.memory.baseline.heapUsed)} | – |
| all paused | ${mem(r.memory.paused)} | ${mib(r.memory.paused.peakRss)} | ${mib(r.memory.paused.heapUsed)} | ${mib(r.memory.paused.peakHeapUsed ?? Number.NaN)} |
| all paused, after GC | ${mem(r.memory.pausedAfterGc)} | – | ${mib(r.memory.pausedAfterGc.heapUsed)} | – |
| all resumed | ${mem(r.memory.resumed)} | ${mib(r.memory.resumed.peakRss)} | ${mib(r.memory.resumed.heapUsed)} | ${mib(r.memory.resumed.peakHeapUsed ?? Number.NaN)} |

## Every thread completed exactly once: ${ok ? 'yes' : exactlyOnce ? `no: ${c.neverStarted} never started; every thread that started completed exactly once` : 'NO'}

- ${c.completed} of ${n} runs completed with the final state their answer gives (\`done\` = "act on <id> (yes <id>)", no interrupt pending); ${c.wrongState} started but did not; ${c.neverStarted} never started (the server refused the start: no run, no node ran).
- ${c.ranTooOften} threads ran a node body more often than it must${c.bodiesOnRetry === undefined ? '' : `; ${c.bodiesOnRetry} node bodies started on a retry of their Activity (attempt > 1: a timeout or a lost worker), in ${c.ranTooOftenOnRetry} of those threads`}.
- Node bodies, counted in the worker process: ${n - c.neverStarted - c.wrongBodyCounts} of the ${n - c.neverStarted} threads that started ran propose once, review twice (the pause, then the re-run with the answer) and execute once; ${c.wrongBodyCounts} did not${c.bodyCountExamples.length ? ` (${c.bodyCountExamples.join('; ')})` : ''}.
- Visibility: ${c.stillRunning} runs still open (paused or running), ${c.notCompleted} not Completed (failed, terminated, timed out or open).${
    c.firstProblems.length ? `\n\nProblems:\n\n${c.firstProblems.map((p) => `- ${p}`).join('\n')}` : ''
  }
`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
