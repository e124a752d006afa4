/**
 * OpenTelemetry stays optional: importing durable-graph's entry points (and so starting workers and clients without
 * telemetry) loads none of its packages; only turning telemetry on does. Checked in a fresh process each time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const src = (file: string) => pathToFileURL(join(root, 'src', file)).href;

/** The OpenTelemetry modules loaded in one fresh process after each of `steps` (ES module bodies), in turn. */
function telemetryModulesLoadedAfter(steps: string[]): string[][] {
  const out = runModule(`
    import { createRequire } from 'node:module';
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('opentelemetry'));
    ${steps.map((step) => `${step}\nconsole.log(JSON.stringify(loaded()));`).join('\n')}`);
  return out
    .trim()
    .split('\n')
    .slice(-steps.length)
    .map((line) => JSON.parse(line) as string[]);
}

/** Runs an ES module body in a fresh process (from source), optionally with a module hook; returns its stdout. */
function runModule(script: string, hooks?: string): string {
  const register = hooks
    ? ['--import', `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(hooks)});`]
    : [];
  return execFileSync(
    process.execPath,
    ['--conditions=durable-graph-source', ...register, '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
}

/** Module hooks under which Temporal's interceptors package is not installed. */
const withoutPackage = `data:text/javascript,export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@temporalio/interceptors-opentelemetry')) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

describe('the OpenTelemetry packages', () => {
  it('are not loaded by the entry points of the library, only once telemetry is turned on', () => {
    const [entryPoints, turnedOn] = telemetryModulesLoadedAfter([
      `await import(${JSON.stringify(src('index.ts'))});
       await import(${JSON.stringify(src('client.ts'))});
       await import(${JSON.stringify(src('worker.ts'))});`,
      `const { loadTelemetryPackages } = await import(${JSON.stringify(src('server/telemetry-packages.ts'))});
       await loadTelemetryPackages(true, 'test');`,
    ]);
    assert.deepEqual(entryPoints, []);
    assert.ok(turnedOn!.some((p) => p.includes('@temporalio/interceptors-opentelemetry')));
    assert.ok(turnedOn!.some((p) => p.includes('@opentelemetry/api')));
  });

  it('when missing, make turning telemetry on fail at once with what to install, before any connection', () => {
    const out = runModule(
      `
      const { z } = await import('zod');
      const { StateGraph, START, END } = await import(${JSON.stringify(src('index.ts'))});
      const { createWorker } = await import(${JSON.stringify(src('worker.ts'))});
      const { GraphClient } = await import(${JSON.stringify(src('client.ts'))});
      const graph = new StateGraph(z.object({ n: z.number() })).addNode('a', () => ({})).addEdge(START, 'a')
        .addEdge('a', END).compile({ name: 'g' });
      // Nothing listens at port 1: only an error raised before connecting can be ours.
      for (const attempt of [
        () => createWorker({ graphs: [graph], address: '127.0.0.1:1', namespace: 'default', telemetry: true }),
        () => GraphClient.connect({ address: '127.0.0.1:1', namespace: 'default', telemetry: true }),
      ]) console.log(await attempt().then(() => 'resolved', (error) => error.message));`,
      withoutPackage,
    );
    const [worker, client] = out.trim().split('\n').slice(-2);
    for (const [message, caller] of [
      [worker, 'createWorker({ telemetry })'],
      [client, 'GraphClient.connect({ telemetry })'],
    ] as const) {
      assert.ok(
        message?.startsWith(`${caller} turns OpenTelemetry tracing on, but its packages are not installed`),
        message,
      );
      assert.match(message!, /npm install @temporalio\/interceptors-opentelemetry @opentelemetry\/api/);
    }
  });
});
