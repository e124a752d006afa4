/**
 * The engine's workflow bundle: where its entry file is, and how the SDK's bundler compiles it.
 * Node-only (webpack runs here); the bundle it builds is what runs in the workflow sandbox.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { ownStamp, stampBundle } from './engine-bundle-stamp.js';

/** Options of {@link bundleEngine}. */
export interface BundleEngineOptions {
  /**
   * Include the trace-context interceptors that `createWorker({ telemetry })` needs: a worker with telemetry on
   * runs only a bundle built with it, a worker without telemetry only one built without it.
   * @default false
   */
  telemetry?: boolean;
}

/**
 * Bundles the engine Workflow as `createWorker()` does at start-up (webpack, 4–10 s of CPU), for a worker to load
 * instead: `createWorker({ engineBundle: { code } })`, or write `code` to a file and pass `{ codePath }` or set
 * `DURABLE_GRAPH_ENGINE_BUNDLE` to it. The CLI's `durable-graph bundle --out <file>` does the same.
 *
 * The code ends with a comment line stamping it with this durable-graph version, the engine level and
 * `@temporalio/workflow` version it holds, and whether it has the telemetry interceptors; a worker refuses a
 * bundle whose stamp differs from its own, so rebuild the bundle whenever durable-graph or Temporal is upgraded.
 */
export async function bundleEngine(options: BundleEngineOptions = {}): Promise<{ code: string }> {
  const telemetry = options.telemetry ?? false;
  const { code } = await bundleWorkflowCode({
    workflowsPath: enginePath(),
    workflowInterceptorModules: [engineInterceptorsPath(), ...(telemetry ? [traceContextInterceptorsPath()] : [])],
    webpackConfigHook: engineWebpackConfigHook,
    logger: quietLogger,
  });
  return { code: stampBundle(code, ownStamp(telemetry)) };
}

/** The bundler's progress lines stay out of the worker's output; its warnings and errors do not. */
const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string, meta?: Record<string, unknown>) {
    console.warn(message, meta ?? '');
  },
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta ?? '');
  },
};

/** The engine's entry file: `.ts` when running from source, `.js` from the published build. */
export function enginePath(): string {
  return engineModule('index');
}

/** The engine's workflow interceptors (the spec header): every bundle of the engine lists them. */
export function engineInterceptorsPath(): string {
  return engineModule('spec-header');
}

/** The engine's trace-context interceptors: listed in the bundle of a worker whose telemetry is on, only. */
export function traceContextInterceptorsPath(): string {
  return engineModule('trace-context');
}

function engineModule(name: string): string {
  for (const ext of ['.js', '.ts']) {
    const path = fileURLToPath(new URL(`../workflows/${name}${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    `durable-graph: the engine (workflows/${name}) is missing from the package; reinstall durable-graph.`,
  );
}

/**
 * Compiles the engine's TypeScript sources for ES2022, the target of the published build (tsconfig.build.json).
 * The SDK's bundler compiles `.ts` for ES2017, which turns every class private field access and object spread
 * into a helper call (a tenth of a 10-node chain's replay CPU): from source, tests and benchmarks would run a
 * slower engine than the one users install. The published `.js` build is not recompiled, so this changes nothing
 * there. Should a later SDK shape its rules otherwise, the hook changes nothing (the engine is then only slower
 * from source); test/unit/worker/engine-bundle.test.ts notices.
 */
export const engineWebpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => {
  // swc refuses a target beside `env` (browserslist targets): leave such a rule as the SDK made it.
  for (const options of swcRuleOptions(config)) if (options.env === undefined) options.jsc.target = 'es2022';
  return config;
};

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type SwcOptions = { jsc: { target?: string }; env?: unknown };

/** The swc options of the bundler's rules that compile with swc (the SDK has one, for `.ts`), as objects to edit. */
export function swcRuleOptions(config: WebpackConfig): SwcOptions[] {
  const found: SwcOptions[] = [];
  for (const rule of config.module?.rules ?? []) {
    if (!rule || typeof rule !== 'object' || !('use' in rule)) continue;
    const use = rule.use;
    if (!use || typeof use !== 'object' || Array.isArray(use) || !('options' in use)) continue;
    const options = use.options as Partial<SwcOptions> | string | undefined;
    if (typeof options === 'object' && options.jsc) found.push(options as SwcOptions);
  }
  return found;
}
