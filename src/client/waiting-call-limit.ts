/**
 * A bound on the calls a client holds open on the server while they wait: an `invoke()` waiting for its run, a
 * stream's read, a run's result. The server counts these long polls against a per-namespace limit
 * (`frontend.namespaceCount`, 1,200 per frontend by default) that the workers' task polls share: a client holding
 * thousands of them gets the rest refused as busy, and starves the workers that would end the waits. Past the bound,
 * calls wait their turn in the client, first come first served; each poll returns within the server's long-poll
 * timeout, so the queue keeps moving.
 */
import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';

/** How many waiting calls a client holds at once when it sets nothing. */
export const DEFAULT_MAX_WAITING_CALLS = 500;

/** The calls the server holds until something happens (a run's next event, an Update's outcome, a start's Update). */
const WAITING_METHODS = [
  '/GetWorkflowExecutionHistory',
  '/PollWorkflowExecutionUpdate',
  '/UpdateWorkflowExecution',
  '/ExecuteMultiOperation',
];

/**
 * The gRPC interceptor that holds at most `max` waiting calls open at once; `Infinity` turns the bound off. Calls with
 * a deadline of their own are not held back, so time spent waiting in the client never eats into it.
 */
export function waitingCallLimitInterceptor(max: number): Interceptor {
  const slots = new Slots(max);
  return (options, nextCall) => {
    const path = options.method_definition.path;
    if (!Number.isFinite(max) || options.deadline !== undefined || !WAITING_METHODS.some((m) => path.endsWith(m)))
      return new InterceptingCall(nextCall(options));
    let held = false;
    let startCall: (() => void) | undefined;
    let takeTurn: (() => void) | undefined;
    const requester = new RequesterBuilder()
      .withStart((metadata, _listener, next) => {
        const onStatus = new ListenerBuilder()
          .withOnReceiveStatus((status, nextStatus) => {
            if (held) slots.release();
            held = false;
            nextStatus(status);
          })
          .build();
        startCall = () => next(metadata, onStatus);
        takeTurn = () => {
          held = true;
          startCall!();
        };
        slots.acquire(takeTurn);
      })
      .withCancel((next) => {
        // Cancelled before its turn: it takes no slot, and starts only so that its caller hears the cancellation.
        if (takeTurn && slots.forget(takeTurn)) startCall!();
        next();
      })
      .build();
    return new InterceptingCall(nextCall(options), requester);
  };
}

/** A counting semaphore whose waiters run in the order they came. */
class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  acquire(run: () => void): void {
    if (this.#free > 0) {
      this.#free--;
      run();
    } else this.#waiting.push(run);
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }

  /** Drops a waiter that has not run; false when it already has. */
  forget(run: () => void): boolean {
    const at = this.#waiting.indexOf(run);
    if (at < 0) return false;
    this.#waiting.splice(at, 1);
    return true;
  }
}
