/** Errors about the thread a call names: no thread id given, no thread with that id, or a thread that has finished. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorDetails } from './durable-graph-error.js';
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

/**
 * Thrown by `moveThread()` when the thread's last run has ended: there is no next step to send to another version.
 * `status` is how it ended: `completed`, `failed`, `terminated`, `canceled`, `timed_out`.
 */
export class ThreadFinishedError extends DurableGraphError {
  /** How the thread's last run ended, lower case. */
  readonly status: string;
  constructor(threadId: string, status: string) {
    super(
      ErrorCode.THREAD_FINISHED,
      `Thread "${threadId}" has finished (status: ${status}): its last run ended, so it has no next step to move to ` +
        `another version; nothing was changed. ${AFTER_FINISH[status] ?? AFTER_FINISH.ended}`,
      { threadId },
    );
    this.status = status;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), status: this.status };
  }
}

/** What runs a finished thread again, by how it ended: always a new run, which goes to the current version. */
const AFTER_FINISH: Record<string, string> = {
  completed: "New input starts a new run of the thread, on the deployment's current version: invoke(input, config).",
  failed: "invoke(null, config) runs the failed step again in a new run, on the deployment's current version.",
  ended:
    "It was ended from outside; new input starts a new run of the thread, on the deployment's current version: invoke(input, config).",
};
