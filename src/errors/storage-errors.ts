/** Errors about External Storage: the folder or bucket that holds a thread's large values cannot be used. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/**
 * Thrown when a value could not be written to or read from External Storage (the folder or S3 bucket given by the
 * `storage` option or DURABLE_GRAPH_STORAGE): unreachable, refused, or missing what a claim in history points at.
 * Nothing that failed to be written was sent; the thread is as it was.
 */
export class StorageUnavailableError extends DurableGraphError {
  /** Where the values are kept: the folder, or `s3://bucket/prefix` (and the endpoint). */
  readonly location: string;
  constructor(message: string, context: ErrorContext & { location: string }) {
    super(ErrorCode.STORAGE_UNAVAILABLE, message, context);
    this.location = context.location;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), location: this.location };
  }
}
