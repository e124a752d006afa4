/**
 * Following a thread across continue-as-new. A long run hands over to a new run of the same Workflow Id (a fresh
 * history); an Update cannot move with it, so the engine's waiting Updates return a marker naming the run that
 * handed over and the stop they waited for. The caller then waits for that stop in the run it continued into,
 * named by its close event (`WorkflowExecutionContinuedAsNew.newExecutionRunId`), so a later run of the thread
 * (new input after the chain ended) is never mistaken for it.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isContinuedStop, type ContinuedStop } from '../protocol/continue-as-new.js';
import { awaitStopUpdate } from '../protocol/messages.js';
import type { AwaitStopInput } from '../protocol/payloads.js';
import type { StopState } from '../protocol/stop-state.js';
import { CLOSING_RUN_RETRY_MS, isClosedRunError, isClosingRunError } from './closed-run.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** `temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT` (a stable wire number). */
const CLOSE_EVENT = 2;

/**
 * The Run Id run `runId` continued as new into, once it has closed (waits for it to close); undefined when it
 * closed otherwise (completed, failed, terminated, timed out).
 */
export async function nextRunId(temporal: Client, workflowId: string, runId: string): Promise<string | undefined> {
  const request = {
    namespace: temporal.options.namespace,
    execution: { workflowId, runId },
    historyEventFilterType: CLOSE_EVENT,
    waitNewEvent: true,
  };
  for (;;) {
    const { history } = await temporal.workflowService.getWorkflowExecutionHistory(request);
    const close = history?.events?.[0];
    // An empty page: the long poll timed out before the run closed.
    if (!close) continue;
    return close.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
}

/**
 * The stop an Update of the engine returned, following the chain of runs while it says its run continued as new:
 * waits for the same stop in the next run, or takes the result of the run that ended there.
 * @throws the run's failure (`WorkflowFailedError`) when the run it waited in failed.
 */
export async function settleStop(
  temporal: Client,
  workflowId: string,
  result: StopState | ContinuedStop,
): Promise<StopState> {
  while (isContinuedStop(result)) {
    const { runId, afterStop } = result.continuedAsNew;
    result = await awaitStopAfter(temporal, workflowId, runId, afterStop);
  }
  return result;
}

/** Waits for stop `afterStop + 1` in the run `runId` continued into (or in the runs after it). */
async function awaitStopAfter(
  temporal: Client,
  workflowId: string,
  runId: string,
  afterStop: number,
): Promise<StopState | ContinuedStop> {
  for (let closed = runId; ;) {
    const next = await nextRunId(temporal, workflowId, closed);
    // The run ended instead of handing over (terminated while handing over, or it completed): its outcome.
    if (next === undefined)
      return (await temporal.workflow.getHandle(workflowId, closed, { followRuns: false }).result()) as StopState;
    try {
      return await temporal.workflow
        .getHandle(workflowId, next)
        .executeUpdate<StopState | ContinuedStop, [AwaitStopInput]>(awaitStopUpdate.name, { args: [{ afterStop }] });
    } catch (error) {
      if (isClosingRunError(error)) {
        await sleep(CLOSING_RUN_RETRY_MS); // handing over again: wait until it has closed, then follow it
        closed = next;
        continue;
      }
      if (!(error instanceof WorkflowNotFoundError || isClosedRunError(error))) throw error;
      closed = next; // that run has closed too: follow it
    }
  }
}
