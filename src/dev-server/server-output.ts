/**
 * What the server prints, kept so that a failed start can show it: either in the log file the caller chose or in a
 * bounded buffer, and shown as a tail that keeps the first error line.
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Output {
  stdio: 'pipe' | number;
  closeParentCopy(): void;
  attach(child: ChildProcess): void;
  tail(): string;
}

const TAIL_LINES = 40;

/**
 * With a log file, the server writes to it directly (nothing passes through this process, so nothing can fill a pipe
 * buffer). Without one, we drain both pipes into a bounded buffer; an undrained pipe would block the server.
 */
export function openOutput(logFile: string | undefined): Output {
  if (logFile !== undefined) {
    const path = resolve(logFile);
    let fd: number | undefined = openSync(path, 'a');
    const startOffset = fstatSync(fd).size;
    return {
      stdio: fd,
      closeParentCopy: () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
      attach: () => undefined,
      tail: () => lastLines(readFrom(path, startOffset)),
    };
  }
  let buffer = '';
  return {
    stdio: 'pipe',
    closeParentCopy: () => undefined,
    attach: (child) => {
      const append = (chunk: Buffer): void => {
        buffer = (buffer + chunk.toString('utf8')).slice(-32 * 1024);
      };
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
    },
    tail: () => lastLines(buffer),
  };
}

/** What was appended to `path` since `offset` (at most the last 32 KiB). */
function readFrom(path: string, offset: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - 32 * 1024);
    const bytes = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The last {@link TAIL_LINES} lines, preceded by any earlier `Error:` lines: on a bad flag the CLI prints the error
 * first and then a long usage text that would push it out of the tail.
 */
function lastLines(text: string): string {
  const lines = text.trimEnd().split('\n');
  const tail = lines.slice(-TAIL_LINES);
  const earlierErrors = lines.slice(0, -TAIL_LINES).filter((line) => /^\s*(Error|panic|fatal)\b/i.test(line));
  const skipped = lines.length - tail.length;
  if (skipped === 0) return tail.join('\n');
  return [...earlierErrors, `… (${skipped} earlier lines not shown)`, ...tail].join('\n');
}
