/**
 * Turns the measurements into bench/results/latest.json and a Markdown report (latest.md), and prints the tables.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './config.js';
import type { Environment } from './environment.js';
import { LEVEL_SETTLE_MS, SETTLE_MS, type ScenarioResult } from './load.js';
import type { PausedResult } from './paused.js';
import type { GraphKind } from './scenario.js';
import { mib, ratio, round } from './stats.js';

export interface Ratio {
  graph: GraphKind;
  /** `A/B`, `A/B (Update-with-Start)`, `A/B (pause visibility)`, `A/C MemorySaver`, `A/C SqliteSaver`. */
  name: string;
  against: string;
  latencyP50: number;
  latencyP95: number;
  /** Throughput ratio per level (A / other; above 1 = A is faster). */
  throughput: Record<string, number>;
  /** With `--rounds` above 1: the ratio in each round (A's and the other's rounds ran a few seconds apart). */
  throughputRounds?: Record<string, number[]>;
  events?: number;
  bytes?: number;
}

export interface BenchReport {
  generatedAt: string;
  command: string;
  config: BenchConfig;
  environment: Environment;
  scenarios: ScenarioResult[];
  ratios: Ratio[];
  paused: PausedResult[];
  /** 1-minute load average of the machine at the start and the end of the run. */
  loadAverage: { start: number; end: number };
  totalSeconds: number;
}

/** A/B, A/B's variants (chain by Update-with-Start, approval with pause visibility), A/C for each graph that has both sides. */
export function computeRatios(scenarios: readonly ScenarioResult[]): Ratio[] {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const ratios: Ratio[] = [];
  // A's variants (e.g. A.chain10.local, nodes as local Activities) are compared with the same B and C.
  const variants = scenarios
    .filter((s) => s.id.startsWith('A.'))
    .map((s) => [s.graph, s.id, s.id.slice(2 + s.graph.length)] as const);
  for (const [graph, aId, suffix] of variants) {
    const a = byId.get(aId);
    if (!a) continue;
    const others: Array<[string, string]> = [
      ['A/B', `B.${graph}`],
      ['A/B (Update-with-Start)', `B.${graph}.uws`],
      ['A/B (pause visibility)', `B.${graph}.visible`],
      ['A/B (re-run)', `B.${graph}.rerun`],
      ['A/B (visibility + re-run)', `B.${graph}.same`],
      ['A/C MemorySaver', `C.${graph}.memory`],
      ['A/C SqliteSaver', `C.${graph}.sqlite`],
    ];
    for (const [name, id] of others) {
      const other = byId.get(id);
      if (!other) continue;
      const throughput: Record<string, number> = {};
      const throughputRounds: Record<string, number[]> = {};
      for (const level of a.throughput) {
        const match = other.throughput.find((t) => t.inFlight === level.inFlight);
        throughput[String(level.inFlight)] = round(ratio(level.cyclesPerSec, match?.cyclesPerSec), 3);
        const [mine, theirs] = [level.roundsCyclesPerSec, match?.roundsCyclesPerSec];
        if (mine && theirs && mine.length === theirs.length)
          throughputRounds[String(level.inFlight)] = mine.map((r, i) => round(ratio(r, theirs[i]), 2));
      }
      const entry: Ratio = {
        graph,
        name: suffix ? name.replace(/^A/, `A${suffix}`) : name,
        against: id,
        latencyP50: round(ratio(a.latency.p50, other.latency.p50), 3),
        latencyP95: round(ratio(a.latency.p95, other.latency.p95), 3),
        throughput,
        ...(Object.keys(throughputRounds).length ? { throughputRounds } : {}),
      };
      if (a.history && other.history) {
        entry.events = round(ratio(a.history.eventsPerCycle, other.history.eventsPerCycle), 3);
        entry.bytes = round(ratio(a.history.bytesPerCycle, other.history.bytesPerCycle), 3);
      }
      ratios.push(entry);
    }
  }
  return ratios;
}

const fmt = (value: number | undefined, digits = 1): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);

