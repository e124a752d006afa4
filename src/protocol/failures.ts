/**
 * Errors across Temporal: our errors travel as ApplicationFailure with `type` = the error code and `details[0]` =
 * the error's details (`threadId`, `node` and its class's own fields, see `DurableGraphError.toDetails`); the other
 * side rebuilds the class through its constructor. Sandbox-safe: the engine, activities and client all use it.
 */
import { ApplicationFailure, ExternalStorageNotConfiguredError } from '@temporalio/common';
import {
  DurableGraphError,
  ErrorCode,
  errorFromDetails,
  isDurableGraphError,
  isErrorCode,
  StorageUnavailableError,
  withCode,
  type ErrorDetails,
} from '../errors.js';

export { isErrorCode };

/** Whether a Temporal retry can help, per code: a code without a decision does not compile. */
const RETRYABLE: { readonly [C in ErrorCode]: boolean } = {
  GRAPH_DEFINITION: false,
  UNKNOWN_GRAPH: false,
  INVALID_INPUT: false,
  INVALID_UPDATE: false,
  UNSERIALIZABLE_VALUE: false,
  INVALID_DESTINATION: false,
  INVALID_INTERRUPT: false,
  REDUCER_FAILED: false,
  CONFLICTING_WRITES: false,
  NO_PARENT_GRAPH: false,
  MULTIPLE_PARENT_COMMANDS: false,
  INVALID_PARENT_COMMAND: false,
  UPDATE_STATE_REFUSED: false,
  INTERRUPT_OUTSIDE_NODE: false,
  NODE_FAILED: false,
  RECURSION_LIMIT: false,
  NO_PENDING_INTERRUPT: false,
  INVALID_RESUME: false,
  INTERRUPT_TIMEOUT: false,
  STREAM_READ: false,
  REWIND_REFUSED: false,
  PAYLOAD_TOO_LARGE: false,
  // A worker of other code lacks the node: another worker (or the thread moved to another version) can run it.
  UNKNOWN_NODE: true,
  // A node that calls another thread or a server may succeed on a later attempt.
  MISSING_THREAD_ID: true,
  THREAD_NOT_FOUND: true,
  THREAD_FINISHED: true,
  THREAD_BUSY: true,
  SEARCH_ATTRIBUTES_MISSING: true,
  SERVER_UNREACHABLE: true,
  SERVER_BUSY: true,
  SERVER_REJECTED: false,
  // A Worker that has the key may decrypt it.
  ENCRYPTION_KEY: true,
  STORAGE_UNAVAILABLE: true,
};

/** What the engine puts in a failure it creates directly (see {@link failure}). */
export type FailureDetails = ErrorDetails;

/**
 * Turns a durable-graph error into an ApplicationFailure, and a thrown value that is not an Error (`throw { code: 42
 * }`) into one that keeps it (see {@link thrownValueFailure}); other errors are returned unchanged.
 */
export function toFailure(error: unknown): unknown {
  if (!isErrorLike(error)) return thrownValueFailure(error);
  if (!isDurableGraphError(error)) return error;
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: !RETRYABLE[error.code],
    details: [detailsOf(error)],
    cause: error.cause instanceof Error ? error.cause : undefined,
  });
}

/** Creates the failure for one of our codes directly (in the engine, where classes are not needed). */
export function failure(
  code: ErrorCode,
  message: string,
  details: FailureDetails = {},
  cause?: Error,
): ApplicationFailure {
  return ApplicationFailure.create({
    type: code,
    message: withCode(code, message),
    nonRetryable: true,
    details: [details],
    cause,
  });
}

/**
 * Our error from one of our failures, rebuilt through its class's constructor with every field it declares;
 * undefined for a failure of any other type. `threadId` fills in for details that do not name the thread.
 */
export function fromFailure(failure: ApplicationFailure, threadId?: string): DurableGraphError | undefined {
  if (!isErrorCode(failure.type)) return undefined;
  const first: unknown = failure.details?.[0];
  const details: ErrorDetails =
    typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as ErrorDetails) : {};
  return errorFromDetails(
    failure.type,
    failure.message,
    threadId !== undefined && typeof details.threadId !== 'string' ? { ...details, threadId } : details,
    failure.cause ?? failure,
  );
}

