/**
 * Which engine bundle a worker runs: the prebuilt one it is given, else the prebuilt one DURABLE_GRAPH_ENGINE_BUNDLE
 * names, else one bundled in this process (once, and once more with telemetry, shared by every worker). A prebuilt
 * bundle runs only when its stamp matches what this worker would bundle (engine-bundle-stamp.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { bundleEngine } from './engine-bundle.js';
import { checkStamp, ownStamp, readStamp, stampDifferences } from './engine-bundle-stamp.js';

/** The environment variable naming a prebuilt engine bundle file for every worker of the process. */
export const ENGINE_BUNDLE_ENV = 'DURABLE_GRAPH_ENGINE_BUNDLE';

/** A prebuilt engine bundle: its code, or the path of a file holding it (as the SDK's `workflowBundle`). */
export type EngineBundle = { code: string } | { codePath: string };

/**
 * The prebuilt engine bundle for a worker whose telemetry is on or off, checked; undefined when there is none
 * (the worker then runs {@link engineBundledInProcess}).
 * @throws {@link InvalidInputError} when `given` (or the file DURABLE_GRAPH_ENGINE_BUNDLE names) cannot be read, has
 *   no stamp, or was built for another durable-graph, engine level or Temporal SDK. From the variable, a bundle
 *   that differs only in telemetry is set aside: the worker bundles its own, as without the variable.
 */
export async function prebuiltEngineBundle(
  telemetry: boolean,
  given: EngineBundle | undefined,
): Promise<{ code: string } | undefined> {
  const expected = ownStamp(telemetry);
  if (given !== undefined) {
    const { code, source } = await readGiven(given);
    checkStamp(code, expected, source, 'or leave engineBundle out to bundle the engine at start-up');
    return { code };
  }
  const path = process.env[ENGINE_BUNDLE_ENV];
  if (path) {
    const unset = `or unset ${ENGINE_BUNDLE_ENV} to bundle the engine at start-up`;
    const { code, source } = await readBundleFile(path, ENGINE_BUNDLE_ENV, unset);
    const found = readStamp(code);
    // One file holds one telemetry setting; a worker of the other setting is no mistake of the operator's.
    const telemetryOnly =
      found !== undefined &&
      found.telemetry !== telemetry &&
      stampDifferences(found, { ...expected, telemetry: found.telemetry }).length === 0;
    if (!telemetryOnly) {
      checkStamp(code, expected, source, unset);
      return { code };
    }
  }
  return undefined;
}

async function readGiven(given: EngineBundle): Promise<{ code: string; source: string }> {
  const unset = 'or leave engineBundle out to bundle the engine at start-up';
  if (typeof given === 'object' && given !== null) {
    if ('code' in given && typeof given.code === 'string') return { code: given.code, source: 'engineBundle.code' };
    if ('codePath' in given && typeof given.codePath === 'string')
      return readBundleFile(given.codePath, 'engineBundle.codePath', unset);
  }
  throw new InvalidInputError(
    'createWorker({ engineBundle }) takes { code } (what bundleEngine() returns) or { codePath } (a file written by ' +
      `\`durable-graph bundle --out <file>\`); it got ${describe(given)}. Pass one of them, ${unset}.`,
  );
}

async function readBundleFile(path: string, name: string, unset: string): Promise<{ code: string; source: string }> {
  const full = resolve(path);
  const source = `${name} "${full}"`;
  try {
    return { code: await readFile(full, 'utf8'), source };
  } catch (error) {
    throw new InvalidInputError(
      `The engine bundle ${source} cannot be read (${(error as Error).message}). Build it with ` +
        `\`durable-graph bundle --out ${full}\`, ${unset}.`,
      { cause: error },
    );
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const keys = Object.keys(value);
  return keys.length ? `an object with ${keys.join(', ')}` : 'an empty object';
}

/** The engine's bundles of this process: without and with the trace-context interceptors. */
const bundles = new Map<boolean, Promise<{ code: string }>>();

/** Bundles the engine once per process (once more with telemetry); every worker shares the bundle. */
export function engineBundledInProcess(telemetry: boolean): Promise<{ code: string }> {
  let bundle = bundles.get(telemetry);
  if (!bundle) {
    bundle = bundleEngine({ telemetry }).catch((error: unknown) => {
      bundles.delete(telemetry);
      throw error;
    });
    bundles.set(telemetry, bundle);
  }
  return bundle;
}
