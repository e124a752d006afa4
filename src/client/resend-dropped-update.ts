/**
 * Sends an Update again while the server drops it before the engine sees it: nothing was applied, so sending it again
 * is safe, and the caller gets the engine's verdict instead of the server's reason for dropping it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAbortedUpdateError } from './aborted-update.js';
import { CLOSING_RUN_RETRY_MS, isClosingRunError } from './closed-run.js';

/** Attempts of one Update that the server keeps dropping because racing Signals fail the tasks that carry it. */
const MAX_ABORTED_UPDATE_ATTEMPTS = 5;

/**
 * Runs `send` (which sends one Update, with a new Update id each time) until the server no longer drops it: a run
 * handing over to its next run (continue-as-new) refuses it as closing, and the next send reaches the next run; a
 * racing Signal fails the workflow task that carried it, and the next send is applied or refused by the engine (e.g.
 * because that Signal just answered the interrupt). Any other error is thrown as is.
 */
export async function resendDroppedUpdate<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (isClosingRunError(error)) {
        await sleep(CLOSING_RUN_RETRY_MS);
        continue;
      }
      if (isAbortedUpdateError(error) && attempt < MAX_ABORTED_UPDATE_ATTEMPTS) continue;
      throw error;
    }
  }
}
