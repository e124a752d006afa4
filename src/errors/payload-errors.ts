/** Errors about the size of a value sent to or from a thread. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/**
 * Thrown before a value is sent (or recorded) when it is larger than a thread can carry: Temporal refuses a payload
 * over 2 MiB and a workflow task's commands over 4 MB, and a value sent to a thread travels in several of them (the
 * node's result, the next node's input, the state a caller gets back), so a too-large value could end a paused run.
 * Nothing was sent or written.
 */
export class PayloadTooLargeError extends DurableGraphError {
  /** What was too large, in words ("the resume value", "node \"draft\"'s update"). */
  readonly what: string;
  /** Its size, in bytes of JSON. */
  readonly bytes: number;
  /** The most a value may have. */
  readonly limit: number;
  constructor(message: string, context: ErrorContext & { what: string; bytes: number; limit: number }) {
    super(ErrorCode.PAYLOAD_TOO_LARGE, message, context);
    this.what = context.what;
    this.bytes = context.bytes;
    this.limit = context.limit;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), what: this.what, bytes: this.bytes, limit: this.limit };
  }
}
