/**
 * What the Temporal server answered, as our errors: a gRPC failure of a client call (the server down, too busy, or
 * refusing the call) becomes SERVER_UNREACHABLE, SERVER_BUSY or SERVER_REJECTED naming the thread, so a caller never
 * meets a raw `ServiceError`.
 */
import { ServerBusyError, ServerRejectedError, ServerUnreachableError } from '../errors.js';

/** gRPC status names by code. */
const STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** Where a call was going, for the error's words. */
export interface CallPlace {
  threadId?: string | undefined;
  /** The server's address, when the client knows it. */
  address?: string | undefined;
}

/**
 * Our error for a gRPC failure found in `error` or its causes (the SDK wraps it in a `ServiceError`, or a
 * `WorkflowUpdateRPCTimeoutOrCancelledError`); `undefined` when there is none, or when the caller cancelled the call.
 */
export function serviceErrorOf(
  error: unknown,
  place: CallPlace,
): ServerUnreachableError | ServerBusyError | ServerRejectedError | undefined {
  const grpc = grpcFailureIn(error);
  if (!grpc) return undefined;
  const status = STATUS[grpc.code] ?? `gRPC status ${grpc.code}`;
  const context = { ...(place.threadId !== undefined ? { threadId: place.threadId } : {}), cause: error };
  switch (status) {
    case 'CANCELLED':
      return undefined;
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED':
      return new ServerUnreachableError(place.address ?? 'the configured address', error, place.threadId);
    case 'RESOURCE_EXHAUSTED':
      return new ServerBusyError(grpc.details, context);
    default:
      return new ServerRejectedError(status, grpc.details || status, context);
  }
}

/** The first gRPC failure (a numeric `code`, a `details` string and `metadata`) on the chain of causes. */
function grpcFailureIn(error: unknown): { code: number; details: string } | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, details, metadata, cause } = e as {
      code?: unknown;
      details?: unknown;
      metadata?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'number' && typeof details === 'string' && typeof metadata === 'object')
      return { code, details };
    e = cause;
  }
  return undefined;
}
