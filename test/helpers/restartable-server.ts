/**
 * A Temporal dev server of one test file's own, on a database file, that the test kills (SIGKILL, as a crash) and
 * starts again on the same port and database: an outage the clients and workers connected to it have to live through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../src/dev-server/index.js';

export interface RestartableServer {
  /** gRPC address; the same after a restart. */
  readonly address: string;
  readonly namespace: string;
  /** Kills the server process (SIGKILL) and resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and database file; resolves once it serves requests. */
  restart(): Promise<void>;
  /** Stops the server and removes its database. */
  stop(): Promise<void>;
}

/** Starts a headless dev server on a fresh database file. */
export async function startRestartableServer(): Promise<RestartableServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dg-outage-'));
  const dbFilename = join(dir, 'temporal.db');
  let server: DevServer = await startDevServer({ dbFilename, ui: false, log: () => {} });
  const { address, namespace, port } = server;
  return {
    address,
    namespace,
    async kill() {
      process.kill(server.pid, 'SIGKILL');
      await server.stop();
    },
    async restart() {
      server = await startDevServer({ dbFilename, port, ui: false, log: () => {} });
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
