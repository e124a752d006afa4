/**
 * The ledger of engine behaviour changes since durable-graph 0.1.0, and how a run learns which behaviour it has.
 * Determinism: a run's level is recorded in its history by the worker that executes it (a `patched()` marker, as
 * Temporal's SDK records its own flags), never chosen by the process that starts the run; every later worker reads
 * it back from that history and behaves as that level did. It is recorded where behaviours may first differ: the
 * run's first pause or failed node (`RunState.level` is read lazily). A run that never gets there carries no marker
 * (nor the `TemporalChangeVersion` search attribute the SDK upserts beside it), so lean runs stay lean.
 *
 * How to ship a change that alters the commands the engine issues (or their order):
 * 1. add an entry to {@link EngineChange} with the next level and a doc saying what changed, why, and whether
 *    rolling back to a worker without it is safe;
 * 2. raise {@link ENGINE_LEVEL} (defined in protocol/engine-level.ts) to it, and gate the new code on
 *    `state.level >= EngineChange.X` (`RunState.level`, the run's recorded level);
 * 3. record a replay history of a run at the new level beside the older ones (test/replay/record.ts).
 * Never renumber, reuse or remove a level that has been released.
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { ENGINE_LEVEL, engineLevelPatchId } from '../protocol/engine-level.js';

/** Engine behaviour changes since 0.1.0 (level 0, the baseline). */
export const EngineChange = {
  /**
   * Pauses are described truthfully: the memo's and Current Details' resume command carries a placeholder (or an
   * example built from the interrupt's response schema), never a guessed `true`; Current Details renders exactly;
   * a run that had paused writes its final status when it ends. Changes only visibility writes: rolling back to a
   * level-0 worker is safe.
   */
  truthfulPauses: 1,
  /**
   * A node that fails after its retries parks the thread (status `error`) instead of ending the run, unless the
   * graph was compiled with `onNodeFailure: 'fail'`: a continue runs it again, and the interrupt it ran with can be
   * answered again. Interrupt ids derive from their task and index instead of a uuid4 draw, so a rewind re-opens a
   * pause under the id operators were shown. Rolling back to a level-1 worker is NOT safe for a parked thread (it
   * cannot replay the wait).
   */
  parkOnNodeFailure: 2,
  /**
   * A run started with an input that is not a run's input (no `"input"` wrapper, a bare string or list, a `command`
   * or `recursionLimit` of the wrong type) fails at once with INVALID_INPUT naming the field, instead of running on
   * empty state or without a limit; a Signal under a name the engine does not know, or a resume Signal larger than
   * a thread may carry (protocol/payload-size.ts), is recorded as a refused resume instead of being dropped or
   * applied. The level is read only then, so well-formed runs record nothing for it. Rolling back
   * to a level-2 worker is safe (such runs have ended; a refused unknown Signal is only listed).
   */
  validatedStart: 3,
  /**
   * A run continues as new (Temporal's continue-as-new: same Workflow Id, a new Run Id and a fresh history) when the
   * server suggests it (history length or size, or the run's Updates nearing their limit) or after the engine counted
   * {@link UPDATES_PER_RUN} Updates itself, at a safe point only: between supersteps, or while paused on interrupts,
   * once every Update and Signal handler has finished. The next run gets the state, the pending tasks with their
   * interrupt ids, the stop count, the recursion count and the stream offset; waiting Updates return a
   * "continued" marker that the client follows to the next run. The level is read only when a continue-as-new is
   * wanted, so runs that never grow that long record nothing for it, and a level-3 run replays as before. Rolling
   * back to a level-3 worker is NOT safe for a thread that has continued as new: such a worker does not know the
   * carried state (it refuses the next run's input as INVALID_INPUT).
   */
  continueAsNew: 4,
  /**
   * A node whose Activity fails with UNKNOWN_NODE (the worker that took it runs other code, whose graph lacks the
   * node) does not fail the task: the step waits (a timer, from 1 s doubling to 60 s) and runs the node again as a
   * regular Activity (any worker of the thread's version may take it), until a worker that has the node runs it;
   * meanwhile getState shows the worker's message on the task. The level is read only on such a failure, so other
   * runs record nothing for it. Rolling back to a level-4 worker is NOT safe for a thread waiting so (it cannot
   * replay the timer).
   */
  versionTolerantNodes: 5,
  /**
   * A run that continues as new passes its memo on (Temporal gives the next run the search attributes as they are,
   * but the memo only as the run started: a level-5 next run paused with no memo, so `show` and `threads` could not
   * say what it waits for with no worker), and hands what it published to the next run, which takes it over: a pause
   * published before the handover is taken back when it is answered, and the thread's final status is written, where
   * a level-5 next run left `DurableGraphStatus` saying `interrupted` (or `running`) after it had resumed or ended.
   * The level is read at the start of a next run that received what was published (only a level-6 run sends it), so
   * other runs record nothing for it. Rolling back to a level-5 worker is NOT safe for a next run that a level-6
   * worker has started (it refuses the run's level and waits for a newer worker); a next run it starts itself ignores
   * what was handed over.
   */
  continuedVisibility: 6,
} as const satisfies Record<string, number>;

