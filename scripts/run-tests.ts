/**
 * `npm test`: typecheck, start one Temporal dev server, run every test file with node:test, print `N passed, N failed`.
 *
 * Usage: `npm test [-- [--skip-checks] [filters...] [node --test flags...]]`
 * - a filter is a path or a substring of a test file's path: `npm test -- dev-server` runs the matching files only;
 * - arguments starting with `-` go to `node --test` as they are (write values with `=`: `--test-name-pattern=interrupt`);
 * - with `TEMPORAL_ADDRESS` set, tests use that server and none is started.
 *
 * Why a script: Node 20's `--test` cannot expand globs, the integration tests should share one server instead of
 * starting one per file, and CI reads a plain summary line at the end. When integration tests run, it also bundles
 * the engine once (`bundleEngine()`, always afresh: the version stamp cannot tell two commits apart) and gives every
 * test process, and the CLI workers they start, DURABLE_GRAPH_ENGINE_BUNDLE, instead of each bundling it again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startDevServer, type DevServer } from '../src/dev-server/index.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const say = (line: string): void => console.error(`[run-tests] ${line}`);

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const skipChecks = argv.includes('--skip-checks');
  const nodeTestFlags = argv.filter((a) => a.startsWith('-') && a !== '--skip-checks');
  const filters = argv.filter((a) => !a.startsWith('-'));

  if (!skipChecks && (!typecheck() || !lint())) {
    say(
      'The static checks failed (see above); no tests were run. Fix them (`npm run format` fixes the formatting), or pass --skip-checks while iterating.',
    );
    printSummary({ passed: 0, failed: 1, skipped: 0 });
    return 1;
  }

  const files = selectTestFiles(filters);
  if (files.length === 0) {
    say(filters.length === 0 ? 'No test files found under test/.' : `No test file matches ${filters.join(', ')}.`);
    printSummary({ passed: 0, failed: 1, skipped: 0 });
    return 1;
  }

  let server: DevServer | undefined;
  const env = { ...process.env };
  const needsServer = files.some(isIntegrationTest);
  const tapDir = mkdtempSync(join(tmpdir(), 'durable-graph-tests-'));
  const tapFile = join(tapDir, 'results.tap');
  try {
    const ownServer = needsServer && (env.TEMPORAL_ADDRESS ?? '') === '';
    // Webpack's CPU overlaps the server's start-up; both are settled before anything else happens.
    const [started, bundle] = await Promise.allSettled([
      // One headless in-memory server for the whole run; each test uses its own ids, so they do not interfere.
      ownServer ? startDevServer({ ui: false }) : Promise.resolve(undefined),
      needsServer ? prebuildEngineBundle(join(tapDir, 'engine-bundle.js')) : Promise.resolve(undefined),
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (started.status === 'rejected') throw started.reason;
    if (bundle.status === 'rejected') throw bundle.reason;
    if (server) {
      env.TEMPORAL_ADDRESS = server.address;
      env.TEMPORAL_NAMESPACE = server.namespace;
    } else if (needsServer) {
      say(
        `Using the Temporal server at ${env.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS), namespace ${env.TEMPORAL_NAMESPACE || 'default'}.`,
      );
    }
    if (bundle.value) env[bundle.value.variable] = bundle.value.path;

    const args = [
      '--conditions=durable-graph-source',
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      // Node 20 applies this per test file: a file that hangs (a node left waiting on a failed assertion) is cancelled
      // after 10 minutes, and counted as failed, instead of holding CI. The slowest file takes ~1.5 min here.
      '--test-timeout=600000',
      // The spec reporter is for people; the TAP copy is only read for the summary line below.
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...nodeTestFlags,
      ...files.map((f) => relative(root, f)),
    ];
    say(
      `Running ${files.length} test file${files.length === 1 ? '' : 's'}${server ? ` against the dev server at ${server.address}` : ''}.`,
    );
    const exitCode = await runInherited(process.execPath, args, env);
    const counts = readTapCounts(tapFile);
    if (counts === undefined) {
      say(`The test runner exited with code ${exitCode} without a summary.`);
      printSummary({ passed: 0, failed: 1, skipped: 0 });
      return exitCode === 0 ? 1 : exitCode;
    }
    printSummary(counts);
    // A non-zero exit with no failed test (e.g. a crash after the summary) must still fail the run.
    return exitCode !== 0 ? exitCode : counts.failed > 0 ? 1 : 0;
  } finally {
    rmSync(tapDir, { recursive: true, force: true });
    await server?.stop();
  }
}

/** Bundles the engine into `path`, as createWorker() would; returns the variable that makes workers load it. */
async function prebuildEngineBundle(path: string): Promise<{ variable: string; path: string }> {
  const started = performance.now();
  // Imported only now: the worker brings webpack and the native bridge, which a unit-test run never needs.
  const { bundleEngine, ENGINE_BUNDLE_ENV } = await import('../src/worker.js');
  const { code } = await bundleEngine();
  writeFileSync(path, code);
  say(
    `Bundled the engine once for every worker of this run (${((performance.now() - started) / 1000).toFixed(1)} s): ` +
      `${ENGINE_BUNDLE_ENV}=${path}.`,
  );
  return { variable: ENGINE_BUNDLE_ENV, path };
}

