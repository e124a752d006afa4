/**
 * Drives a group of scenarios: warm-up, sequential latency, throughput at each level of threads in flight, the history of
 * the last sequential cycles, and the memory of the process running the graph before and after.
 */
import { loadavg } from 'node:os';
import type { BenchConfig } from './config.js';
import { ownCpuMs, processCpuMs } from './cpu.js';
import type { HistorySample, Scenario } from './scenario.js';
import { mean, summarize, type LatencySummary } from './stats.js';
import type { MemorySample } from './worker-protocol.js';

/** Throughput at one level of threads in flight. */
export interface ThroughputLevel {
  inFlight: number;
  cycles: number;
  errors: number;
  seconds: number;
  /**
   * Cycles per second in the steady state, by Little's law for `inFlight` loops that start a new cycle as soon as one
   * ends: `inFlight / mean latency` of the cycles that completed in the window. Counting completions in the window
   * (`countedPerSec`) is biased when the window spans only a few cycle latencies: loops that started together finish
   * in waves, and a window catches a wave more or less whole.
   */
  cyclesPerSec: number;
  /** Cycles that completed in the window per second of window. */
  countedPerSec: number;
  /** Latency of the cycles at this level (ms). */
  latency: LatencySummary;
  firstError?: string;
  /** 1-minute load average of the machine when the level's last round ended. */
  load1: number;
  /** With `--rounds` above 1: cycles/s of each round, in order (the level's figure sums them). */
  roundsCyclesPerSec?: number[];
  /**
   * CPU ms per completed cycle at this level, net of the process's idle CPU (measured before the levels): the process running the graph (Temporal worker process, or this
   * process for LangGraph), the Temporal dev server, and this process as the client (Temporal scenarios only).
   */
  cpuPerCycleMs: { worker: number; server?: number; client?: number };
  /** With `--rounds` above 1: {@link cpuPerCycleMs} of each round, in order (the level's figure pools them). */
  roundsCpuPerCycleMs?: Array<ThroughputLevel['cpuPerCycleMs']>;
}

export interface ScenarioResult {
  id: string;
  system: Scenario['system'];
  graph: Scenario['graph'];
  label: string;
  /** Sequential latency per cycle (ms), warm-up excluded. */
  latency: LatencySummary;
  /** Per phase (approval: to the pause, resume to END) p50 in ms. */
  phasesP50: number[];
  /** 1-minute load average before and after the sequential cycles. */
  sequentialLoad: number[];
  throughput: ThroughputLevel[];
  /** Averages over the sampled cycles (Temporal only). */
  history?: {
    samples: number;
    eventsPerCycle: number;
    bytesPerCycle: number;
    /** Mean over the sampled cycles of {@link HistorySample.timingMs}. */
    timingMs: HistorySample['timingMs'];
    /** The last sampled cycle in detail. */
    example: HistorySample;
  };
  memory: {
    source: Scenario['memorySource'];
    /** After setup (after a GC). */
    start: MemorySample;
    /** At the end (peak = the highest RSS during the scenario). */
    end: MemorySample;
    /** At the end after a GC. */
    endAfterGc: MemorySample;
  };
  facts: Record<string, unknown>;
  /** Seconds from the group's start to this scenario's result (the group shares one clock). */
  wallSeconds: number;
}

/** A process-unique thread id. */
export function threadIds(prefix: string): () => string {
  let n = 0;
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  return () => `${prefix}-${run}-${++n}`;
}

/** Rejects if `promise` has not settled after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const CYCLE_TIMEOUT_MS = 120_000;
const IDLE_SAMPLE_MS = 3000;
/** Pause before each sequential cycle, so that no cycle pays for the server's work left from the one before. */
export const SETTLE_MS = 100;
/**
 * Pause between two scenarios' throughput levels, so that the dev server finishes the closing work of the previous
 * level's last cycles (their tail is awaited but not counted) before the next level's CPU is measured.
 */
export const LEVEL_SETTLE_MS = 2_000;
/** A throughput level's window opens at the latest this long after its start, ramp-up over or not. */
const MAX_RAMP_MS = 60_000;
const pct = (rate: number) => Math.round(rate * 1000) / 10;

/** The 1-minute load average of the machine (the benchmark shares it with everything else that runs). */
export function load1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

