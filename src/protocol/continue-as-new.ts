/**
 * Continue-as-new on the wire (Temporal's continue-as-new: same Workflow Id, a new Run Id, a fresh history): what the
 * engine's waiting Updates return when the run continues as new before the stop they wait for (what a run hands to
 * the next is `RunInput.continued`, payloads.ts). Plain JSON; sandbox-safe.
 */

/**
 * The result of a `resume` or `awaitStop` Update whose run continued as new before the stop the caller waits for:
 * wait in the next run (`awaitStop` with `afterStop`), which the run named here continued into.
 */
export interface ContinuedStop {
  continuedAsNew: { runId: string; afterStop: number };
}

/** Whether an Update's result says its run continued as new (any client can write history, so readers check). */
export function isContinuedStop(value: unknown): value is ContinuedStop {
  const marker = (value as Partial<ContinuedStop> | null | undefined)?.continuedAsNew;
  return (
    typeof marker === 'object' &&
    marker !== null &&
    typeof marker.runId === 'string' &&
    typeof marker.afterStop === 'number'
  );
}
