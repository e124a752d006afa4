/**
 * Recognises the server's answer to an Update it dropped before the workflow accepted or rejected it.
 */

/**
 * True when the server aborted an Update because the workflow task that carried it failed, e.g. when a Signal
 * arrived while the worker was completing that task (the server fails it with `UnhandledCommand` so the worker sees
 * the Signal). The Update was never accepted: nothing was applied, and sending it again is safe.
 */
export function isAbortedUpdateError(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; details?: unknown } | undefined) : undefined;
  return (
    cause?.code === 9 && // FAILED_PRECONDITION
    typeof cause.details === 'string' &&
    /update due to unexpected workflow task failure/i.test(cause.details)
  );
}
