/**
 * `durable-graph worker <module>`: hosts every compiled graph a module exports on a Temporal Worker
 * until SIGINT or SIGTERM (the Temporal Runtime turns those into a graceful shutdown).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogEntry, LogLevel } from '@temporalio/worker';
import { Option, type Command } from 'commander';
import { CompiledGraph, ServerUnreachableError } from '../../index.js';
import { DEFAULT_TASK_QUEUE } from '../../protocol/messages.js';
import type { CreateWorkerOptions } from '../../worker.js';
import { jsonLogLine } from '../json-log.js';
import { checkVersionFlags } from '../deployment-flags.js';
import { CliError, messageOf, note, print, resolveTarget, unreachable, type GlobalOptions } from '../context.js';

type AnyCompiledGraph = CreateWorkerOptions['graphs'][number];

interface WorkerOptions extends GlobalOptions {
  logLevel: LogLevel;
  logFormat: 'text' | 'json';
  deployment?: string;
  buildId?: string;
  autoUpgrade?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a Temporal Worker hosting every compiled graph exported by a module, until Ctrl-C.')
    .argument(
      '<module>',
      'path of a module exporting compiled graphs (resolved from the current directory; .ts works under tsx)',
    )
    .addOption(
      new Option('--log-level <level>', 'Temporal SDK log level')
        .choices(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
        .default('WARN'),
    )
    .addOption(
      new Option('--log-format <format>', 'text, or one JSON object a line (with threadId, graph, node, step, attempt)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--deployment <name>', 'Worker Versioning: the Worker Deployment this worker belongs to (docs/deploys.md)')
    .option('--build-id <id>', "Worker Versioning: this worker's build (with --deployment)")
    .option('--auto-upgrade', 'Worker Versioning: threads follow the current version instead of staying pinned')
    .addHelpText(
      'after',
      '\nThe worker bundles the engine Workflow at start-up (4–10 s of CPU), unless DURABLE_GRAPH_ENGINE_BUNDLE names ' +
        'a file built by `durable-graph bundle --out <file>` for this durable-graph version.',
    )
    .action(async (modulePath: string, _options: unknown, command: Command) => {
      await runWorker(modulePath, command.optsWithGlobals<WorkerOptions>());
    });
}

async function runWorker(modulePath: string, options: WorkerOptions): Promise<void> {
  if (
    (options.deployment === undefined) !== (options.buildId === undefined) ||
    (options.autoUpgrade && !options.deployment)
  )
    throw new CliError(
      'Worker Versioning needs both --deployment <name> and --build-id <id> (--auto-upgrade only with them); no worker was started.',
    );
  checkVersionFlags(options, 'no worker was started');
  const deployment = options.deployment
    ? {
        name: options.deployment,
        buildId: options.buildId!,
        ...(options.autoUpgrade ? { threads: 'auto-upgrade' as const } : {}),
      }
    : undefined;
  const graphs = collectGraphs(await importModule(modulePath), modulePath);
  // Loaded here, not at the top: the worker brings the native bridge and webpack, which the other commands never need.
  const { DefaultLogger, NativeConnection, Runtime } = await import('@temporalio/worker');
  const { createWorker } = await import('../../worker.js');
  try {
    // Keeps the terminal readable; must happen before the first native connection.
    const write = options.logFormat === 'json' ? (entry: LogEntry) => note(jsonLogLine(entry)) : undefined;
    Runtime.install({ logger: new DefaultLogger(options.logLevel, write) });
  } catch (error) {
    note(`Could not set the Temporal log level (${messageOf(error)}); using the default.`);
  }

  // Connect here rather than in createWorker so an unreachable server gets our message, not a transport error.
  const { address, namespace, connectionOptions } = resolveTarget(options);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  let connection: Awaited<ReturnType<typeof NativeConnection.connect>>;
  try {
    connection = await NativeConnection.connect(connectionOptions);
  } catch (error) {
    throw unreachable(new ServerUnreachableError(address, error));
  }
  try {
    const worker = await createWorker({
      graphs,
      connection,
      namespace,
      taskQueue,
      ...(deployment ? { deployment } : {}),
    });
    const running = worker.run();
    const names = graphs.map((g) => `"${g.name}"`).join(', ');
    print(
      `Worker hosting ${graphs.length === 1 ? 'graph' : 'graphs'} ${names} on task queue "${taskQueue}" ` +
        `(namespace "${namespace}", Temporal at ${address})` +
        (deployment ? `, build "${deployment.buildId}" of deployment "${deployment.name}"` : '') +
        '. Press Ctrl-C to stop.',
    );
    await running;
    print('Worker stopped.');
  } finally {
    await connection.close();
  }
}

/** Imports the user's module by path; a `.ts` module outside tsx gets tsx registered on demand when it is installed. */
async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  const path = resolve(process.cwd(), modulePath);
  if (!existsSync(path)) throw new CliError(`Module "${modulePath}" not found (looked for ${path}).`);
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    let tsImport: (specifier: string, parent: string) => Promise<unknown>;
    try {
      ({ tsImport } = await import('tsx/esm/api'));
    } catch {
      throw new CliError(
        `Cannot load the TypeScript module "${modulePath}": tsx is not installed. Install it (npm i -D tsx) ` +
          `or compile the module to JavaScript and pass the .js file.`,
        { cause: error },
      );
    }
    // tsImport loads the file as an ES module whatever the project's "type" (register() would require() it in a
    // CommonJS project, inside a cycle), under its own module cache.
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/** Every exported compiled graph, once each (duck-typed too: the module may use another copy of durable-graph). */
function collectGraphs(exports: Record<string, unknown>, modulePath: string): AnyCompiledGraph[] {
  const graphs = [...new Set(Object.values(exports).filter(isCompiledGraph))];
  if (graphs.length === 0) {
    const names = Object.keys(exports);
    throw new CliError(
      `Module "${modulePath}" exports no compiled graph (exports: ${names.length ? names.join(', ') : 'none'}). ` +
        'Export the result of compile(), e.g. `export const graph = new StateGraph(State)...compile({ name: "my-graph" })`.',
    );
  }
  return graphs;
}

function isCompiledGraph(value: unknown): value is AnyCompiledGraph {
  if (value instanceof CompiledGraph) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; spec?: unknown; nodes?: unknown };
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.spec === 'object' &&
    candidate.spec !== null &&
    typeof (candidate.nodes as { get?: unknown } | undefined)?.get === 'function'
  );
}
