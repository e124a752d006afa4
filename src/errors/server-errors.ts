/**
 * Errors about the Temporal server a client or worker uses: nothing answers at the address (or stopped answering),
 * it is too busy, it refused a call for a reason of its own, or the namespace lacks the search attributes the engine
 * writes. Each says whether anything was applied and what to do.
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorDetails } from './durable-graph-error.js';

/** Thrown by `createWorker()` when the namespace lacks durable-graph's search attributes and they cannot be added. */
export class SearchAttributesMissingError extends DurableGraphError {
  /** The namespace that lacks them. */
  readonly namespace: string;
  /** The missing search attributes, as `Name=Type`. */
  readonly missing: readonly string[];
  constructor(namespace: string, missing: readonly string[], cause?: unknown) {
    super(
      ErrorCode.SEARCH_ATTRIBUTES_MISSING,
      `Namespace "${namespace}" lacks the search attributes ${missing.join(', ')} and they could not be registered. ` +
        `Register them once: ${missing.map((m) => `\`temporal operator search-attribute create --namespace ${namespace} --name ${m.split('=')[0]} --type ${m.split('=')[1]}\``).join('; ')}.`,
      { cause },
    );
    this.namespace = namespace;
    this.missing = missing;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), namespace: this.namespace, missing: [...this.missing] };
  }
}

/**
 * Thrown by `GraphClient.connect()` and `createWorker()` when no Temporal server answers at the address, and by a
 * client call on a thread when the server stopped answering for longer than the client waits out an outage.
 */
export class ServerUnreachableError extends DurableGraphError {
  /** The address that was tried. */
  readonly address: string;
  constructor(address: string, cause?: unknown, threadId?: string) {
    super(
      ErrorCode.SERVER_UNREACHABLE,
      threadId === undefined
        ? `No Temporal server answered at ${address}. Start one (\`npx durable-graph dev\` or \`temporal server start-dev\`), or point TEMPORAL_ADDRESS (or the address option) at yours.`
        : `The Temporal server at ${address} did not answer a call on thread "${threadId}" in time: it stopped answering and did not come back while the client waited, or it is overloaded. ` +
            `What the server had accepted is kept: the thread goes on once the server answers again. ` +
            `Then read the thread with getState(config) before sending the call again (a resume sent twice is refused, never applied twice).`,
      { cause, ...(threadId !== undefined ? { threadId } : {}) },
    );
    this.address = address;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), address: this.address };
  }
}

/**
 * Thrown by a client call when the Temporal server kept refusing it for lack of resources (gRPC RESOURCE_EXHAUSTED: a
 * rate limit of the namespace, or too many Updates in flight on one thread) after the client's retries.
 */
export class ServerBusyError extends DurableGraphError {
  /** What the server said. */
  readonly detail: string;
  constructor(detail: string, context: { threadId?: string; cause?: unknown } = {}) {
    super(
      ErrorCode.SERVER_BUSY,
      `The Temporal server refused a call${context.threadId === undefined ? '' : ` on thread "${context.threadId}"`} as too busy, after retries: ${detail}. ` +
        `Nothing was applied. Send it again later, or fewer at once (a namespace's rate limits are set on the server).`,
      context,
    );
    this.detail = detail;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), detail: this.detail };
  }
}

/**
 * Thrown by a client call that the Temporal server refused for a reason of its own (a gRPC status such as
 * FAILED_PRECONDITION, INVALID_ARGUMENT, PERMISSION_DENIED or NOT_FOUND that durable-graph has no error of its own for).
 */
export class ServerRejectedError extends DurableGraphError {
  /** The gRPC status name, e.g. `"FAILED_PRECONDITION"`. */
  readonly status: string;
  /** What the server said. */
  readonly detail: string;
  constructor(status: string, detail: string, context: { threadId?: string; cause?: unknown } = {}) {
    super(
      ErrorCode.SERVER_REJECTED,
      `The Temporal server refused a call${context.threadId === undefined ? '' : ` on thread "${context.threadId}"`} (${status}): ${detail}. ` +
        `Nothing was applied. ${ADVICE[status] ?? "Check the server's message above; the call can be sent again once its cause is fixed."}`,
      context,
    );
    this.status = status;
    this.detail = detail;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), status: this.status, detail: this.detail };
  }
}

/** What to do next, by gRPC status. */
const ADVICE: Readonly<Record<string, string>> = {
  PERMISSION_DENIED: 'Use an identity the namespace authorizes (API key, mTLS certificate).',
  UNAUTHENTICATED: 'Check the API key or mTLS certificate (TEMPORAL_API_KEY, the Temporal config file).',
  NOT_FOUND: 'Check the namespace (TEMPORAL_NAMESPACE or the namespace option).',
  FAILED_PRECONDITION: 'Read the thread with getState(config): its state may have changed since the call was made.',
};