/**
 * Measures a group of scenarios of the same graph side by side, so that they see the same machine: the sequential
 * cycles are interleaved round-robin (A, B, C, A, B, C, …), and each throughput level is run for every scenario before
 * the next level. Every scenario is torn down at the end, whatever happens.
 */
export async function measureGroup(
  scenarios: readonly Scenario[],
  config: BenchConfig,
  log: (line: string) => void,
  serverPid?: number,
): Promise<ScenarioResult[]> {
  const wallStart = performance.now();
  const ready: Scenario[] = [];
  try {
    const nextId = new Map(scenarios.map((s) => [s.id, threadIds(`bench-${s.id}`)]));
    const cycle = (s: Scenario) => {
      const id = nextId.get(s.id)!();
      return withTimeout(s.cycle(id), CYCLE_TIMEOUT_MS, `${s.id} cycle ${id}`).then((timing) => ({ id, timing }));
    };
    const start = new Map<string, MemorySample>();
    for (const s of scenarios) {
      await s.setup();
      ready.push(s);
      start.set(s.id, await s.memory({ gc: true, resetPeak: true }));
    }

    for (let i = 0; i < config.warmup; i++) for (const s of scenarios) await cycle(s);

    const totals = new Map<string, number[]>(scenarios.map((s) => [s.id, []]));
    const phases = new Map<string, number[][]>(scenarios.map((s) => [s.id, []]));
    const ids = new Map<string, string[]>(scenarios.map((s) => [s.id, []]));
    const loadBefore = load1();
    for (let i = 0; i < config.cycles; i++) {
      for (const s of scenarios) {
        // Let the server finish the previous cycle's closing work (visibility, transfer tasks) first: otherwise
        // it lands in this cycle, whose workflow tasks then wait for it (~20 ms each on 2 cores).
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const { id, timing } = await cycle(s);
        totals.get(s.id)!.push(timing.reduce((a, b) => a + b, 0));
        const p = phases.get(s.id)!;
        timing.forEach((t, k) => (p[k] ??= []).push(t));
        ids.get(s.id)!.push(id);
      }
    }
    const sequentialLoad = [loadBefore, load1()];

    const partial = new Map<string, Omit<ScenarioResult, 'throughput' | 'memory' | 'facts' | 'wallSeconds'>>();
    for (const s of scenarios) {
      const latency = summarize(totals.get(s.id)!);
      let history: ScenarioResult['history'];
      if (s.history && config.historySamples > 0) {
        const samples = await Promise.all(
          ids
            .get(s.id)!
            .slice(-config.historySamples)
            .map((id) => s.history!(id)),
        );
        history = {
          samples: samples.length,
          eventsPerCycle: mean(samples.map((h) => h.events)),
          bytesPerCycle: mean(samples.map((h) => h.bytes)),
          timingMs: meanTiming(samples.map((h) => h.timingMs)),
          example: samples[samples.length - 1]!,
        };
      }
      log(
        `  ${s.id.padEnd(20)} sequential p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms` +
          (history
            ? `; ${history.eventsPerCycle} events, ${Math.round(history.bytesPerCycle)} history bytes per cycle`
            : ''),
      );
      partial.set(s.id, {
        id: s.id,
        system: s.system,
        graph: s.graph,
        label: s.label,
        latency,
        phasesP50: phases.get(s.id)!.map((p) => summarize(p).p50),
        sequentialLoad,
        ...(history ? { history } : {}),
      });
    }

    // CPU the processes burn while nothing runs (pollers, timers, the server's background work), subtracted below.
    const cpuNow = async (s: Scenario) => ({
      at: performance.now(),
      worker: (await s.memory()).cpuMs,
      server: serverPid ? processCpuMs(serverPid) : Number.NaN,
      client: ownCpuMs(),
    });
    const idleRates = new Map<string, { worker: number; server: number; client: number }>();
    {
      const before = await Promise.all(scenarios.map(cpuNow));
      await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
      const after = await Promise.all(scenarios.map(cpuNow));
      scenarios.forEach((s, i) => {
        const [b, a] = [before[i]!, after[i]!];
        const ms = a.at - b.at;
        idleRates.set(s.id, {
          worker: (a.worker - b.worker) / ms,
          server: (a.server - b.server) / ms,
          client: (a.client - b.client) / ms,
        });
      });
      const first = idleRates.values().next().value;
      if (first)
        log(
          `  idle CPU: server ${(first.server * 100).toFixed(1)}% of a core, bench process ${(first.client * 100).toFixed(1)}%`,
        );
    }

    // Each level runs `rounds` times per scenario, in reverse scenario order every other level and every other round,
    // so no scenario always runs first (after the lighter phase) or last. A level's result sums its rounds.
    const parts = new Map<string, LevelPart[]>();
    for (let round = 0; round < config.rounds; round++) {
      for (const [levelIndex, level] of config.levels.entries()) {
        for (const s of (round + levelIndex) % 2 === 0 ? scenarios : [...scenarios].reverse()) {
          await new Promise((resolve) => setTimeout(resolve, LEVEL_SETTLE_MS));
          const before = await cpuNow(s);
          const part = await runLevel(level, config, () => cycle(s));
          const after = await cpuNow(s);
          const idle = idleRates.get(s.id)!;
          // CPU over the whole level (ramp-up and tail included), net of idle: all the work of all the cycles.
          const net = (key: 'worker' | 'server' | 'client') =>
            after[key] - before[key] - idle[key] * (after.at - before.at);
          const done: LevelPart = {
            ...part,
            cpuMs: { worker: net('worker'), server: net('server'), client: net('client') },
          };
          const key = `${s.id}#${levelIndex}`;
          parts.set(key, [...(parts.get(key) ?? []), done]);
          const result = levelResult(s, level, [done]);
          log(
            `  ${s.id.padEnd(20)} ${String(level).padStart(3)} in flight${config.rounds > 1 ? ` (round ${round + 1})` : ''}: ` +
              `${result.cyclesPerSec.toFixed(1)} cycles/s (${result.cycles} in ${result.seconds.toFixed(1)} s = ${result.countedPerSec.toFixed(1)}/s, p50 ${result.latency.p50.toFixed(1)} ms, ` +
              `load ${result.load1}; CPU ms/cycle ${cpuText(result.cpuPerCycleMs)}` +
              `${result.errors ? `, ${result.errors} ERRORS: ${result.firstError}` : ''})`,
          );
        }
      }
    }
    const throughput = new Map<string, ThroughputLevel[]>(
      scenarios.map((s) => [
        s.id,
        config.levels.map((level, levelIndex) => levelResult(s, level, parts.get(`${s.id}#${levelIndex}`)!)),
      ]),
    );

    const results: ScenarioResult[] = [];
    for (const s of scenarios) {
      const idle = idleRates.get(s.id)!;
      const end = await s.memory();
      const endAfterGc = await s.memory({ gc: true });
      results.push({
        ...partial.get(s.id)!,
        throughput: throughput.get(s.id)!,
        memory: { source: s.memorySource, start: start.get(s.id)!, end, endAfterGc },
        facts: {
          ...s.facts(),
          idleCpuPercent:
            s.memorySource === 'bench process'
              ? { process: pct(idle.client) }
              : { worker: pct(idle.worker), server: pct(idle.server), client: pct(idle.client) },
        },
        wallSeconds: (performance.now() - wallStart) / 1000,
      });
    }
    return results;
  } finally {
    for (const s of ready) await s.teardown();
  }
}