/** `tsc -p tsconfig.json --noEmit` with its output shown; `true` when it passes. */
function typecheck(): boolean {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  say('Typechecking: tsc -p tsconfig.json --noEmit');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

/** `npm run lint` (ESLint with the layering rules, Prettier, no import cycle) with its output shown; `true` when it passes. */
function lint(): boolean {
  say('Linting: npm run lint');
  // npm is a .cmd shim on Windows, which only a shell can start.
  const result = spawnSync('npm', ['run', '--silent', 'lint'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

/** Every `test/**\/*.test.ts`, sorted, narrowed to those matching any filter (an existing path, or a substring). */
function selectTestFiles(filters: string[]): string[] {
  const all = listFiles(join(root, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  if (filters.length === 0) return all;
  return all.filter((file) => {
    const rel = relative(root, file);
    return filters.some((filter) => {
      const asPath = resolve(filter);
      if (existsSync(asPath)) return file === asPath || file.startsWith(asPath + sep);
      return rel.includes(filter);
    });
  });
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(path);
    return entry.isFile() ? [path] : [];
  });
}

function isIntegrationTest(file: string): boolean {
  return file.endsWith('.int.test.ts') || relative(root, file).split(sep).includes('integration');
}

let activeChild: ReturnType<typeof spawn> | undefined;

function runInherited(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    activeChild = child;
    child.once('error', (error) => {
      say(`Could not start the test runner: ${error.message}`);
      resolvePromise(1);
    });
    child.once('exit', (code, signal) => {
      activeChild = undefined;
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

/** Totals from the TAP summary (`# pass N`, `# fail N`, …); a cancelled test (e.g. a file that timed out) is a failure. */
function readTapCounts(tapFile: string): Counts | undefined {
  let text: string;
  try {
    text = readFileSync(tapFile, 'utf8');
  } catch {
    return undefined;
  }
  const total = (label: string): number | undefined => {
    const matches = [...text.matchAll(new RegExp(`^# ${label} (\\d+)$`, 'gm'))];
    const last = matches.at(-1)?.[1];
    return last === undefined ? undefined : Number(last);
  };
  const passed = total('pass');
  const failed = total('fail');
  if (passed === undefined || failed === undefined) return undefined;
  return {
    passed,
    failed: failed + (total('cancelled') ?? 0),
    skipped: (total('skipped') ?? 0) + (total('todo') ?? 0),
  };
}

function printSummary({ passed, failed, skipped }: Counts): void {
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The dev server is stopped by startDevServer's exit hook; the test runner gets the signal passed on.
    activeChild?.kill(signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    printSummary({ passed: 0, failed: 1, skipped: 0 });
    process.exit(1);
  },
);
