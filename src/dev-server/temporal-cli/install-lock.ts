/**
 * One install at a time per `.tools/` folder: parallel test processes that all find no CLI wait for the first one's
 * install instead of writing into the same folder.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

/** Gives up waiting for another process's install after this long (a go build on a slow machine fits well inside). */
const LOCK_WAIT_MS = 20 * 60_000;
/** A lock folder without an owner file older than this was left by a process that died right after `mkdir`. */
const OWNERLESS_LOCK_STALE_MS = 60_000;

/**
 * Runs `fn` while holding `<toolsDir>/.install.lock`. `mkdir` is atomic, so exactly one process gets the folder;
 * the others poll. A lock whose owner process is gone (same host, pid not alive) is removed, so a crashed install does
 * not block later runs for good.
 */
export async function withInstallLock<T>(
  toolsDir: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  mkdirSync(toolsDir, { recursive: true });
  const lockDir = join(toolsDir, '.install.lock');
  const ownerFile = join(lockDir, 'owner.json');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announcedWait = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: Date.now() };
      writeFileSync(ownerFile, JSON.stringify(owner));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const ownerText = readTextOrUndefined(ownerFile);
    const staleReason = lockStaleReason(lockDir, ownerText);
    if (staleReason !== undefined) {
      // Re-read right before removing, so we do not remove a lock a third process has just taken over.
      if (readTextOrUndefined(ownerFile) === ownerText) {
        log(`Removing a stale Temporal CLI install lock (${staleReason}): ${lockDir}`);
        rmSync(lockDir, { recursive: true, force: true });
      }
      continue;
    }
    if (!announcedWait) {
      announcedWait = true;
      log(`Another process is installing the Temporal CLI (lock ${lockDir}); waiting for it to finish…`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${LOCK_WAIT_MS / 60_000} minutes waiting for another process to install the Temporal CLI ` +
          `(lock folder ${lockDir}, owner ${ownerText ?? 'unknown'}). If no install is running, delete that folder and try again.`,
      );
    }
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockStaleReason(lockDir: string, ownerText: string | undefined): string | undefined {
  if (ownerText === undefined) {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(lockDir).mtimeMs;
    } catch {
      return undefined; // Removed meanwhile: the next mkdir will tell.
    }
    return Date.now() - mtimeMs > OWNERLESS_LOCK_STALE_MS ? 'no owner recorded' : undefined;
  }
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(ownerText) as Partial<LockOwner>;
  } catch {
    return 'unreadable owner file';
  }
  if (owner.host === hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid)) {
    return `process ${owner.pid} is gone`;
  }
  return undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
