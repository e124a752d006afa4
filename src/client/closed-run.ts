/**
 * Recognises the server's answer to a message sent to a run that has already closed.
 */

/** True when an Update/Signal failed because the workflow run has already completed, failed or been terminated. */
export function isClosedRunError(error: unknown): boolean {
  return error instanceof Error && /workflow execution already completed/i.test(error.message);
}
