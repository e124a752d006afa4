/**
 * The one queue every write to the thread's values goes through: input, a step's writes, Command updates,
 * updateState. Built-in reducers merge in the engine; custom reducers run on the worker (a local Activity).
 * Determinism: merges apply in the order they were queued; the only command is that local Activity.
 */
import { isCancellation } from '@temporalio/workflow';
import { canMergeInEngine, mergeBuiltin } from '../protocol/reducers.js';
import type { GraphSpec } from '../protocol/spec.js';
import { coordination } from './coordination.js';
import { cancellationOf, runFailure } from './run-failure.js';
import type { RunState } from './run-state.js';

/** Where a merge's writes come from: the failure it ends with names it. */
export type MergeSource = 'input' | 'node';

export class ValuesQueue {
  /** The last queued merge (created with the first one: a run whose merges all run in the engine makes no promise). */
  #lock?: Promise<unknown>;
  /** Merges queued behind #lock (a merge runs synchronously only when there are none). */
  #inFlight = 0;

  readonly #state: RunState;

  constructor(state: RunState) {
    this.#state = state;
  }

  /**
   * Merges writes into the thread's values, in order. Serialised: a handler (updateState) and the superstep loop may
   * both merge while a custom reducer's local Activity is in flight; each merge starts from the previous one's
   * result, so no write is lost. Built-in reducers with no merge in flight merge right here and return no promise
   * (every promise costs the SDK a stack capture).
   */
  mergeIntoValues(writes: Record<string, unknown>[], source: MergeSource = 'input'): Promise<void> | undefined {
    const spec = this.#spec;
    if (this.#inFlight === 0 && canMergeInEngine(spec.channels, writes)) {
      if (writes.length) this.#state.values = mergeBuiltin(spec.channels, this.#state.values, writes);
      return undefined;
    }
    this.#inFlight++;
    const run = (this.#lock ?? Promise.resolve()).then(async () => {
      try {
        this.#state.values = await this.mergeOnto(this.#state.values, writes, source);
      } finally {
        this.#inFlight--;
      }
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** `values` with `writes` merged, without changing the thread's values (custom reducers run on the worker). */
  async mergeOnto(
    values: Record<string, unknown>,
    writes: Record<string, unknown>[],
    source: MergeSource = 'input',
  ): Promise<Record<string, unknown>> {
    if (writes.length === 0) return values;
    const { channels } = this.#spec;
    if (!canMergeInEngine(channels, writes)) {
      try {
        return await coordination.applyWrites({
          graph: this.#state.graph,
          threadId: this.#state.threadId,
          values,
          writes,
        });
      } catch (error) {
        if (isCancellation(error)) throw cancellationOf(error);
        const { threadId, step } = this.#state;
        throw runFailure(threadId, step, source === 'node' ? `merge:${step}` : 'merge:input', error);
      }
    }
    return mergeBuiltin(channels, values, writes);
  }

  get #spec(): GraphSpec {
    return this.#state.spec!;
  }
}
