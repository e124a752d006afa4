/**
 * Recognises the server's answer to a message sent to a run that has already closed.
 */

/** True when an Update/Signal failed because the workflow run has already completed, failed or been terminated. */
export function isClosedRunError(error: unknown): boolean {
  return error instanceof Error && /workflow execution already completed/i.test(error.message);
}

/**
 * True when an Update was refused because its run is closing (it is continuing as new, or ending): sent again a
 * moment later, it reaches the next run (no Run Id) or finds the run closed.
 */
export function isClosingRunError(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause ?? error) : undefined;
  return cause instanceof Error && /workflow is closing/i.test(cause.message);
}

/** How long to wait before sending again an Update refused by a closing run. */
export const CLOSING_RUN_RETRY_MS = 100;
