/**
 * Every error durable-graph throws, in one place. Each one says what happened, where (thread, node)
 * and what to do next, and carries a stable {@link ErrorCode}. The classes live in `errors/`, one file per
 * kind of problem; this is the one list other folders import. Nothing here or under `errors/` imports
 * anything outside `errors/`, so the workflow sandbox, activities, worker and client can all share it.
 */
export { ErrorCode, isErrorCode } from './errors/error-code.js';
export { DurableGraphError, withCode, isDurableGraphError } from './errors/durable-graph-error.js';
export type { ErrorContext, ErrorDetails } from './errors/durable-graph-error.js';
export { describe } from './errors/describe.js';
export { GraphDefinitionError, UnknownGraphError, UnknownNodeError } from './errors/definition-errors.js';
export {
  InvalidInputError,
  InvalidUpdateError,
  UnserializableValueError,
  ReducerFailedError,
  ConflictingWritesError,
  UpdateStateRefusedError,
} from './errors/state-errors.js';
export {
  InvalidDestinationError,
  NoParentGraphError,
  MultipleParentCommandsError,
  InvalidParentCommandError,
} from './errors/routing-errors.js';
export { MissingThreadIdError, ThreadFinishedError, ThreadNotFoundError } from './errors/thread-errors.js';
export { PayloadTooLargeError } from './errors/payload-errors.js';
export { EncryptionKeyError } from './errors/encryption-errors.js';
export { StorageUnavailableError } from './errors/storage-errors.js';
export { ThreadBusyError } from './errors/thread-busy-error.js';
export type { PendingPause } from './errors/thread-busy-error.js';
export {
  InvalidInterruptError,
  InterruptOutsideNodeError,
  InterruptTimeoutError,
  NoPendingInterruptError,
  InvalidResumeError,
} from './errors/interrupt-errors.js';
export { NodeFailedError, RecursionLimitError, StreamReadError } from './errors/run-errors.js';
export {
  SearchAttributesMissingError,
  ServerBusyError,
  ServerRejectedError,
  ServerUnreachableError,
} from './errors/server-errors.js';
export { RewindRefusedError, type RewindablePause } from './errors/rewind-errors.js';
export { errorFromDetails } from './errors/error-from-details.js';
