/**
 * Issue 4, part 2: memory with many paused threads. Pauses N approval threads on a fresh durable-graph worker
 * process, samples the worker's memory before and after (after a GC), then resumes them all and times it.
 */
import type { BenchConfig } from './config.js';
import { pool, threadIds, withTimeout } from './load.js';
import { DurableGraphScenario, type TemporalTarget } from './scenarios/durable-graph.js';
import type { MemorySample } from './worker-protocol.js';

export interface PausedResult {
  threads: number;
  concurrency: number;
  /** The worker's sticky cache size, as requested (`default`) and as the SDK resolved it. */
  cache: number | 'default';
  maxCachedWorkflows: number | undefined;
  /** Worker memory after warm-up (GC), after all threads paused (GC; peak = highest during the pauses), after all resumed. */
  before: MemorySample;
  paused: MemorySample;
  resumed: MemorySample;
  /** paused.rss - before.rss, bytes. */
  rssGrowth: number;
  heapGrowth: number;
  /**
   * Memory once the first `cacheFill.threads` threads had paused (twice the sticky cache, so the cache is full;
   * GC), and the RSS growth from there to all paused, per thread beyond the cache: what an evicted paused thread
   * keeps. Absent when N is not larger than that first batch.
   */
  cacheFill?: { threads: number; sample: MemorySample; rssPerThreadBeyond: number };
  pauseAllSeconds: number;
  resumeAllSeconds: number;
  pauseErrors: number;
  /** Failed cycles of the concurrent warm-up (the run goes on; the report counts them with the errors). */
  warmupErrors: number;
  resumeErrors: number;
  firstError?: string;
}

const WARMUP_CYCLES = 20;
/**
 * Full cycles run at the benchmark's concurrency before the baseline sample, so that the baseline already has what
 * any worker under that load holds (V8 heap sized for it, the native allocator's arenas for concurrent
 * activations and Activities) and the growth counts what paused threads hold.
 */
const CONCURRENT_WARMUP_CYCLES = 200;

export async function measurePaused(
  target: TemporalTarget,
  config: BenchConfig,
  cache: number | 'default',
  log: (line: string) => void,
): Promise<PausedResult> {
  const scenario = new DurableGraphScenario('approval', target, {
    tag: `paused-cache-${cache}`,
    ...(cache === 'default' ? {} : { maxCachedWorkflows: cache }),
  });
  await scenario.setup();
  try {
    const nextId = threadIds(`bench-paused-${cache}`);
    for (let i = 0; i < WARMUP_CYCLES; i++) await scenario.cycle(nextId());
    const warm = await pool(Array.from({ length: CONCURRENT_WARMUP_CYCLES }, nextId), config.pausedConcurrency, (id) =>
      withTimeout(scenario.cycle(id), 120_000, `warm-up cycle ${id}`),
    );
    if (warm.errors)
      log(
        `  warm-up: ${warm.errors} of ${CONCURRENT_WARMUP_CYCLES} cycles failed (counted in the errors column), first: ${warm.firstError}`,
      );
    const before = await scenario.memory({ gc: true, resetPeak: true });
    const ids = Array.from({ length: config.paused }, nextId);
    const cacheBound = scenario.facts().maxCachedWorkflows as number | undefined;
    const firstBatch = cacheBound === undefined ? ids.length : Math.min(ids.length, 2 * cacheBound);

    // Timed batch by batch, so that the memory sample between them is not in the pause time.
    const pause = async (batch: string[]) => {
      const t0 = performance.now();
      const result = await pool(batch, config.pausedConcurrency, (id) =>
        withTimeout(scenario.pause(id), 120_000, `pause ${id}`),
      );
      return { ...result, seconds: (performance.now() - t0) / 1000 };
    };
    const first = await pause(ids.slice(0, firstBatch));
    const atCacheFill = firstBatch < ids.length ? await scenario.memory({ gc: true }) : undefined;
    const rest = await pause(ids.slice(firstBatch));
    const pauseAllSeconds = first.seconds + rest.seconds;
    const paused = { errors: first.errors + rest.errors, firstError: first.firstError ?? rest.firstError };
    const afterPause = await scenario.memory({ gc: true, resetPeak: true });
    // Only when every pause of the first batch finished (a timed-out one may still pause later, after the sample),
    // and per pause that succeeded.
    const pausedBeyond = ids.length - firstBatch - rest.errors;
    const cacheFill =
      atCacheFill && first.errors === 0 && pausedBeyond > 0
        ? {
            threads: firstBatch,
            sample: atCacheFill,
            rssPerThreadBeyond: (afterPause.rss - atCacheFill.rss) / pausedBeyond,
          }
        : undefined;
    log(
      `  ${ids.length} paused in ${pauseAllSeconds.toFixed(1)} s; worker RSS ${mb(before.rss)} → ${mb(afterPause.rss)} MB ` +
        `(peak ${mb(afterPause.peakRss)}), heap ${mb(before.heapUsed)} → ${mb(afterPause.heapUsed)} MB` +
        (cacheFill
          ? `; ${mb(cacheFill.sample.rss)} MB after the first ${firstBatch} (cache full): ${(cacheFill.rssPerThreadBeyond / 1024).toFixed(1)} KB per thread beyond`
          : ''),
    );

    const t1 = performance.now();
    const resumed = await pool(ids, config.pausedConcurrency, (id) =>
      withTimeout(scenario.resume(id), 120_000, `resume ${id}`),
    );
    const resumeAllSeconds = (performance.now() - t1) / 1000;
    const afterResume = await scenario.memory({ gc: true });
    log(`  all resumed in ${resumeAllSeconds.toFixed(1)} s; worker RSS ${mb(afterResume.rss)} MB`);
    const firstError = warm.firstError ?? paused.firstError ?? resumed.firstError;
    return {
      threads: ids.length,
      concurrency: config.pausedConcurrency,
      cache,
      maxCachedWorkflows: scenario.facts().maxCachedWorkflows as number | undefined,
      before,
      paused: afterPause,
      resumed: afterResume,
      rssGrowth: afterPause.rss - before.rss,
      heapGrowth: afterPause.heapUsed - before.heapUsed,
      ...(cacheFill ? { cacheFill } : {}),
      pauseAllSeconds,
      resumeAllSeconds,
      pauseErrors: paused.errors,
      warmupErrors: warm.errors,
      resumeErrors: resumed.errors,
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    await scenario.teardown();
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}
