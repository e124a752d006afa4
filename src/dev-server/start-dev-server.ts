/**
 * Starts `temporal server start-dev` as a child process configured the way durable-graph needs it, and waits until it
 * really serves requests.
 *
 * Why not `TestWorkflowEnvironment.createLocal()`: it downloads the CLI at run time (impossible on registry-only
 * machines), deletes a cached copy after a day, and gives the server only 5 s to come up, which flakes on a loaded CI
 * machine. Here the CLI comes from {@link findTemporalCli}, readiness waits as long as `readyTimeoutMs`, and "ready"
 * also means our search attributes are visible, so the first Workflow that upserts them cannot race their registration.
 *
 * This file fills in the defaults and retries a port race; the command line, the launch, readiness, the child process
 * and its output each have their own file beside it.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { supportsFlag } from './dev-server-args.js';
import type { DevServer, DevServerOptions } from './dev-server-options.js';
import { DevServerStartError, PortInUseError } from './dev-server-start-error.js';
import { findTemporalCli } from './find-temporal-cli.js';
import { findFreePort } from './free-port.js';
import { launchDevServer } from './launch-dev-server.js';

export type { DevServer, DevServerOptions } from './dev-server-options.js';
export { DevServerStartError };
export { devServerDynamicConfig } from './dev-server-args.js';

/** How often we retry the whole start when a port we picked was taken before the server bound it. */
const PORT_RACE_ATTEMPTS = 3;

/**
 * Starts a Temporal dev server (`temporal server start-dev`) with durable-graph's search attributes and dynamic
 * config, and resolves once it answers `GetSystemInfo` and lists both search attributes in `namespace`.
 *
 * The server is a child of this process: it is sent SIGTERM when this process exits, and (unless
 * `keepProcessAlive`) it does not keep the process alive. A Ctrl-C in a terminal reaches it too, because it stays in
 * the same process group.
 *
 * @throws {@link DevServerStartError} when the server exits early or is not ready within `readyTimeoutMs`; the
 * message includes the tail of its output. The process is killed first.
 * @throws {@link TemporalCliNotFoundError} when `cliPath` is omitted and no CLI can be found or installed.
 * @example
 * ```ts
 * const server = await startDevServer({ ui: false });
 * const connection = await Connection.connect({ address: server.address });
 * // … run Workers and Clients against server.namespace …
 * await server.stop();
 * ```
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? defaultLog;
  const cliPath = options.cliPath ?? (await findTemporalCli({ log })).path;
  const ip = options.ip ?? '127.0.0.1';
  const ui = options.ui ?? true;
  const namespace = options.namespace ?? 'default';
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const picksPorts = options.port === undefined || (ui && options.uiPort === undefined);
  if (options.dbFilename !== undefined) mkdirSync(dirname(resolve(options.dbFilename)), { recursive: true });
  if (options.logFile !== undefined) mkdirSync(dirname(resolve(options.logFile)), { recursive: true });
  const disableNewsFetch = ui && (await supportsFlag(cliPath, '--ui-disable-news-fetch'));

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(ip));
    const uiPort = ui ? (options.uiPort ?? (await findFreePort(ip, [port]))) : undefined;
    try {
      return await launchDevServer({
        ...options,
        cliPath,
        ip,
        ui,
        namespace,
        readyTimeoutMs,
        port,
        uiPort,
        disableNewsFetch,
        log,
      });
    } catch (error) {
      // Ports chosen by binding port 0 can be taken by someone else before the server binds them: pick new ones.
      if (picksPorts && attempt < PORT_RACE_ATTEMPTS && error instanceof PortInUseError) {
        log(
          `Port ${port}${uiPort === undefined ? '' : `/${uiPort}`} was taken before the dev server bound it; retrying with new ports.`,
        );
        continue;
      }
      throw error;
    }
  }
}

/**
 * Registers durable-graph's search attributes in `namespace` when they are missing, for a server you started
 * yourself (a dev server started by {@link startDevServer} already has them). The worker registers them the same way.
 */
export { ensureSearchAttributes } from '../server/search-attributes.js';

function defaultLog(line: string): void {
  console.error(`[durable-graph] ${line}`);
}
