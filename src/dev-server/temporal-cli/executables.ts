/**
 * Telling a usable executable from a path that is missing, not a file or not executable, and finding one on `PATH`
 * the way a shell would.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/** `.exe` on Windows, where the CLI binary carries it; empty elsewhere. */
export const exeSuffix = process.platform === 'win32' ? '.exe' : '';

/** `undefined` when `path` is an executable file, otherwise a phrase saying what is wrong with it. */
export function executableProblem(path: string): string | undefined {
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
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
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
