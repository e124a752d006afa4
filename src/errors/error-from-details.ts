/**
 * The way back across Temporal: an error's code, message and details (see `DurableGraphError.toDetails`) become the
 * same class again, built through its own constructor. The table is keyed by every code, so adding a code without
 * saying how to rebuild it does not compile.
 */
import type { ErrorCode } from './error-code.js';
import { withCode, type DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';
import { GraphDefinitionError, UnknownGraphError, UnknownNodeError } from './definition-errors.js';
import {
  ConflictingWritesError,
  InvalidInputError,
  InvalidUpdateError,
  ReducerFailedError,
  UnserializableValueError,
  UpdateStateRefusedError,
} from './state-errors.js';
import {
  InvalidDestinationError,
  InvalidParentCommandError,
  MultipleParentCommandsError,
  NoParentGraphError,
} from './routing-errors.js';
import { MissingThreadIdError, ThreadFinishedError, ThreadNotFoundError } from './thread-errors.js';
import { PayloadTooLargeError } from './payload-errors.js';
import { EncryptionKeyError } from './encryption-errors.js';
import { StorageUnavailableError } from './storage-errors.js';
import { ThreadBusyError, type PendingPause } from './thread-busy-error.js';
import {
  InterruptOutsideNodeError,
  InterruptTimeoutError,
  InvalidInterruptError,
  InvalidResumeError,
  NoPendingInterruptError,
} from './interrupt-errors.js';
import { NodeFailedError, RecursionLimitError, StreamReadError } from './run-errors.js';
import {
  SearchAttributesMissingError,
  ServerBusyError,
  ServerRejectedError,
  ServerUnreachableError,
} from './server-errors.js';
import { RewindRefusedError, type RewindablePause } from './rewind-errors.js';

type Rebuild = (details: ErrorDetails, message: string) => DurableGraphError;

/** Rebuilds each class through its constructor from its details; a code without an entry does not compile. */
const REBUILD: { readonly [C in ErrorCode]: Rebuild } = {
  GRAPH_DEFINITION: (d, message) => new GraphDefinitionError(text(d.graph), texts(d.problems), message),
  UNKNOWN_GRAPH: (d) => new UnknownGraphError(text(d.graph), texts(d.known), placeOf(d)),
  UNKNOWN_NODE: (d, message) => new UnknownNodeError(message, placeOf(d)),
  INVALID_INPUT: (d, message) => new InvalidInputError(message, placeOf(d)),
  INVALID_UPDATE: (d, message) => new InvalidUpdateError(message, placeOf(d)),
  UNSERIALIZABLE_VALUE: (d, message) => new UnserializableValueError(message, placeOf(d)),
  INVALID_DESTINATION: (d, message) => new InvalidDestinationError(message, placeOf(d)),
  INVALID_INTERRUPT: (d, message) => new InvalidInterruptError(message, placeOf(d)),
  REDUCER_FAILED: (d, message) => new ReducerFailedError(message, placeOf(d)),
  CONFLICTING_WRITES: (d, message) => new ConflictingWritesError(message, placeOf(d)),
  NO_PARENT_GRAPH: (d, message) => new NoParentGraphError(message, placeOf(d)),
  MULTIPLE_PARENT_COMMANDS: (d, message) => new MultipleParentCommandsError(message, placeOf(d)),
  INVALID_PARENT_COMMAND: (d, message) => new InvalidParentCommandError(message, placeOf(d)),
  UPDATE_STATE_REFUSED: (d, message) => new UpdateStateRefusedError(message, placeOf(d)),
  MISSING_THREAD_ID: () => new MissingThreadIdError(undefined),
  THREAD_NOT_FOUND: (d) => new ThreadNotFoundError(text(d.threadId)),
  THREAD_FINISHED: (d) => new ThreadFinishedError(text(d.threadId), text(d.status, 'completed')),
  THREAD_BUSY: (d) => new ThreadBusyError(text(d.threadId), text(d.status, 'running'), pendingOf(d.pending)),
  NO_PENDING_INTERRUPT: (d) => new NoPendingInterruptError(text(d.threadId), text(d.status, 'unknown')),
  INVALID_RESUME: (d, message) => new InvalidResumeError(message, { ...placeOf(d), pendingIds: texts(d.pendingIds) }),
  INTERRUPT_OUTSIDE_NODE: (d, message) => new InterruptOutsideNodeError(message, placeOf(d)),
  NODE_FAILED: (d, message) => new NodeFailedError(message, placeOf(d)),
  RECURSION_LIMIT: (d) => new RecursionLimitError(text(d.threadId), typeof d.limit === 'number' ? d.limit : NaN),
  SEARCH_ATTRIBUTES_MISSING: (d) => new SearchAttributesMissingError(text(d.namespace), texts(d.missing)),
  SERVER_UNREACHABLE: (d) =>
    new ServerUnreachableError(text(d.address), undefined, typeof d.threadId === 'string' ? d.threadId : undefined),
  SERVER_BUSY: (d) => new ServerBusyError(text(d.detail), placeOf(d)),
  SERVER_REJECTED: (d) => new ServerRejectedError(text(d.status), text(d.detail), placeOf(d)),
  INTERRUPT_TIMEOUT: (d, message) => new InterruptTimeoutError(message, placeOf(d)),
  STREAM_READ: (d, message) => new StreamReadError(message, placeOf(d)),
  REWIND_REFUSED: (d, message) => new RewindRefusedError(message, { ...placeOf(d), pauses: pausesOf(d.pauses) }),
  PAYLOAD_TOO_LARGE: (d, message) =>
    new PayloadTooLargeError(message, {
      ...placeOf(d),
      what: text(d.what),
      bytes: typeof d.bytes === 'number' ? d.bytes : NaN,
      limit: typeof d.limit === 'number' ? d.limit : NaN,
    }),
  ENCRYPTION_KEY: (d, message) =>
    new EncryptionKeyError(message, { ...placeOf(d), ...(typeof d.keyId === 'string' ? { keyId: d.keyId } : {}) }),
  STORAGE_UNAVAILABLE: (d, message) =>
    new StorageUnavailableError(message, { ...placeOf(d), location: text(d.location) }),
};

/**
 * Builds the error of `code` again from what crossed Temporal: its class, through its constructor, with every field
 * it declares taken from `details` (see {@link DurableGraphError.toDetails}), and the message exactly as recorded.
 */
export function errorFromDetails(
  code: ErrorCode,
  message: string,
  details: ErrorDetails = {},
  cause?: unknown,
): DurableGraphError {
  const error = REBUILD[code](details, message);
  // Classes that word their own message from their fields: keep the recorded one, which may name more.
  error.message = withCode(code, message);
  // Where the class has no constructor argument for them: set them as the constructor would have.
  if (error.threadId === undefined && typeof details.threadId === 'string')
    Object.defineProperty(error, 'threadId', { value: details.threadId, enumerable: true });
  if (error.node === undefined && typeof details.node === 'string')
    Object.defineProperty(error, 'node', { value: details.node, enumerable: true });
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function placeOf(details: ErrorDetails): ErrorContext {
  const context: ErrorContext = {};
  if (typeof details.threadId === 'string') context.threadId = details.threadId;
  if (typeof details.node === 'string') context.node = details.node;
  return context;
}

function pausesOf(value: unknown): RewindablePause[] {
  return Array.isArray(value)
    ? value.filter((p): p is RewindablePause => typeof p === 'object' && p !== null && typeof p.id === 'string')
    : [];
}

function pendingOf(value: unknown): PendingPause | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as PendingPause).interrupts))
    return undefined;
  return value as PendingPause;
}
