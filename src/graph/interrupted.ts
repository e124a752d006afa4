/**
 * The `__interrupt__` key of a paused result, and its guard (LangGraph's `INTERRUPT`, `isInterrupted`).
 */

/** Key under which `invoke()` returns the pending interrupts of a paused run. */
export const INTERRUPT = '__interrupt__';

/** True when an `invoke()` result is a pause (it carries `__interrupt__`). */
export function isInterrupted<T extends object>(
  result: T,
): result is T & { __interrupt__: Array<{ id: string; value: unknown }> } {
  return Array.isArray((result as Record<string, unknown>)[INTERRUPT]);
}
