/**
 * Where installed copies of the CLI live: one `.tools/` folder per project, so every script, test and CLI command of
 * that project finds the same copy, even when run from a subfolder.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Picks the `.tools/` folder: explicit `projectRoot`, else `DURABLE_GRAPH_TOOLS_DIR`, else the nearest ancestor of the
 * working directory with a `package.json` (so running from a subfolder reuses the project's copy).
 */
export function resolveToolsDir(projectRoot: string | undefined, env: NodeJS.ProcessEnv): string {
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
