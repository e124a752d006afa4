/**
 * Errors about the Temporal server a client or worker uses: nothing answers at the address, or the namespace lacks
 * the search attributes the engine writes. Both messages name the command that fixes it.
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

/** Thrown by `GraphClient.connect()` and `createWorker()` when no Temporal server answers at the address. */
export class ServerUnreachableError extends DurableGraphError {
  /** The address that was tried. */
  readonly address: string;
  constructor(address: string, cause?: unknown) {
    super(
      ErrorCode.SERVER_UNREACHABLE,
      `No Temporal server answered at ${address}. Start one (\`npx durable-graph dev\` or \`temporal server start-dev\`), or point TEMPORAL_ADDRESS (or the address option) at yours.`,
      { cause },
    );
    this.address = address;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), address: this.address };
  }
}
