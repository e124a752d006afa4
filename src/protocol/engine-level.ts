/**
 * How a run's engine level is named in its history: the id of the `patched()` marker the executing worker records
 * (see workflows/patches.ts), which history readers also look for; and this engine's own level, which the worker
 * also stamps on prebuilt engine bundles. Sandbox-safe.
 */

/**
 * The level of this engine: the highest `EngineChange` of the ledger in workflows/patches.ts (which re-exports it),
 * or 0 for the 0.1.0 baseline. It lives here so the worker can name it without loading the engine;
 * test/unit/workflows/patches.test.ts checks that it is the ledger's highest.
 */
export const ENGINE_LEVEL: number = 6;

const PREFIX = 'durable-graph.engine-level.';

/** The `patched()` id that marks a run recorded at `level` (the baseline, level 0, records none). */
export function engineLevelPatchId(level: number): string {
  return `${PREFIX}${level}`;
}

/** The level a patch id marks, or undefined when it is not one of ours. */
export function levelOfPatchId(id: string): number | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const level = Number(id.slice(PREFIX.length));
  return Number.isInteger(level) && level > 0 ? level : undefined;
}
