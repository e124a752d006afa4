/**
 * The server's child process: noticing that it exited (or never started), stopping it (SIGTERM, then SIGKILL), and
 * making sure no server outlives the Node.js process that started it.
 */
import type { ChildProcess } from 'node:child_process';

export interface ExitWatch {
  /** `undefined` while running, else e.g. `exit code 1` or `signal SIGTERM`. */
  status(): string | undefined;
  /** Resolves after `ms`, or earlier when the process exits. */
  within(ms: number): Promise<void>;
  /** Resolves when the process exits (or fails to start); never otherwise. */
  whenExited: Promise<void>;
}

export function watchExit(child: ChildProcess): ExitWatch {
  let status: string | undefined;
  const waiters = new Set<() => void>();
  let markExited: () => void = () => undefined;
  const whenExited = new Promise<void>((resolvePromise) => (markExited = resolvePromise));
  const done = (text: string): void => {
    status ??= text;
    markExited();
    for (const wake of waiters) wake();
    waiters.clear();
  };
  child.once('exit', (code, signal) => done(signal !== null ? `killed by signal ${signal}` : `exit code ${code}`));
  // A spawn failure (ENOENT, EACCES) arrives as 'error' without an 'exit'.
  child.once('error', (error) => done(`could not start: ${error.message}`));
  return {
    status: () => status,
    whenExited,
    within: (ms) =>
      new Promise<void>((resolvePromise) => {
        if (status !== undefined) return resolvePromise();
        // This timer is ref'd on purpose: it keeps the event loop alive while someone awaits the child's exit.
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolvePromise();
        }, ms);
        const wake = (): void => {
          clearTimeout(timer);
          resolvePromise();
        };
        waiters.add(wake);
      }),
  };
}

export async function terminate(child: ChildProcess, exited: ExitWatch, graceMs: number): Promise<void> {
  if (exited.status() === undefined) {
    child.kill('SIGTERM');
    await exited.within(graceMs);
  }
  if (exited.status() === undefined) {
    child.kill('SIGKILL');
    await exited.within(5_000);
  }
  untrackChild(child);
}

/** Children still running; one shared 'exit' listener kills them all (one listener per server would trip MaxListeners). */
const liveChildren = new Set<ChildProcess>();

function killLiveChildren(): void {
  // Only synchronous work is possible in an 'exit' handler, so we cannot wait for a graceful shutdown here; SIGTERM
  // still lets the server close SQLite cleanly after we are gone.
  for (const child of liveChildren) {
    try {
      child.kill('SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

export function trackChild(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on('exit', killLiveChildren);
  liveChildren.add(child);
  child.once('exit', () => untrackChild(child));
}

function untrackChild(child: ChildProcess): void {
  if (!liveChildren.delete(child)) return;
  if (liveChildren.size === 0) process.off('exit', killLiveChildren);
}
