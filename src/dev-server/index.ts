/**
 * A local Temporal dev server for durable-graph: `temporal server start-dev` with durable-graph's search attributes
 * and the dynamic config the engine relies on, ready when the promise resolves.
 *
 * ```ts
 * import { startDevServer } from 'durable-graph/dev-server';
 *
 * const server = await startDevServer({ ui: false });
 * console.log(`Temporal at ${server.address}, namespace ${server.namespace}`);
 * await server.stop();
 * ```
 *
 * The `temporal` executable comes from `cliPath`, `TEMPORAL_CLI_PATH` or `PATH`; with none of them it is installed
 * into the project's `.tools/` folder. How it is found or installed is not part of this API.
 * @module
 */
export { startDevServer, DevServerStartError } from './start-dev-server.js';
export type { DevServer, DevServerOptions } from './start-dev-server.js';
export { TemporalCliNotFoundError } from './find-temporal-cli.js';
export type { TemporalCliAttempt } from './find-temporal-cli.js';
