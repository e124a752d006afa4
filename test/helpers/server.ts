/**
 * The Temporal server integration tests talk to.
 *
 * `npm test` (scripts/run-tests.ts) starts one dev server for the whole run and passes it down as `TEMPORAL_ADDRESS` /
 * `TEMPORAL_NAMESPACE`. When a test file is run on its own (`node --conditions=durable-graph-source --import tsx --test
 * test/integration/x.int.test.ts`), this starts a headless in-memory dev server for that process instead, once, and the
 * server is stopped when the process exits.
 *
 * It never skips: with no CLI to be found or installed, the finder's error (which says how to get one) fails the test.
 */
import { startDevServer } from '../../src/dev-server/index.js';

/** Where a test should connect. */
export interface TestServer {
  /** gRPC address, e.g. `127.0.0.1:7233`. */
  address: string;
  /** Namespace that has durable-graph's search attributes. */
  namespace: string;
}

let started: Promise<TestServer> | undefined;

/**
 * Returns the server to test against: `TEMPORAL_ADDRESS` (+ `TEMPORAL_NAMESPACE`, default `default`) when set,
 * otherwise a dev server started for this process (the same one on every call).
 *
 * @throws {@link TemporalCliNotFoundError} or {@link DevServerStartError} when no server can be started.
 */
export function getTestServer(): Promise<TestServer> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (address !== undefined && address !== '') {
    return Promise.resolve({ address, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
  }
  // A rejection stays cached too: every test in the file fails with the same message instead of retrying an install.
  // startDevServer stops the server when this process exits and does not keep the process alive on its own.
  started ??= startDevServer({ ui: false }).then((server) => ({
    address: server.address,
    namespace: server.namespace,
  }));
  return started;
}
