/**
 * The base class every durable-graph error extends, and the two rules all of them share: the message shape
 * (`withCode`) and identity by marker rather than by prototype (`isDurableGraphError`), because errors cross the
 * workflow sandbox and may come from a duplicate copy of the package.
 */
import type { ErrorCode } from './error-code.js';

const MARKER = Symbol.for('durable-graph.error');

/** Where an error happened; every field is optional because not every error has all of them. */
export interface ErrorContext {
  threadId?: string;
  node?: string;
  cause?: unknown;
}

/**
 * What an error carries across Temporal in its ApplicationFailure's `details[0]`: where it happened (`threadId`,
 * `node`) and what its class needs to be built again through its constructor on the other side. Plain JSON only.
 */
export interface ErrorDetails {
  threadId?: string;
  node?: string;
  [field: string]: unknown;
}

/**
 * Base class of every durable-graph error.
 *
 * Use {@link isDurableGraphError} rather than `instanceof`: errors cross the workflow sandbox and
 * may come from a duplicate copy of the package.
 */
export class DurableGraphError extends Error {
  readonly code: ErrorCode;
  readonly threadId?: string;
  readonly node?: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(withCode(code, message), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    if (context.threadId !== undefined) this.threadId = context.threadId;
    if (context.node !== undefined) this.node = context.node;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** The details that travel with this error across Temporal: where, plus each field a subclass declares. */
  toDetails(): ErrorDetails {
    const details: ErrorDetails = {};
    if (this.threadId !== undefined) details.threadId = this.threadId;
    if (this.node !== undefined) details.node = this.node;
    return details;
  }
}

/** Appends the code and its docs anchor to a message: the one place the message shape is decided. */
export function withCode(code: ErrorCode, message: string): string {
  if (message.includes(`[${code}]`)) return message; // already formatted (rebuilt from a Temporal failure)
  return `${message} [${code}] docs/errors.md#${code.toLowerCase()}`;
}

/** True for any durable-graph error, including ones rebuilt from a Temporal failure. */
export function isDurableGraphError(value: unknown): value is DurableGraphError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}
