/** Errors about the thread a call names: no thread id given, or no thread with that id. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError } from './durable-graph-error.js';
import { describe } from './describe.js';

/** Thrown before anything runs when `config.configurable.thread_id` is missing or not a non-empty string. */
export class MissingThreadIdError extends DurableGraphError {
  constructor(got: unknown) {
    super(
      ErrorCode.MISSING_THREAD_ID,
      `A thread id is required: pass { configurable: { thread_id: "<id>" } } as the config (got ${describe(got)}). ` +
        `The thread id is the Temporal workflow id; nothing was started.`,
    );
  }
}

/** Thrown when a thread (workflow id) does not exist. */
export class ThreadNotFoundError extends DurableGraphError {
  constructor(threadId: string) {
    super(
      ErrorCode.THREAD_NOT_FOUND,
      `Thread "${threadId}" does not exist. Start it with invoke(input, { configurable: { thread_id: "${threadId}" } }).`,
      { threadId },
    );
  }
}