/**
 * The level of this engine: the highest {@link EngineChange}, or 0 for the 0.1.0 baseline. Defined in
 * protocol/engine-level.ts, where the worker reads it to stamp prebuilt engine bundles without loading the engine.
 */
export { ENGINE_LEVEL };

/**
 * Whether the run is at `change` or later, read where a behaviour of `change` may begin and nothing before it read
 * the level. Unlike {@link RunState.level} (read through `state`), a replay of a history that carries no marker of
 * `change` or later at this point answers no without fixing the run's level: a run recorded by an older worker reads
 * its level later, where that worker did. `read` reads (and, on a first execution, records) the run's level.
 */
export function reachedLevel(change: number, read: () => number, known: number | undefined): boolean {
  if (known !== undefined) return known >= change;
  if (workflowInfo().unsafe.isReplaying) {
    let marked = false;
    for (let level = change; level <= ENGINE_LEVEL + LOOKAHEAD && !marked; level++)
      marked = patched(engineLevelPatchId(level));
    if (!marked) return false;
  }
  return read() >= change;
}

/**
 * How many levels beyond its own a worker looks for in a replayed history. A worker is refused threads recorded up
 * to this many levels ahead; a gap wider than that is not detected, so never skip that many releases in a rollout.
 */
const LOOKAHEAD = 64;

/** Thrown (a plain Error, so the workflow task fails and retries) when a run was recorded by a newer engine. */
export class EngineTooOldError extends Error {
  override readonly name = 'EngineTooOldError';
}

/**
 * The engine level of the current run: this worker's own when it executes this point of the run for the first time
 * (recording it), else the one recorded in the history it replays. Call once per run, at the same point of the run
 * on every execution (before the first command whose shape depends on the level), never in a Query or a validator.
 * @param own This worker's level (a test passes a higher one to play a newer worker).
 * @throws {EngineTooOldError} when the history was recorded by a worker of a higher level than `own`.
 */
export function recordedEngineLevel(own: number = ENGINE_LEVEL): number {
  if (!workflowInfo().unsafe.isReplaying) {
    if (own > 0) patched(engineLevelPatchId(own));
    return own;
  }
  // Replaying: a marker beyond this worker's level means a newer worker ran this thread.
  for (let level = own + 1; level <= own + LOOKAHEAD; level++) {
    if (patched(engineLevelPatchId(level))) {
      const { workflowId, workflowType, taskQueue } = workflowInfo();
      throw new EngineTooOldError(
        `Thread "${workflowId}" (graph "${workflowType}") was recorded by a durable-graph worker at engine level ${level}; ` +
          `this worker runs engine level ${own} and cannot replay it. Its workflow task will be retried: upgrade ` +
          `durable-graph on the workers of task queue "${taskQueue}" (or stop the older workers) and the thread continues.`,
      );
    }
  }
  for (let level = own; level > 0; level--) if (patched(engineLevelPatchId(level))) return level;
  return 0;
}
