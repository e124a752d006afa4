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

/** The OpenTelemetry modules a fresh process has loaded after running `code` (an ES module body). */
function telemetryModulesLoadedBy(code: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    ${code}
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('opentelemetry'));
    console.log(JSON.stringify(loaded));`;
  const out = execFileSync(
    process.execPath,
    ['--conditions=durable-graph-source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as string[];
}

describe('the OpenTelemetry packages', () => {
  it('are not loaded by the entry points of the library', () => {
    const loaded = telemetryModulesLoadedBy(`
      await import(${JSON.stringify(src('index.ts'))});
      await import(${JSON.stringify(src('client.ts'))});
      await import(${JSON.stringify(src('worker.ts'))});`);
    assert.deepEqual(loaded, []);
  });

  it('are loaded once telemetry is turned on', () => {
    const loaded = telemetryModulesLoadedBy(`
      const { loadTelemetryPackages } = await import(${JSON.stringify(src('server/telemetry-packages.ts'))});
      await loadTelemetryPackages(true, 'test');`);
    assert.ok(loaded.some((p) => p.includes('@temporalio/interceptors-opentelemetry')));
    assert.ok(loaded.some((p) => p.includes('@opentelemetry/api')));
  });
});
