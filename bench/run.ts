/**
 * `npm run bench`: starts its own Temporal dev server (headless, in memory, the same launcher as the tests), then
 * measures side by side A = durable-graph, B = a hand-written Temporal workflow, C = LangGraph.js (MemorySaver and
 * SqliteSaver), on the approval graph and a 10-node chain, and durable-graph with many paused threads. Writes
 * bench/results/latest.json and latest.md. `--help` lists the options; `--quick` is a 1-2 minute run.
 */
import { Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from 'durable-graph/dev-server';
import { loadConfig, USAGE, type BenchConfig } from './config.js';
import { describeEnvironment } from './environment.js';
import { load1, measureGroup, type ScenarioResult } from './load.js';
import { measurePaused, type PausedResult } from './paused.js';
import { computeRatios, renderMarkdown, writeReport, type BenchReport } from './report.js';
import type { Scenario } from './scenario.js';
import { durableGraphScenario, type TemporalTarget } from './scenarios/durable-graph.js';
import { LangGraphScenario } from './scenarios/langgraph.js';
import { RawTemporalScenario } from './scenarios/raw-temporal.js';

const log = (line: string) => console.log(line);

/** Two groups, measured side by side within each group. */
function groups(target: TemporalTarget): Scenario[][] {
  return [
    [
      durableGraphScenario('approval', target),
      durableGraphScenario('approval', target, { quiet: true }),
      new RawTemporalScenario('approval', target),
      new RawTemporalScenario('approval', target, 'visible'),
      new RawTemporalScenario('approval', target, 'rerun'),
      new RawTemporalScenario('approval', target, 'same'),
      new LangGraphScenario('approval', 'memory'),
      new LangGraphScenario('approval', 'sqlite'),
    ],
    [
      durableGraphScenario('chain10', target),
      durableGraphScenario('chain10', target, { local: true }),
      new RawTemporalScenario('chain10', target, 'execute'),
      new RawTemporalScenario('chain10', target, 'update-with-start'),
      new LangGraphScenario('chain10', 'memory'),
      new LangGraphScenario('chain10', 'sqlite'),
    ],
  ];
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  log(`durable-graph benchmark (${config.mode}): ${JSON.stringify({ ...config, outDir: undefined })}`);
  let server: DevServer | undefined;
  let connection: Connection | undefined;
  try {
    server = await startDevServer({ ui: false, log: (line) => log(`[dev-server] ${line}`) });
    connection = await Connection.connect({ address: server.address });
    const environment = await describeEnvironment(
      { address: server.address, cliPath: server.cliPath, args: server.args },
      connection,
    );
    const { machine: m, versions: v } = environment;
    log(`machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}/${m.arch} ${m.kernel}`);
    log(
      `versions: node ${v.node}, Temporal SDK ${v.temporalSdk}, ${v.temporalCli.replace(/\n/g, ' ')}, server ${v.temporalServer}, LangGraph.js ${v.langgraph}`,
    );
    log(`git: ${environment.git.commit}${environment.git.dirty ? ' (uncommitted changes)' : ''}`);
    const loadAtStart = load1();
    log(
      `load average (1 min): ${loadAtStart}${loadAtStart > environment.machine.cores ? ' — the machine is busy: numbers will be noisy' : ''}`,
    );

    const target: TemporalTarget = { address: server.address, namespace: server.namespace, connection };
    const results: ScenarioResult[] = [];
    const all = groups(target);
    const ids = all.flat().map((s) => s.id);
    for (const group of all) {
      const selected = group.filter((s) =>
        config.only.length === 0 ? config.variants || !isVariant(s.id) : config.only.some((o) => selects(o, s.id, ids)),
      );
      if (selected.length === 0) continue;
      log(`\n${selected[0]!.graph}: ${selected.map((s) => `${s.id} (${s.label})`).join(', ')}`);
      results.push(...(await measureGroup(selected, config, log, server.pid)));
    }

    const paused: PausedResult[] = [];
    if (
      config.paused > 0 &&
      (config.only.length === 0 || config.only.some((o) => 'paused'.includes(o) || o === 'A.'))
    ) {
      for (const cache of config.pausedCaches) {
        log(`\npaused threads: ${config.paused}, maxCachedWorkflows ${cache}`);
        paused.push(await measurePaused(target, config, cache, log));
      }
    }

    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      command: commandLine(config),
      config,
      environment,
      scenarios: results,
      ratios: computeRatios(results),
      paused,
      loadAverage: { start: loadAtStart, end: load1() },
      totalSeconds: (performance.now() - started) / 1000,
    };
    const written = writeReport(report, config.outDir);
    log(`\n${renderMarkdown(report)}`);
    log(`wrote ${written.json} and ${written.markdown}`);
  } finally {
    await connection?.close();
    await server?.stop();
  }
}

/** An `--only` entry that is a scenario id selects that scenario alone (`B.approval`, not `B.approval.visible`); any other entry, every id containing it (`A.`, `approval`). */
function selects(entry: string, id: string, ids: readonly string[]): boolean {
  return ids.includes(entry) ? id === entry : id.includes(entry);
}

/** Variants (B's chain by Update-with-Start, B's approval with pause visibility, the re-run or both, A's approval without visibility): measured unless --quick. */
function isVariant(id: string): boolean {
  return ['.uws', '.visible', '.rerun', '.same', '.quiet'].some((suffix) => id.endsWith(suffix));
}

function commandLine(config: BenchConfig): string {
  const args = process.argv.slice(2);
  if (args.length === 0 && config.mode === 'full') return 'npm run bench';
  return `npm run bench -- ${args.join(' ')}`.trim();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
