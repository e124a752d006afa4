/**
 * The go route, the fallback when pip gives no CLI: it needs only a Go toolchain, and pins the newest CLI release that
 * `go install` can build.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exeSuffix } from './executables.js';
import { describeFailure, readVersion, runCommand } from './run-command.js';
import type { TemporalCli, TemporalCliAttempt } from './types.js';

/**
 * Version built by the go route. v1.5.1 is the newest CLI release that `go install` can build: v1.6.0 and later have a
 * `replace` directive in their go.mod, which `go install pkg@version` refuses.
 */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

/** Go package path of the CLI's main package. */
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** `GOBIN` of the go route. */
export function goBinDir(toolsDir: string): string {
  return join(toolsDir, 'go-bin');
}

export function goManualCommand(toolsDir: string): string {
  return `GOBIN="${goBinDir(toolsDir)}" go install ${GO_PACKAGE}@${TEMPORAL_CLI_GO_VERSION}`;
}

/** go route: builds the CLI from the Go module proxy. Slow (minutes) but needs only a Go toolchain. */
export async function installWithGo(
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
  const path = join(binDir, `temporal${exeSuffix}`);
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
