/**
 * The closed list of error codes. The code is the contract: it is what crosses Temporal as a failure's `type`, and
 * what a caller matches on.
 */

/** Stable error codes. A released code never changes meaning; each has an anchor in docs/errors.md. */
export const ErrorCode = {
  GRAPH_DEFINITION: 'GRAPH_DEFINITION',
  UNKNOWN_GRAPH: 'UNKNOWN_GRAPH',
  UNKNOWN_NODE: 'UNKNOWN_NODE',
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_UPDATE: 'INVALID_UPDATE',
  UNSERIALIZABLE_VALUE: 'UNSERIALIZABLE_VALUE',
  INVALID_DESTINATION: 'INVALID_DESTINATION',
  INVALID_INTERRUPT: 'INVALID_INTERRUPT',
  REDUCER_FAILED: 'REDUCER_FAILED',
  CONFLICTING_WRITES: 'CONFLICTING_WRITES',
  NO_PARENT_GRAPH: 'NO_PARENT_GRAPH',
  MULTIPLE_PARENT_COMMANDS: 'MULTIPLE_PARENT_COMMANDS',
  INVALID_PARENT_COMMAND: 'INVALID_PARENT_COMMAND',
  UPDATE_STATE_REFUSED: 'UPDATE_STATE_REFUSED',
  MISSING_THREAD_ID: 'MISSING_THREAD_ID',
  THREAD_NOT_FOUND: 'THREAD_NOT_FOUND',
  THREAD_BUSY: 'THREAD_BUSY',
  NO_PENDING_INTERRUPT: 'NO_PENDING_INTERRUPT',
  INVALID_RESUME: 'INVALID_RESUME',
  INTERRUPT_OUTSIDE_NODE: 'INTERRUPT_OUTSIDE_NODE',
  NODE_FAILED: 'NODE_FAILED',
  RECURSION_LIMIT: 'RECURSION_LIMIT',
  SEARCH_ATTRIBUTES_MISSING: 'SEARCH_ATTRIBUTES_MISSING',
  SERVER_UNREACHABLE: 'SERVER_UNREACHABLE',
  SERVER_BUSY: 'SERVER_BUSY',
  SERVER_REJECTED: 'SERVER_REJECTED',
  INTERRUPT_TIMEOUT: 'INTERRUPT_TIMEOUT',
  STREAM_READ: 'STREAM_READ',
  REWIND_REFUSED: 'REWIND_REFUSED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  ENCRYPTION_KEY: 'ENCRYPTION_KEY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The names of the error codes, for checking a failure's `type`. */
const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True when `value` is one of our error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}
