/**
 * The `durable-graph` command line: argv → command, exit codes, `--json` output.
 *
 * Run it as `durable-graph <command>` (bin/durable-graph.mjs) or, from a checkout,
 * `node --import tsx src/cli/main.ts <command>`. Exit codes: 0 success, 1 usage or operational
 * error, 2 the resume was refused (nothing pending, a value that does not fit, or an answer already queued).
 * @module
 */
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { rebuildError } from '../client.js';
import { isDurableGraphError } from '../errors.js';
import { registerAudit } from './commands/audit.js';
import { registerBundle } from './commands/bundle.js';
import { registerCodecServer } from './commands/codec-server.js';
import { registerDev } from './commands/dev.js';
import { registerMove } from './commands/move.js';
import { registerResume } from './commands/resume.js';
import { registerRetry } from './commands/retry.js';
import { registerRewind } from './commands/rewind.js';
import { registerShow } from './commands/show.js';
import { registerThreads } from './commands/threads.js';
import { registerWorker } from './commands/worker.js';
import { cliMessageOf } from './cli-message.js';
import { DEFAULT_SERVER_OUTAGE_TIMEOUT_S, ExitCode, exitCodeOf, parseSeconds, print } from './context.js';
import { useDevServerOfFolder } from './dev-server-file.js';

/** Builds the program; every command reads the global options with `optsWithGlobals()`. */
export function createProgram(): Command {
  const program = new Command('durable-graph')
    .description('Run and operate LangGraph-style graphs on Temporal: local server, workers, paused threads.')
    .version(packageVersion(), '-V, --version')
    .option(
      '--address <host:port>',
      'Temporal server (default: TEMPORAL_ADDRESS, the Temporal config file, else localhost:7233)',
    )
    .option(
      '--namespace <name>',
      'Temporal namespace (default: TEMPORAL_NAMESPACE, the Temporal config file, else "default")',
    )
    .option('--task-queue <name>', 'task queue the graphs\' workers poll (default: "durable-graph")')
    .option(
      '--identity <name>',
      'who is acting, recorded by Temporal with each start and resume (default: "durable-graph-cli:<user>@<host>")',
    )
    .option(
      '--server-outage-timeout <seconds>',
      `how long to wait for a Temporal server that does not answer (a restart) before giving up (default: ${DEFAULT_SERVER_OUTAGE_TIMEOUT_S})`,
      parseSeconds,
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 success; 1 usage or operational error; 2 resume refused (nothing pending, a value that does not fit, or an answer already queued).',
    );
  // Before each command but `dev` and `bundle`: the dev server this folder runs, when nothing else names a server.
  program.hook('preAction', useDevServerOfFolder);
  // Registered after exitOverride() so the subcommands inherit it.
  registerDev(program);
  registerWorker(program);
  registerThreads(program);
  registerShow(program);
  registerResume(program);
  registerRetry(program);
  registerAudit(program);
  registerRewind(program);
  registerCodecServer(program);
  registerMove(program);
  registerBundle(program);
  return program;
}

/** Runs one command line (without `node` and the script) and returns the exit code; errors are printed, never thrown. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Commander has printed the message (or the help / version, with exit code 0).
      return thrown.exitCode === 0 ? ExitCode.OK : ExitCode.ERROR;
    }
    // A raw gRPC failure of a call the command made itself (a describe, a list) becomes ours as well.
    const error = rebuildError(thrown, undefined);
    const code = exitCodeOf(error);
    process.stderr.write(`error: ${cliMessageOf(error)}\n`);
    if (json) print(JSON.stringify({ error: errorJson(error), exitCode: code }, null, 2));
    return code;
  }
}

/**
 * Runs the CLI for this process: sets the exit code and makes sure a leftover handle (a gRPC channel
 * closing slowly) cannot keep the process from exiting.
 */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // `durable-graph threads | head`: the reader closed the pipe, which ends the output, not the command with a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(ExitCode.OK);
  });
  const code = await main(argv);
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}

function errorJson(error: unknown): Record<string, unknown> {
  if (isDurableGraphError(error)) {
    return {
      name: error.name,
      code: error.code,
      message: cliMessageOf(error),
      ...(error.threadId ? { threadId: error.threadId } : {}),
    };
  }
  return { name: error instanceof Error ? error.name : 'Error', message: cliMessageOf(error) };
}

function packageVersion(): string {
  try {
    // Same depth from src/cli/ and dist/cli/.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** True when this file is the process's entry point (`node --import tsx src/cli/main.ts …`), not imported by the launcher. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(resolve(entry)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli();
