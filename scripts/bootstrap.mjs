#!/usr/bin/env node
// Gets a fresh clone ready for `npm test` / `npm run demo`: installs npm dependencies when they are missing or older
// than package-lock.json, then makes sure the Temporal CLI is available (found, or installed into .tools/), and with
// --with-minio MinIO for the S3 tests (found, or built into .tools/minio).
// Plain Node ESM without dependencies, because it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const say = (line) => console.error(`[bootstrap] ${line}`);

/** Runs a command with inherited stdio; exits this process with a message when it fails. */
function run(command, args, what) {
  say(`${what}: ${command} ${args.join(' ')}`);
  // npm is a .cmd shim on Windows, which only a shell can start.
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) {
    say(`${what} failed: could not run ${command} (${result.error.message}).`);
    process.exit(1);
  }
  if (result.status !== 0) {
    say(`${what} failed (${result.signal ? `signal ${result.signal}` : `exit code ${result.status}`}).`);
    process.exit(result.status || 1);
  }
}

// npm writes node_modules/.package-lock.json on every install, so it is older than package-lock.json exactly when the
// lock file changed (e.g. after a pull) without an install since.
const lockFile = join(root, 'package-lock.json');
const installedLock = join(root, 'node_modules', '.package-lock.json');
let reason;
if (!existsSync(join(root, 'node_modules'))) reason = 'node_modules is missing';
else if (!existsSync(installedLock)) reason = 'node_modules/.package-lock.json is missing';
else if (existsSync(lockFile) && statSync(installedLock).mtimeMs < statSync(lockFile).mtimeMs) {
  reason = 'package-lock.json is newer than node_modules';
}
if (reason !== undefined) run('npm', ['ci'], `Installing npm dependencies (${reason})`);

// The finder is TypeScript; run it through tsx, with the source condition so no build is needed.
run(
  process.execPath,
  ['--conditions=durable-graph-source', '--import', 'tsx', join(root, 'scripts', 'ensure-temporal-cli.ts')],
  'Checking the Temporal CLI',
);

// MinIO, for the External Storage tests against S3 (found, or built with go into .tools/minio; never fails the run).
// Only for the tests (`--with-minio`, passed by `npm test`): the demo and the benchmark do not need it.
if (process.argv.includes('--with-minio'))
  run(
    process.execPath,
    ['--conditions=durable-graph-source', '--import', 'tsx', join(root, 'scripts', 'ensure-minio.ts')],
    'Checking MinIO',
  );
