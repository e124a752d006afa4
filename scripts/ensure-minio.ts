/**
 * MinIO, the S3-compatible server the External Storage tests start on a loopback port: `MINIO_PATH`, else `minio` on
 * PATH, else `.tools/minio/minio`, else built there with `go install` (a few minutes the first time; Go's build cache
 * makes later builds fast). Run by `scripts/bootstrap.mjs` so `npm test` (and `.ci/run`) has it with no manual step;
 * test/helpers/minio.ts uses the same finder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The MinIO release built by `go install` (its go.mod has no `replace`, so `go install pkg@version` accepts it). */
export const MINIO_GO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
const GO_PACKAGE = 'github.com/minio/minio';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the go route puts the binary (ignored by git, with the rest of `.tools/`). */
export const MINIO_TOOLS_DIR = join(root, '.tools', 'minio');

/** The command that installs MinIO by hand. */
export const MINIO_INSTALL_COMMAND = `GOBIN="${MINIO_TOOLS_DIR}" go install ${GO_PACKAGE}@${MINIO_GO_VERSION}`;

/** An installed MinIO, or undefined: MINIO_PATH, then PATH, then `.tools/minio`. */
export function findMinio(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MINIO_PATH) return env.MINIO_PATH;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'minio'))) return join(dir, 'minio');
  }
  const local = join(MINIO_TOOLS_DIR, 'minio');
  return existsSync(local) ? local : undefined;
}

/**
 * The MinIO to use, built with `go install` into `.tools/minio` when none is installed.
 * @throws Error with the command to run by hand when Go is missing or the build fails.
 */
export async function findOrInstallMinio(log: (line: string) => void = console.error): Promise<string> {
  const found = findMinio();
  if (found) return found;
  mkdirSync(MINIO_TOOLS_DIR, { recursive: true });
  log(`[minio] building MinIO for the S3 tests: ${MINIO_INSTALL_COMMAND} (a few minutes the first time)`);
  const started = Date.now();
  const code = await new Promise<number | string>((resolve) => {
    // Outside any Go module, with GOFLAGS that a `go install pkg@version` accepts (as the Temporal CLI's go route).
    const child = spawn('go', ['install', `${GO_PACKAGE}@${MINIO_GO_VERSION}`], {
      cwd: tmpdir(),
      env: { ...process.env, GOBIN: MINIO_TOOLS_DIR, GOFLAGS: '-mod=mod', GOWORK: 'off', GO111MODULE: 'on' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (exit) => resolve(exit ?? 1));
  });
  const path = join(MINIO_TOOLS_DIR, 'minio');
  if (code !== 0 || !existsSync(path)) {
    throw new Error(
      `Could not build MinIO (${typeof code === 'string' ? code : `go exited with ${code}`}). ` +
        `Install Go and run: ${MINIO_INSTALL_COMMAND} — or set MINIO_PATH to a minio binary.`,
    );
  }
  log(`[minio] built in ${Math.round((Date.now() - started) / 1000)} s: ${path}`);
  return path;
}

// Run as a script (by bootstrap.mjs): install when missing; without Go, say so and let the other tests run.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  findOrInstallMinio().then(
    (path) => {
      const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
      console.error(`[minio] ${path} (${version})`);
    },
    (error: unknown) => {
      console.error(`[minio] ${error instanceof Error ? error.message : String(error)}`);
      console.error('[minio] the S3 External Storage tests will fail until MinIO is installed.');
    },
  );
}
