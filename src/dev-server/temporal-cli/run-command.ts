/**
 * Running the commands the finder needs (`temporal --version`, pip, go) and turning a failure into a line for the
 * final error message: what ran, how it ended, and the tail of what it printed.
 */
import { execFile, spawn } from 'node:child_process';

type VersionResult = { ok: true; version: string } | { ok: false; detail: string };

/** Runs `<path> --version`; the CLI prints e.g. `temporal version 1.8.2 (Server 1.31.2, UI 2.50.1)`. */
export function readVersion(path: string, env: NodeJS.ProcessEnv): Promise<VersionResult> {
  return new Promise((resolvePromise) => {
    execFile(path, ['--version'], { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        resolvePromise({ ok: false, detail: `${error.message}${tailOf(`${stdout}${stderr}`, '\n')}` });
        return;
      }
      const firstLine = `${stdout}${stderr}`.trim().split('\n')[0] ?? '';
      const match = /\bversion\s+v?(\S+)/i.exec(firstLine) ?? /\bv?(\d+\.\d+\.\d+\S*)/.exec(firstLine);
      resolvePromise({ ok: true, version: match?.[1] ?? firstLine });
    });
  });
}

export interface CommandResult {
  /** `ENOENT` etc. when the command could not be started at all. */
  spawnErrorCode?: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Last ~64 KiB of stdout and stderr interleaved. */
  output: string;
  seconds: number;
}

/** Runs a command to completion, keeping only the tail of its output (a go build can print a lot). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; onProgress?: (seconds: number) => void },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    let output = '';
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-64 * 1024);
    };
    const child = spawn(command, [...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const progress =
      options.onProgress === undefined
        ? undefined
        : setInterval(() => options.onProgress?.(Math.round((Date.now() - started) / 1000)), 30_000);
    let settled = false;
    const finish = (result: Omit<CommandResult, 'output' | 'seconds'>): void => {
      if (settled) return;
      settled = true;
      if (progress !== undefined) clearInterval(progress);
      resolvePromise({ ...result, output, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ spawnErrorCode: error.code ?? error.message, exitCode: null, signal: null }),
    );
    child.on('close', (exitCode, signal) => finish({ exitCode, signal }));
  });
}

/** The last `maxLines` lines of `text`, indented, for error messages; empty when there is no output. */
function tailOf(text: string, prefix = '\n', maxLines = 15): string {
  const lines = text.trimEnd().split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const tail = lines.slice(-maxLines).map((line) => `      | ${line.slice(0, 300)}`);
  const skipped = lines.length > maxLines ? `      | … (${lines.length - maxLines} earlier lines)\n` : '';
  return `${prefix}${skipped}${tail.join('\n')}`;
}

export function describeFailure(commandLine: string, result: CommandResult): string {
  if (result.spawnErrorCode === 'ENOENT') return `\`${commandLine}\`: command not found`;
  if (result.spawnErrorCode !== undefined) return `\`${commandLine}\` could not start (${result.spawnErrorCode})`;
  const how = result.signal !== null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  return `\`${commandLine}\` ${how} after ${result.seconds.toFixed(0)} s${tailOf(result.output)}`;
}