/** The Markdown report. */
export function renderMarkdown(report: BenchReport): string {
  const { environment: env, config } = report;
  const levels = config.levels;
  const lines: string[] = [];
  lines.push(
    '# durable-graph benchmark',
    '',
    `Produced by \`${report.command}\` (${config.mode} mode) on ${report.generatedAt}, in ${Math.round(report.totalSeconds)} s.`,
    '',
    `- Machine: ${env.machine.cores} cores (${env.machine.cpuModel}), ${env.machine.memoryGiB} GiB, ${env.machine.platform}/${env.machine.arch} ${env.machine.kernel}`,
    `- Node ${env.versions.node}; Temporal SDK ${env.versions.temporalSdk}; ${env.versions.temporalCli.replace(/\n/g, ' ')}; server ${env.versions.temporalServer} (dev server, in-memory SQLite, same machine)`,
    `- LangGraph.js ${env.versions.langgraph}, @langchain/core ${env.versions.langchainCore}, checkpoint-sqlite ${env.versions.checkpointSqlite}, better-sqlite3 ${env.versions.betterSqlite3}`,
    `- durable-graph ${env.versions.durableGraph}, commit ${env.git.commit.slice(0, 12)}${env.git.dirty ? ' (with uncommitted changes)' : ''}`,
    `- Load average (1 min) at start / end: ${report.loadAverage.start} / ${report.loadAverage.end}` +
      (Math.max(report.loadAverage.start, report.loadAverage.end) > env.machine.cores
        ? ` — above the core count: other processes shared the machine, compare rows only within this run`
        : ''),
    `- Settings: ${config.warmup} warm-up + ${config.cycles} sequential cycles per scenario; throughput levels ${levels.join('/')} threads in flight, ` +
      `steady state over ${config.durationSec} s (at least twice the ramp-up of as many cycles as threads in flight) or ${config.maxCyclesPerLevel} cycles per level and round, the tail uncounted; cycles/s = threads in flight / mean cycle latency (Little's law)` +
      `${config.rounds > 1 ? `, ${config.rounds} rounds per level pooled (each round's cycles/s, and A/B per round, in brackets)` : ''}; history of the last ${config.historySamples} sequential cycles. ` +
      `Scenarios of one graph are measured side by side: sequential cycles interleaved round-robin (${SETTLE_MS} ms apart), each throughput level run for every scenario before the next (every other pass in reverse scenario order, ${LEVEL_SETTLE_MS / 1000} s apart).`,
    '',
    'A = durable-graph (GraphClient.invoke; worker from createWorker), B = the same graph hand-written as a Temporal workflow ' +
      '(bench/raw/workflows.ts), C = LangGraph.js in process. One approval cycle = invoke until the interrupt, then ' +
      'invoke(Command({ resume: true })) until END; one chain cycle = invoke until END (10 nodes). Temporal workers run in ' +
      'their own process (RSS = that process); LangGraph runs in the bench process (RSS = bench process).',
    '',
    '## Per scenario',
    '',
    `| scenario | what | p50 ms | p95 ms | phases p50 ms | ${levels.map((l) => `cycles/s @${l}`).join(' | ')} | events/cycle | history bytes/cycle | RSS MB start → end (peak) |`,
    `| --- | --- | ---: | ---: | ---: | ${levels.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
  );
  for (const s of report.scenarios) {
    const thr = levels.map((l) => {
      const t = s.throughput.find((x) => x.inFlight === l);
      return t
        ? `${fmt(t.cyclesPerSec)}${t.roundsCyclesPerSec ? ` [${t.roundsCyclesPerSec.map((r) => fmt(r)).join(', ')}]` : ''}${t.errors ? `, ${t.errors} err` : ''}`
        : '–';
    });
    const mem = s.memory;
    lines.push(
      `| ${s.id} | ${s.label} | ${fmt(s.latency.p50)} | ${fmt(s.latency.p95)} | ${s.phasesP50.map((p) => fmt(p)).join(' + ')} | ${thr.join(' | ')} | ` +
        `${s.history ? fmt(s.history.eventsPerCycle, 0) : '–'} | ${s.history ? fmt(s.history.bytesPerCycle, 0) : '–'} | ` +
        `${mib(mem.start.rss)} → ${mib(mem.end.rss)} (${mib(mem.end.peakRss)})${mem.source === 'bench process' ? ' ¹' : ''} |`,
    );
  }
  lines.push('', '¹ bench process (LangGraph runs in process; includes the benchmark client).', '');

  lines.push(
    '## Ratios',
    '',
    'A divided by the other system. Latency: below 1 = A is faster. Throughput: above 1 = A is faster. ' +
      'Targets (issue 4): A/B latency ≤ 1.10, A/B throughput ≥ 0.90.',
    '',
    `| graph | ratio | latency p50 | latency p95 | ${levels.map((l) => `throughput @${l}`).join(' | ')} | events | history bytes |`,
    `| --- | --- | ---: | ---: | ${levels.map(() => '---:').join(' | ')} | ---: | ---: |`,
  );
  for (const r of report.ratios) {
    lines.push(
      `| ${r.graph} | ${r.name} | ${fmt(r.latencyP50, 2)} | ${fmt(r.latencyP95, 2)} | ${levels.map((l) => `${fmt(r.throughput[String(l)], 2)}${r.throughputRounds?.[String(l)] ? ` [${r.throughputRounds[String(l)]!.map((x) => fmt(x, 2)).join(', ')}]` : ''}`).join(' | ')} | ` +
        `${fmt(r.events, 2)} | ${fmt(r.bytes, 2)} |`,
    );
  }
  lines.push('');

  const temporal = report.scenarios.filter((s) => s.history);
  if (temporal.length) {
    const types = [...new Set(temporal.flatMap((s) => Object.keys(s.history!.example.eventTypes)))].sort();
    lines.push(
      '## History events of one cycle, by type',
      '',
      'Count (payload bytes) of each event type in one sampled cycle.',
      '',
      `| event type | ${temporal.map((s) => s.id).join(' | ')} |`,
      `| --- | ${temporal.map(() => '---:').join(' | ')} |`,
    );
    for (const type of types) {
      lines.push(
        `| ${type} | ${temporal
          .map((s) => {
            const count = s.history!.example.eventTypes[type];
            return count ? `${count} (${s.history!.example.payloadBytesByType[type] ?? 0})` : '–';
          })
          .join(' | ')} |`,
      );
    }
    lines.push(
      `| **total** | ${temporal.map((s) => `**${s.history!.example.events}** (${s.history!.example.bytes} B)`).join(' | ')} |`,
      '',
    );
  }

  lines.push(
    '## CPU per cycle',
    '',
    'CPU ms (user + system) per completed cycle over each whole throughput level (ramp-up and tail included), net of each process’s idle CPU, in the process that runs the graph ' +
      '(Temporal worker process; for LangGraph the bench process), the Temporal dev server and the client (bench ' +
      'process). CPU time depends far less on other load on the machine than latency does. With several rounds, ' +
      'each round’s worker and server CPU in brackets.',
    '',
    `| scenario | ${levels.map((l) => `@${l}: worker / server / client`).join(' | ')} |`,
    `| --- | ${levels.map(() => '---:').join(' | ')} |`,
  );
  for (const s of report.scenarios) {
    const cells = levels.map((l) => {
      const level = s.throughput.find((x) => x.inFlight === l);
      const c = level?.cpuPerCycleMs;
      if (!c) return '–';
      const rounds = (key: 'worker' | 'server') =>
        level.roundsCpuPerCycleMs
          ? ` [${level.roundsCpuPerCycleMs.map((r) => fmt(r[key] ?? Number.NaN, 1)).join(', ')}]`
          : '';
      return c.server === undefined
        ? `${fmt(c.worker, 2)}${rounds('worker')} (in process)`
        : `${fmt(c.worker, 2)}${rounds('worker')} / ${fmt(c.server, 2)}${rounds('server')} / ${fmt(c.client, 2)}`;
    });
    lines.push(`| ${s.id} | ${cells.join(' | ')} |`);
  }
  lines.push('');

  if (temporal.length) {
    lines.push(
      '## Where a sequential cycle spends its time (server event timestamps)',
      '',
      'Mean over the sampled cycles, ms per cycle. WFT = Workflow Task; queue = Scheduled→Started (waiting for a ' +
        'worker poll), run = Started→Completed (on the worker, incl. the round trip of the completion). First→last event ' +
        'covers the whole cycle on the server; the rest of the client-measured latency is client and RPC time.',
      '',
      '| scenario | client p50 | first→last event | WFT queue | WFT run | activity queue | activity run | WFTs | activities |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const s of temporal) {
      const t = s.history!.timingMs;
      const types = s.history!.example.eventTypes;
      lines.push(
        `| ${s.id} | ${fmt(s.latency.p50)} | ${fmt(t.total)} | ${fmt(t.wftQueue)} | ${fmt(t.wftRun)} | ${fmt(t.activityQueue)} | ${fmt(t.activityRun)} | ` +
          `${types.WorkflowTaskCompleted ?? 0} | ${types.ActivityTaskScheduled ?? 0} |`,
      );
    }
    lines.push('');
  }

  if (report.paused.length) {
    lines.push(
      '## Many paused threads (durable-graph)',
      '',
      'N approval threads paused at the interrupt on a fresh worker process (after 20 sequential and 200 concurrent warm-up cycles); worker memory after a GC. ' +
        '"Cache full" is after the first 2 × maxCachedWorkflows threads paused; "KB/thread beyond" is the RSS growth from there to all N, per thread: what a paused thread evicted from the sticky cache keeps.',
      '',
      '| threads | maxCachedWorkflows | RSS before MB | RSS cache full MB | RSS paused MB (peak) | RSS growth MB (KB/thread) | KB/thread beyond the cache | heap growth MB | pause all s (threads/s) | resume all s (threads/s) | RSS after resume MB | errors |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const p of report.paused) {
      lines.push(
        `| ${p.threads} | ${p.cache === 'default' ? `default (${p.maxCachedWorkflows})` : p.maxCachedWorkflows} | ${mib(p.before.rss)} | ${p.cacheFill ? mib(p.cacheFill.sample.rss) : '–'} | ` +
          `${mib(p.paused.rss)} (${mib(p.paused.peakRss)}) | ${mib(p.rssGrowth)} (${fmt(p.rssGrowth / 1024 / p.threads, 0)}) | ${p.cacheFill ? fmt(p.cacheFill.rssPerThreadBeyond / 1024, 1) : '–'} | ${mib(p.heapGrowth)} | ` +
          `${fmt(p.pauseAllSeconds)} (${fmt(p.threads / p.pauseAllSeconds, 0)}) | ${fmt(p.resumeAllSeconds)} (${fmt(p.threads / p.resumeAllSeconds, 0)}) | ` +
          `${mib(p.resumed.rss)} | ${p.pauseErrors + p.resumeErrors + p.warmupErrors} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes latest.json and latest.md into `outDir`; returns their paths. */
export function writeReport(report: BenchReport, outDir: string): { json: string; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'latest.json');
  const markdown = join(outDir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}
