/**
 * Errors about pausing and resuming: `interrupt()` misused or timed out, and a resume that has nothing to answer or
 * does not fit what is pending.
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/** Thrown when `interrupt()` gets an option it cannot use (a timeout that is not a duration). */
export class InvalidInterruptError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_INTERRUPT, message, context);
  }
}

/**
 * Thrown by `interrupt()` (and `step()`, and a compiled graph's `invoke()`) when it is called outside a node run
 * by durable-graph; `message` replaces the default one for the latter.
 */
export class InterruptOutsideNodeError extends DurableGraphError {
  constructor(
    message = 'interrupt() was called outside a node; call it only inside a function passed to addNode(), while the graph runs on a durable-graph worker.',
    context: ErrorContext = {},
  ) {
    super(ErrorCode.INTERRUPT_OUTSIDE_NODE, message, context);
  }
}

/**
 * Thrown when an `interrupt(value, { timeout })` whose `onTimeout` is `'fail'` (the default) passed its deadline
 * with no resume: the run has failed; `node` is the node that asked.
 */
export class InterruptTimeoutError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INTERRUPT_TIMEOUT, message, context);
  }
}

/** Thrown when a resume is sent to a thread that has no pending interrupt. */
export class NoPendingInterruptError extends DurableGraphError {
  /** The thread's status: `completed`, `failed`, `running`, `not started`, `terminated`, ... */
  readonly status: string;
  constructor(threadId: string, status: string) {
    super(
      ErrorCode.NO_PENDING_INTERRUPT,
      `Thread "${threadId}" has no pending interrupt (status: ${status}); the resume was not applied. ` +
        (NEXT_STEP_BY_STATUS[status] ?? '') +
        `Check getState(config) or \`temporal workflow query --workflow-id ${threadId} --name getState\` first.`,
      { threadId },
    );
    this.status = status;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), status: this.status };
  }
}

/** What to do instead of a resume, by the thread's status. */
const NEXT_STEP_BY_STATUS: Record<string, string> = {
  failed:
    'Its last run failed: invoke(null, config) re-runs the failed step in a new run (its nodes that completed keep their writes), as LangGraph does. ',
  completed: 'Its last run finished: start a new run with invoke(input, config). ',
  'not started': 'No thread has this id: start it with invoke(input, config). ',
  running: 'It is running: wait until it pauses (its interrupts then show in getState(config)). ',
};

/** Thrown when a resume value is malformed: wrong JSON shape, empty, or naming unknown interrupts. */
export class InvalidResumeError extends DurableGraphError {
  /** Ids of the interrupts still pending (`[]` when none are, or when they are not known). */
  readonly pendingIds: readonly string[];
  constructor(message: string, context: ErrorContext & { pendingIds?: readonly string[] } = {}) {
    super(ErrorCode.INVALID_RESUME, message, context);
    this.pendingIds = context.pendingIds ?? [];
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), pendingIds: [...this.pendingIds] };
  }
}
