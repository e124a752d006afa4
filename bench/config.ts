/**
 * Benchmark settings: defaults for a full run (about 35 minutes on 2 cores) and `--quick` (about 6 minutes),
 * overridden by flags or by the matching BENCH_* environment variables (flags win).
 */
import { parseArgs } from 'node:util';

export interface BenchConfig {
  mode: 'full' | 'quick' | 'custom';
  /** Untimed cycles before the sequential measurement. */
  warmup: number;
  /** Timed sequential cycles (one thread in flight) for p50/p95. */
  cycles: number;
  /** Threads in flight for the throughput measurement. */
  levels: number[];
  /** Seconds of the measuring window per throughput level and round. */
  durationSec: number;
  /** Upper bound of cycles per throughput level and round (ends fast systems' levels early). */
  maxCyclesPerLevel: number;
  /** Sequential cycles whose Temporal history is read (the last ones). */
  historySamples: number;
  /** Paused threads for the memory test; 0 skips it. */
  paused: number;
  /** Threads started (and later resumed) at once in the memory test. */
  pausedConcurrency: number;
  /** Sticky-cache sizes for the memory test: `default` (the SDK's) and/or numbers. */
  pausedCaches: Array<number | 'default'>;
  /** Only these scenarios: an exact id selects that one, any other entry every id containing it (`A.`, `approval`); all when empty. */
  only: string[];
  /** Folder for latest.json and latest.md. */
  outDir: string;
  /**
   * Times every throughput level is run per scenario, in alternating scenario order; a level's figures sum its
   * rounds, so slow drifts of the machine's other load fall on every scenario alike.
   */
  rounds: number;
  /** Also measure B's variants (chain by Update-with-Start, approval with pause visibility); off in --quick unless named in --only. */
  variants: boolean;
}

// A 100-in-flight level always runs at least 100 cycles per round (its ramp-up), which bounds its time on a small machine.
const FULL = {
  warmup: 10,
  cycles: 100,
  levels: [1, 20, 100],
  durationSec: 5,
  rounds: 2,
  maxCyclesPerLevel: 3000,
  historySamples: 5,
  paused: 5000,
  pausedConcurrency: 50,
  pausedCaches: [100] as Array<number | 'default'>,
  variants: true,
};

const QUICK: typeof FULL = {
  warmup: 3,
  cycles: 20,
  levels: [1, 20, 100],
  durationSec: 2,
  rounds: 1,
  maxCyclesPerLevel: 1000,
  historySamples: 3,
  paused: 200,
  pausedConcurrency: 50,
  pausedCaches: [100],
  variants: false,
};

export const USAGE = `npm run bench -- [options]

  --quick                  short run: 20 cycles, 2 s per level (1 round), 200 paused threads, no variants
  --warmup N               untimed cycles before measuring            (BENCH_WARMUP, default 10)
  --cycles N               timed sequential cycles per scenario       (BENCH_CYCLES, default 100)
  --levels 1,20,100        threads in flight for throughput            (BENCH_LEVELS)
  --duration S             seconds per throughput level and round     (BENCH_DURATION, default 5)
  --rounds N               runs of every level per scenario, in alternating order, summed (BENCH_ROUNDS, default 2)
  --max-cycles N           cap of cycles per throughput level and round (BENCH_MAX_CYCLES, default 3000)
  --history-samples N      cycles whose history is read               (BENCH_HISTORY_SAMPLES, default 5)
  --paused N               paused threads in the memory test, 0 skips (BENCH_PAUSED, default 5000)
  --paused-concurrency N   starts/resumes in flight there             (BENCH_PAUSED_CONCURRENCY, default 50)
  --paused-caches L        sticky cache sizes, e.g. default,100       (BENCH_PAUSED_CACHES, default 100)
  --only L                 scenarios by id: an exact id selects that one, anything else every id containing it,
                           e.g. A.,B.approval (B.approval without B.approval.visible) (BENCH_ONLY)
  --out DIR                where latest.json / latest.md go            (BENCH_OUT, default bench/results)
  --help`;

/** Reads flags (argv) and BENCH_* variables into a config. */
export function loadConfig(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): BenchConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      warmup: { type: 'string' },
      cycles: { type: 'string' },
      levels: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'max-cycles': { type: 'string' },
      'history-samples': { type: 'string' },
      paused: { type: 'string' },
      'paused-concurrency': { type: 'string' },
      'paused-caches': { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? env.BENCH_QUICK === '1';
  const base = quick ? QUICK : FULL;
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined);
  const int = (text: string | undefined, fallback: number, what: string, min = 0): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`${what} must be an integer ≥ ${min}, got "${text}"`);
    return n;
  };
  const list = (text: string | undefined) =>
    (text ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const overridden = [values.warmup, values.cycles, values.levels, values.duration, values.rounds, values.paused].some(
    (v) => v !== undefined,
  );
  const levelsText = pick(values.levels, 'BENCH_LEVELS');
  const cachesText = pick(values['paused-caches'], 'BENCH_PAUSED_CACHES');
  return {
    mode: overridden ? 'custom' : quick ? 'quick' : 'full',
    warmup: int(pick(values.warmup, 'BENCH_WARMUP'), base.warmup, '--warmup'),
    cycles: int(pick(values.cycles, 'BENCH_CYCLES'), base.cycles, '--cycles', 1),
    levels: levelsText ? list(levelsText).map((l) => int(l, 1, '--levels', 1)) : base.levels,
    durationSec: int(pick(values.duration, 'BENCH_DURATION'), base.durationSec, '--duration', 1),
    rounds: int(pick(values.rounds, 'BENCH_ROUNDS'), base.rounds, '--rounds', 1),
    maxCyclesPerLevel: int(pick(values['max-cycles'], 'BENCH_MAX_CYCLES'), base.maxCyclesPerLevel, '--max-cycles', 1),
    historySamples: int(
      pick(values['history-samples'], 'BENCH_HISTORY_SAMPLES'),
      base.historySamples,
      '--history-samples',
    ),
    paused: int(pick(values.paused, 'BENCH_PAUSED'), base.paused, '--paused'),
    pausedConcurrency: int(
      pick(values['paused-concurrency'], 'BENCH_PAUSED_CONCURRENCY'),
      base.pausedConcurrency,
      '--paused-concurrency',
      1,
    ),
    pausedCaches: cachesText
      ? list(cachesText).map((c) => (c === 'default' ? 'default' : int(c, 0, '--paused-caches', 0)))
      : base.pausedCaches,
    only: list(pick(values.only, 'BENCH_ONLY')),
    outDir: pick(values.out, 'BENCH_OUT') ?? 'bench/results',
    variants: base.variants,
  };
}
