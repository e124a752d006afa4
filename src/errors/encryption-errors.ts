/** Errors about the encryption of payloads (`durable-graph/codec`). */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/**
 * Thrown when the encryption keys are malformed (`DURABLE_GRAPH_ENCRYPTION_KEYS`, `encryptionCodec({ keys })`), or a
 * payload is encrypted with a key this process does not have (unknown key id, no keys at all, or a key of that id
 * that does not decrypt it). Nothing is lost: a run whose history cannot be decrypted waits, and a Worker started
 * with the right keys carries on.
 */
export class EncryptionKeyError extends DurableGraphError {
  /** The id of the key the payload was encrypted with, when a payload was being decrypted. */
  readonly keyId?: string;
  constructor(message: string, context: ErrorContext & { keyId?: string } = {}) {
    super(ErrorCode.ENCRYPTION_KEY, message, context);
    if (context.keyId !== undefined) this.keyId = context.keyId;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), ...(this.keyId === undefined ? {} : { keyId: this.keyId }) };
  }
}
