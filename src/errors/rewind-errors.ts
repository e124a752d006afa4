/** The error of a rewind that cannot go where it was asked to. */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorContext, type ErrorDetails } from './durable-graph-error.js';

/** A pause a thread can be rewound to: its interrupt, the node that asked, what it asked and when. */
export interface RewindablePause {
  id: string;
  node: string;
  value: unknown;
  /** When the pause was published (ISO 8601). */
  at: string;
}

/**
 * Thrown by `rewind()` when it cannot go back where it was asked to: the interrupt id is not a pause of the thread's
 * latest run, that pause was never answered by a person (so there is no answer to undo), or there is no answered
 * pause at all. Nothing was changed; `pauses` lists the pauses it can go back to.
 */
export class RewindRefusedError extends DurableGraphError {
  /** The answered pauses of the thread's latest run, oldest first (`[]` when there are none, or not known). */
  readonly pauses: readonly RewindablePause[];
  constructor(message: string, context: ErrorContext & { pauses?: readonly RewindablePause[] } = {}) {
    super(ErrorCode.REWIND_REFUSED, message, context);
    this.pauses = context.pauses ?? [];
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), pauses: this.pauses.map((p) => ({ ...p })) };
  }
}