function meanTiming(samples: HistorySample['timingMs'][]): HistorySample['timingMs'] {
  const keys = ['total', 'wftQueue', 'wftRun', 'activityQueue', 'activityRun'] as const;
  const out = { total: 0, wftQueue: 0, wftRun: 0, activityQueue: 0, activityRun: 0 };
  for (const key of keys) out[key] = Math.round(mean(samples.map((t) => t[key])) * 10) / 10;
  return out;
}

function cpuText(cpu: ThroughputLevel['cpuPerCycleMs']): string {
  return cpu.server === undefined
    ? `process ${cpu.worker}`
    : `worker ${cpu.worker}, server ${cpu.server}, client ${cpu.client}`;
}

/**
 * `inFlight` loops run cycles back to back. The throughput is that of the steady state: the window opens once
 * `inFlight` cycles have completed (every loop has been through about one cycle, so the ramp-up is over; at most
 * {@link MAX_RAMP_MS}) and closes after the level's time or cycle budget; cycles still running then finish
 * uncounted in it (no tail). `allCycles` counts every cycle the level completed, for the CPU per cycle.
 */
async function runLevel(
  inFlight: number,
  config: BenchConfig,
  cycle: () => Promise<unknown>,
): Promise<Omit<LevelPart, 'cpuMs'>> {
  const started = performance.now();
  let completed = 0;
  let openedAt: number | undefined;
  let closedAt: number | undefined;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const rampTimer = setTimeout(() => (openedAt ??= performance.now()), MAX_RAMP_MS);
  const loop = async () => {
    while (closedAt === undefined) {
      const t0 = performance.now();
      let failed: unknown;
      try {
        await cycle();
      } catch (error) {
        failed = error;
        firstError ??= error instanceof Error ? error.message : String(error);
        // A cycle that fails at once must not starve the timers (the ramp's cap) of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (failed === undefined) completed++;
      if (closedAt !== undefined) break; // the tail: not in the window
      if (openedAt !== undefined) {
        if (failed === undefined) latencies.push(performance.now() - t0);
        else errors++;
        // At least twice the ramp-up (about one cycle's latency at this level): loops that started together finish
        // in waves at first, and a window shorter than a cycle would count a wave or miss one.
        const windowMs = Math.max(config.durationSec * 1000, 2 * (openedAt - started));
        if (performance.now() - openedAt >= windowMs || latencies.length >= config.maxCyclesPerLevel)
          closedAt = performance.now();
      } else if (completed >= inFlight) openedAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  clearTimeout(rampTimer);
  if (openedAt === undefined || closedAt === undefined)
    throw new Error(
      `throughput level ${inFlight}: the window never closed (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  return {
    seconds: (closedAt - openedAt) / 1000,
    latencies,
    errors,
    ...(firstError ? { firstError } : {}),
    allCycles: completed,
    load1: load1(),
  };
}

/** One run of a throughput level: its measured window, every cycle it completed, and the CPU all of them took. */
interface LevelPart {
  /** Length of the measured window (s) and the latencies of the cycles completed in it. */
  seconds: number;
  latencies: number[];
  errors: number;
  firstError?: string;
  /** Every cycle the level completed (ramp-up and tail included), for the CPU per cycle. */
  allCycles: number;
  /** CPU ms over the whole level, net of idle. */
  cpuMs: { worker: number; server: number; client: number };
  load1: number;
}

/** A level's result over its rounds: windows and CPU summed, so each round weighs by what it measured. */
function levelResult(s: Scenario, inFlight: number, parts: readonly LevelPart[]): ThroughputLevel {
  const sum = (f: (p: LevelPart) => number) => parts.reduce((total, p) => total + f(p), 0);
  const seconds = sum((p) => p.seconds);
  const latencies = parts.flatMap((p) => p.latencies);
  const allCycles = Math.max(
    1,
    sum((p) => p.allCycles),
  );
  const per = (key: keyof LevelPart['cpuMs']) => Math.round((sum((p) => p.cpuMs[key]) / allCycles) * 100) / 100;
  const cpuOf = (part: LevelPart): ThroughputLevel['cpuPerCycleMs'] => {
    const of = (key: keyof LevelPart['cpuMs']) =>
      Math.round((part.cpuMs[key] / Math.max(1, part.allCycles)) * 100) / 100;
    return s.memorySource === 'bench process'
      ? { worker: of('worker') }
      : { worker: of('worker'), server: of('server'), client: of('client') };
  };
  const firstError = parts.find((p) => p.firstError)?.firstError;
  return {
    inFlight,
    cycles: latencies.length,
    errors: sum((p) => p.errors),
    seconds,
    cyclesPerSec: littleRate(inFlight, latencies),
    countedPerSec: latencies.length / seconds,
    latency: summarize(latencies),
    load1: parts[parts.length - 1]!.load1,
    ...(firstError ? { firstError } : {}),
    ...(parts.length > 1
      ? { roundsCyclesPerSec: parts.map((p) => Math.round(littleRate(inFlight, p.latencies) * 10) / 10) }
      : {}),
    cpuPerCycleMs:
      s.memorySource === 'bench process'
        ? { worker: per('worker') }
        : { worker: per('worker'), server: per('server'), client: per('client') },
    ...(parts.length > 1 ? { roundsCpuPerCycleMs: parts.map(cpuOf) } : {}),
  };
}

/** Little's law for a closed loop with no think time: throughput = loops / mean cycle time (ms → per second). */
function littleRate(inFlight: number, latenciesMs: readonly number[]): number {
  return latenciesMs.length ? inFlight / (mean(latenciesMs) / 1000) : Number.NaN;
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; collects errors instead of stopping. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<unknown>,
): Promise<{ errors: number; firstError?: string }> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return firstError === undefined ? { errors } : { errors, firstError };
}
