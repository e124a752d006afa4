/**
 * Readiness: the server counts as ready only when it answers and lists our search attributes in the namespace, so
 * the first Workflow that upserts them cannot race their registration. A server that exits early is reported at once.
 */
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../protocol/search-attributes.js';
import type { ExitWatch } from './server-process.js';

export interface WaitUntilReadyOptions {
  /** gRPC address to dial. */
  address: string;
  namespace: string;
  /** `Date.now()` value after which the server is not ready in time. */
  deadline: number;
  /** The caller's timeout, for the message. */
  readyTimeoutMs: number;
  exited: ExitWatch;
  /** Stops the server and throws; called while the readiness connection is still open. */
  fail: (message: string, cause?: unknown) => Promise<never>;
}

/** Resolves once the server is ready; otherwise calls `fail` (the server exited, or the deadline passed). */
export async function waitUntilReady(o: WaitUntilReadyOptions): Promise<void> {
  const { address, deadline, exited, fail } = o;
  const names = searchAttributeDefinitions.map((d) => d.name);
  let connection: Connection | undefined;
  let lastProblem: unknown;
  /** One readiness check: `undefined` when ready, otherwise what is still wrong. */
  const probe = async (): Promise<unknown> => {
    try {
      // A short connect timeout: gRPC waits out its reconnect backoff (about 1 s) after a refused connection, so a
      // fresh attempt notices the server sooner than a long one.
      connection ??= await Connection.connect({
        address,
        connectTimeout: Math.max(50, Math.min(300, deadline - Date.now())),
      });
      const ready = connection;
      const callDeadline = Math.min(deadline, Date.now() + 2_000);
      await ready.withDeadline(callDeadline, () => ready.workflowService.getSystemInfo({}));
      const { customAttributes } = await ready.withDeadline(callDeadline, () =>
        ready.operatorService.listSearchAttributes({ namespace: o.namespace }),
      );
      const missing = names.filter((name) => !(name in (customAttributes ?? {})));
      if (missing.length === 0) return undefined;
      return new Error(`search attributes ${missing.join(', ')} not visible in namespace "${o.namespace}" yet`);
    } catch (error) {
      return error ?? new Error('unknown error');
    }
  };
  const exitedMarker = Symbol('exited');
  try {
    for (;;) {
      const exit = exited.status();
      if (exit !== undefined) {
        return await fail(`The Temporal dev server exited before it was ready (${exit}).`);
      }
      if (Date.now() > deadline) {
        return await fail(
          `The Temporal dev server at ${address} was not ready within ${o.readyTimeoutMs} ms ` +
            `(last problem: ${describe(lastProblem)}). Raise readyTimeoutMs if this machine is slow.`,
          lastProblem,
        );
      }
      // Racing the exit reports a server that dies at once (bad flag, port taken) without waiting out a connect.
      const outcome = await Promise.race([probe(), exited.whenExited.then(() => exitedMarker)]);
      if (outcome === exitedMarker) continue;
      if (outcome === undefined) break;
      lastProblem = outcome;
      await exited.within(100);
    }
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (error === undefined) return 'none';
  return error instanceof Error ? error.message : String(error);
}