/**
 * Our error from what a Temporal call threw: the failure itself, or the failure a Temporal error wraps as its
 * `cause` (a failed Workflow, a rejected Update, a failed Activity or child). A failed Query reaches the client as
 * the failure's message alone (no type, no details; SDK 1.x throws it as a QueryNotRegisteredError): it is rebuilt
 * from the code its message ends with, which only suits classes without fields of their own (the one a Query
 * throws is STREAM_READ). Anything else is returned unchanged.
 */
export function fromTemporalError(error: unknown, threadId?: string): unknown {
  if (isDurableGraphError(error)) return error;
  if (error instanceof ExternalStorageNotConfiguredError) return storageMissing(error, threadId);
  const cause = error instanceof ApplicationFailure ? error : (error as { cause?: unknown } | null | undefined)?.cause;
  if (cause instanceof ApplicationFailure) return fromFailure(cause, threadId) ?? error;
  const code = error instanceof Error ? CODED_MESSAGE.exec(error.message)?.[1] : undefined;
  if (!isErrorCode(code)) return error;
  return errorFromDetails(code, (error as Error).message, threadId !== undefined ? { threadId } : {}, error);
}

/** A claim of External Storage reached a client that has none: what to configure. */
function storageMissing(error: Error, threadId: string | undefined): StorageUnavailableError {
  const thread = threadId !== undefined ? `Thread "${threadId}"` : 'The thread';
  return new StorageUnavailableError(
    `${thread} keeps values in External Storage, and this client has none configured. Give it the same storage ` +
      `as the thread's workers: GraphClient.connect({ storage }) or DURABLE_GRAPH_STORAGE (see docs/storage.md).`,
    { ...(threadId !== undefined ? { threadId } : {}), location: '(none configured)', cause: error },
  );
}

/** The end of every message of ours (see `withCode`): the code and its docs anchor. */
const CODED_MESSAGE = / \[([A-Z_]+)\] docs\/errors\.md#[a-z_]+$/;

/** A message of ours without its code and docs anchor, and without its final period: to quote it in another. */
export function withoutCode(message: string): string {
  return message.replace(CODED_MESSAGE, '').replace(/\.$/, '');
}

/** The details an error travels with, checked to be plain JSON (a field that is not would fail the conversion). */
function detailsOf(error: DurableGraphError): ErrorDetails {
  try {
    return JSON.parse(JSON.stringify(error.toDetails())) as ErrorDetails;
  } catch {
    const { threadId, node } = error;
    return { ...(threadId !== undefined ? { threadId } : {}), ...(node !== undefined ? { node } : {}) };
  }
}

/** An Error, from this realm or another, or an object with a message: Temporal's conversion reads it well. */
function isErrorLike(value: unknown): boolean {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string')
  );
}

/** A thrown value's JSON is clipped to this many characters in the failure's message. */
const THROWN_MESSAGE_MAX = 500;
/** ... and kept whole in its details up to this size (a payload has a size limit). */
const THROWN_DETAILS_MAX = 32 * 1024;

/**
 * The failure for a value thrown that is not an Error: its message is the value's JSON (a string as it is), clipped;
 * its details hold the value itself when it is plain JSON of a reasonable size; its type is the value's constructor
 * (`Object`, `Array`) as the SDK names it, or its `typeof`. Retryable, as a thrown Error is. Temporal's own
 * conversion reads only a `message` field, and `throw { code: 42 }` would arrive as "undefined".
 */
export function thrownValueFailure(value: unknown): ApplicationFailure {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // circular, or a BigInt inside
  }
  const text = typeof value === 'string' ? value : (json ?? String(value));
  const message = text.length > THROWN_MESSAGE_MAX ? `${text.slice(0, THROWN_MESSAGE_MAX)}… (clipped)` : text;
  const kept = json !== undefined && json.length <= THROWN_DETAILS_MAX;
  const type =
    value === null
      ? 'null'
      : typeof value === 'object'
        ? ((value as { constructor?: { name?: unknown } }).constructor?.name as string | undefined) || 'Object'
        : typeof value;
  return ApplicationFailure.create({
    type,
    message: message || '(empty)',
    nonRetryable: false,
    details: kept ? [JSON.parse(json!) as unknown] : [],
  });
}
