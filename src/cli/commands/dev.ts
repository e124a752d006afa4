/**
 * `durable-graph dev`: a local Temporal dev server (`temporal server start-dev` through
 * startDevServer) with durable-graph's search attributes, state kept in `./.data/temporal.db` and the
 * Web UI on, until Ctrl-C.
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startDevServer, type DevServer } from '../../dev-server/index.js';
import {
  CliError,
  ExitCode,
  messageOf,
  note,
  parsePort,
  print,
  resolveTarget,
  type GlobalOptions,
} from '../context.js';
import { DEV_SERVER_FILE, isAlive, removeDevServerFile, writeDevServerFile } from '../dev-server-file.js';

interface DevOptions extends GlobalOptions {
  port: number;
  uiPort: number;
  ip: string;
  db: string;
  logFile: string;
  headless?: boolean;
  uiCodecEndpoint?: string;
}

/** How often we check that the server process is still alive. */
const WATCH_INTERVAL_MS = 1_000;

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('Run a local Temporal dev server for durable-graph (state kept on disk, Web UI on) until Ctrl-C.')
    .option('--port <port>', 'gRPC port; when the default is taken, a free port is used', parsePort, 7233)
    .option('--ui-port <port>', 'Web UI port; when the default is taken, a free port is used', parsePort, 8233)
    .option('--ip <ip>', 'address to bind', '127.0.0.1')
    .option('--db <file>', 'SQLite file keeping threads across restarts', '.data/temporal.db')
    .option('--log-file <file>', "file receiving the server's output", '.data/temporal.log')
    .option('--headless', 'no Web UI (starts faster)')
    .option(
      '--ui-codec-endpoint <url>',
      'codec server the Web UI decodes encrypted payloads with (e.g. http://127.0.0.1:8888 of `durable-graph codec-server`)',
    )
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<DevOptions>();
      const explicit = (name: string) => command.getOptionValueSource(name) === 'cli';
      await runDev(options, { port: explicit('port'), uiPort: explicit('uiPort') });
    });
}

async function runDev(options: DevOptions, explicit: { port: boolean; uiPort: boolean }): Promise<void> {
  const ui = !options.headless;
  const notes: string[] = [];
  const port = await choosePort(options.ip, options.port, explicit.port, '--port', notes);
  const uiPort = ui ? await choosePort(options.ip, options.uiPort, explicit.uiPort, '--ui-port', notes) : undefined;
  const { namespace } = resolveTarget(options);
  const db = resolve(options.db);
  const logFile = resolve(options.logFile);

  const server = await startDevServer({
    ip: options.ip,
    ...(port === undefined ? {} : { port }),
    ...(uiPort === undefined ? {} : { uiPort }),
    ui,
    namespace,
    dbFilename: db,
    logFile,
    keepProcessAlive: true,
    ...(options.uiCodecEndpoint ? { extraArgs: ['--ui-codec-endpoint', options.uiCodecEndpoint] } : {}),
    log: (line) => note(`[durable-graph] ${line}`),
  });

  // Later commands in this folder find the server here, even on a port other than the default.
  const folder = process.cwd();
  writeDevServerFile(folder, {
    address: server.address,
    namespace,
    uiUrl: server.uiUrl ?? null,
    pid: server.pid,
    startedAt: new Date().toISOString(),
  });
  const forget = () => removeDevServerFile(folder, server.pid);
  process.once('exit', forget);

  const flags = [`--address ${server.address}`, ...(namespace === 'default' ? [] : [`--namespace ${namespace}`])].join(
    ' ',
  );
  print(
    [
      ...notes,
      'Temporal dev server is running.',
      `  Address    ${server.address}`,
      `  Namespace  ${namespace}`,
      `  Web UI     ${server.uiUrl ?? 'off (--headless)'}`,
      `  State      ${db} (kept across restarts)`,
      `  Log        ${logFile}`,
      '',
      `durable-graph commands run in this folder use it (recorded in ${DEV_SERVER_FILE} while it runs):`,
      '  durable-graph worker ./graph.ts',
      '  durable-graph threads',
      'Point other shells, the temporal CLI and your code at it:',
      `  export TEMPORAL_ADDRESS=${server.address}${namespace === 'default' ? '' : ` TEMPORAL_NAMESPACE=${namespace}`}`,
      `or pass ${flags}; in code: GraphClient.connect({ address: '${server.address}' }),`,
      `createWorker({ graphs, address: '${server.address}' }).`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  try {
    await untilStopped(server, logFile);
  } finally {
    forget();
  }
}

/** Resolves on SIGINT/SIGTERM once the server has stopped; rejects if the server dies on its own. */
function untilStopped(server: DevServer, logFile: string): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    let stopping = false;
    const done = () => {
      clearInterval(watch);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        note(`Second ${signal}: leaving now; the server (pid ${server.pid}) gets SIGTERM as this process exits.`);
        process.exit(ExitCode.ERROR);
      }
      stopping = true;
      note('Stopping the Temporal dev server…');
      server.stop().then(
        () => {
          done();
          print('Temporal dev server stopped.');
          resolvePromise();
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    };
    const watch = setInterval(() => {
      if (stopping || isAlive(server.pid)) return;
      done();
      reject(new CliError(`The Temporal dev server (pid ${server.pid}) exited on its own; see its log: ${logFile}`));
    }, WATCH_INTERVAL_MS);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * The wanted port when it is free. A default that is taken gives undefined (startDevServer then
 * picks a free one) and a note; a port given on the command line must be free.
 */
async function choosePort(
  ip: string,
  wanted: number,
  explicit: boolean,
  flag: string,
  notes: string[],
): Promise<number | undefined> {
  if (wanted === 0) return undefined;
  const problem = await portProblem(ip, wanted);
  if (problem === undefined) return wanted;
  if (explicit)
    throw new CliError(
      `Port ${wanted} (${flag}) on ${ip} is not available: ${problem}. Choose another one, or omit ${flag} to use a free port.`,
    );
  notes.push(`Port ${wanted} is taken (${problem}); using a free port instead (${flag} to choose).`);
  return undefined;
}

/** Undefined when `port` can be bound on `ip`, else why not. */
function portProblem(ip: string, port: number): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code ?? messageOf(error)));
    probe.listen(port, ip, () => probe.close(() => resolvePromise(undefined)));
  });
}
