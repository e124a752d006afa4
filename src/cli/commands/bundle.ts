/**
 * `durable-graph bundle --out <file>`: builds the engine Workflow bundle once (as every worker otherwise does at
 * start-up), for workers to load through DURABLE_GRAPH_ENGINE_BUNDLE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, messageOf, print, type GlobalOptions } from '../context.js';

interface BundleCliOptions extends GlobalOptions {
  out: string;
  telemetry?: boolean;
}

/** The variable workers read the bundle's path from (ENGINE_BUNDLE_ENV in durable-graph/worker). */
const ENV = 'DURABLE_GRAPH_ENGINE_BUNDLE';

export function registerBundle(program: Command): void {
  program
    .command('bundle')
    .description(
      `Build the engine Workflow bundle into a file, so workers start without bundling it (set ${ENV} to the file).`,
    )
    .requiredOption('--out <file>', 'file to write (its folder is created)')
    .option('--telemetry', 'for workers with telemetry on (createWorker({ telemetry })): with the trace interceptors')
    .addHelpText(
      'after',
      `\nA worker (createWorker() or \`durable-graph worker\`) loads the file named by ${ENV} instead of bundling ` +
        'the engine at start-up (4–10 s of CPU). It refuses a bundle built by another durable-graph version, engine ' +
        'level or @temporalio/workflow version: build it again in each release, e.g. in the Docker image.\n\n' +
        `Example:\n  durable-graph bundle --out dist/engine-bundle.js\n  ${ENV}=dist/engine-bundle.js durable-graph worker ./graph.js`,
    )
    .action(async (_options: unknown, command: Command) => {
      await runBundle(command.optsWithGlobals<BundleCliOptions>());
    });
}

async function runBundle(options: BundleCliOptions): Promise<void> {
  const out = resolve(options.out);
  // The folder first: a bad --out is reported before the seconds of bundling, not after.
  writeOut(out, () => mkdirSync(dirname(out), { recursive: true }));
  // Loaded here, not at the top: webpack and the native bridge are for this command and `worker` only.
  const { bundleEngine } = await import('../../worker.js');
  const telemetry = options.telemetry ?? false;
  const { code } = await bundleEngine({ telemetry });
  writeOut(out, () => writeFileSync(out, code));
  print(
    `Wrote the engine bundle (${(code.length / 1024 / 1024).toFixed(1)} MB, telemetry ${telemetry ? 'on' : 'off'}) ` +
      `to ${out}. Start workers with ${ENV}=${out}.`,
  );
}

function writeOut(out: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw new CliError(`Could not write the engine bundle to ${out} (${messageOf(error)}); choose another --out.`, {
      cause: error,
    });
  }
}
