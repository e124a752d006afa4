/**
 * The stamp a prebuilt engine bundle carries: the durable-graph version, engine level and Temporal workflow SDK it
 * was built from, and whether telemetry's trace-context interceptors are in it. A worker runs a prebuilt bundle only
 * when the stamp matches what it would bundle itself, so a bundle left over from another release cannot run an
 * engine that issues other commands than the workers beside it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InvalidInputError } from '../errors.js';
import { ENGINE_LEVEL } from '../protocol/engine-level.js';

/** What a prebuilt engine bundle was built from. */
export interface EngineBundleStamp {
  /** The durable-graph package version. */
  durableGraph: string;
  /** The engine level (workflows/patches.ts). */
  engineLevel: number;
  /** The `@temporalio/workflow` version bundled in. */
  temporalWorkflow: string;
  /** Whether the trace-context interceptors of `createWorker({ telemetry })` are in the bundle. */
  telemetry: boolean;
}

const PREFIX = '// durable-graph engine bundle: ';
/** The bundler's inline source map comment, which must stay the bundle's last line (see stampBundle). */
const SOURCE_MAP = '\n//# sourceMappingURL=';

/** The stamp of the bundle this worker would build. */
export function ownStamp(telemetry: boolean): EngineBundleStamp {
  return { ...packageVersions(), engineLevel: ENGINE_LEVEL, telemetry };
}

/**
 * Adds the stamp as a comment line after the code, before the inline source map comment: the SDK decodes everything
 * after that comment's `base64,` as the map, so a line after it would corrupt the map, and a line before the code
 * would shift every mapped line.
 */
export function stampBundle(code: string, stamp: EngineBundleStamp): string {
  const at = trailerStart(code);
  return `${code.slice(0, at)}\n${PREFIX}${JSON.stringify(stamp)}${code.slice(at)}`;
}

/** The stamp of a bundle: its last line before the source map comment; undefined when there is none. */
export function readStamp(code: string): EngineBundleStamp | undefined {
  const body = code.slice(0, trailerStart(code)).trimEnd();
  const line = body.slice(body.lastIndexOf('\n') + 1);
  if (!line.startsWith(PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(PREFIX.length));
  } catch {
    return undefined;
  }
  return isStamp(value) ? value : undefined;
}

/** How `found` differs from `expected`, one phrase per field, e.g. `engine level 4 (this worker: 5)`. */
export function stampDifferences(found: EngineBundleStamp, expected: EngineBundleStamp): string[] {
  const differences: string[] = [];
  if (found.durableGraph !== expected.durableGraph)
    differences.push(`durable-graph ${found.durableGraph} (this worker: ${expected.durableGraph})`);
  if (found.engineLevel !== expected.engineLevel)
    differences.push(`engine level ${found.engineLevel} (this worker: ${expected.engineLevel})`);
  if (found.temporalWorkflow !== expected.temporalWorkflow)
    differences.push(`@temporalio/workflow ${found.temporalWorkflow} (this worker: ${expected.temporalWorkflow})`);
  if (found.telemetry !== expected.telemetry)
    differences.push(
      `telemetry ${onOff(found.telemetry)} (this worker: ${onOff(expected.telemetry)}, createWorker({ telemetry }))`,
    );
  return differences;
}

/**
 * Checks a prebuilt bundle against the one this worker would build.
 * @param source how the reader named the bundle, e.g. `engineBundle.codePath "/srv/engine.js"`
 * @throws {@link InvalidInputError} naming what differs (or the missing stamp) and how to build a matching bundle.
 */
export function checkStamp(code: string, expected: EngineBundleStamp, source: string, unset: string): void {
  const found = readStamp(code);
  const rebuild =
    `Build one for this worker with \`durable-graph bundle --out <file>${expected.telemetry ? ' --telemetry' : ''}\` ` +
    `(or bundleEngine(${expected.telemetry ? '{ telemetry: true }' : ''}) from durable-graph/worker), ${unset}.`;
  if (!found)
    throw new InvalidInputError(
      `The engine bundle ${source} has no durable-graph stamp: it was not made by \`durable-graph bundle\` or ` +
        `bundleEngine(), so nothing says it holds this worker's engine. ${rebuild}`,
    );
  const differences = stampDifferences(found, expected);
  if (differences.length > 0)
    throw new InvalidInputError(
      `The engine bundle ${source} was built for ${differences.join(', ')}; a worker runs only the engine its own ` +
        `package would bundle, so no worker was started. ${rebuild}`,
    );
}

function trailerStart(code: string): number {
  const at = code.lastIndexOf(SOURCE_MAP);
  return at === -1 ? code.trimEnd().length : at;
}

function isStamp(value: unknown): value is EngineBundleStamp {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.durableGraph === 'string' &&
    typeof v.engineLevel === 'number' &&
    typeof v.temporalWorkflow === 'string' &&
    typeof v.telemetry === 'boolean'
  );
}

const onOff = (on: boolean): string => (on ? 'on' : 'off');

let versions: Pick<EngineBundleStamp, 'durableGraph' | 'temporalWorkflow'> | undefined;

/** durable-graph's version and that of the `@temporalio/workflow` the bundler finds from here (read once). */
function packageVersions(): Pick<EngineBundleStamp, 'durableGraph' | 'temporalWorkflow'> {
  versions ??= {
    // Same depth from src/worker/ and dist/worker/.
    durableGraph: versionAt(new URL('../../package.json', import.meta.url)),
    temporalWorkflow: versionAt(createRequire(import.meta.url).resolve('@temporalio/workflow/package.json')),
  };
  return versions;
}

function versionAt(path: URL | string): string {
  const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`durable-graph: ${String(path)} names no version; reinstall it.`);
  return version;
}
