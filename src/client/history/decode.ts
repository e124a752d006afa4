/**
 * Decodes the events of one run's Temporal history into the {@link RunEvent}s that state snapshots are built
 * from, with the client's data converter (payload codecs included). No server call: works on
 * `handle.fetchHistory()` results and on histories read from JSON files alike.
 */
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { LOCAL_ACTIVITY_MARKER, RUN_NODE, dateOf, firstPayloadDecoder, type HistoryEvent } from './history-events.js';
import { MEMO_KEY, type ThreadMemo } from '../../protocol/memo.js';
import { awaitStopUpdate, resumeUpdate, updateStateUpdate } from '../../protocol/messages.js';
import type { LocalStepsResult } from '../../protocol/activities.js';
import type { NodeResult, NodeTask, RunInput } from '../../protocol/payloads.js';
import { isStopState, unpackStop } from '../../protocol/stop-state.js';
import { specOfStart } from './recorded-spec.js';
import type { HistoryError, RunEvent } from './state-history.js';

type Failure = Parameters<typeof decodeOptionalFailureToOptionalError>[1];

/** The local Activity that runs a segment of local supersteps; its result lists each node run. */
const RUN_LOCAL_STEPS = 'runLocalSteps';
/** Updates whose result is the thread's state: at a stop, or right after an edit (see `protocol/messages.ts`). */
const STATE_UPDATES = new Map<string, 'stopState' | 'stateUpdated'>([
  [awaitStopUpdate.name, 'stopState'],
  [resumeUpdate.name, 'stopState'],
  [updateStateUpdate.name, 'stateUpdated'],
]);

/** The {@link RunEvent}s of one run's history (of thread `threadId`), in history order. */
export async function decodeRunHistory(
  history: History,
  converter: LoadedDataConverter,
  threadId = '',
): Promise<RunEvent[]> {
  const decodeFirst = firstPayloadDecoder(converter);
  const decodeError = async (failure: Failure): Promise<HistoryError | undefined> => {
    const error = await decodeOptionalFailureToOptionalError(converter, failure);
    if (!error) return undefined;
    const type = (error as { type?: unknown }).type;
    return { name: typeof type === 'string' && type ? type : error.name, message: error.message };
  };

  let graph = '';
  const runNodeIds = new Set<string>();
  const stateUpdates = new Map<string, 'stopState' | 'stateUpdated'>();
  const events: RunEvent[] = [];
  for (const event of history.events ?? []) {
    const at = dateOf(event.eventTime);
    const decoded = await decodeEvent(event, at);
    if (Array.isArray(decoded)) events.push(...decoded);
    else if (decoded) events.push(decoded);
  }
  return events;

  async function decodeEvent(event: HistoryEvent, at: Date): Promise<RunEvent | RunEvent[] | undefined> {
    if (event.workflowExecutionStartedEventAttributes) {
      const attributes = event.workflowExecutionStartedEventAttributes;
      graph = attributes.workflowType?.name ?? '';
      const input = (await decodeFirst<RunInput | null>(attributes.input)) ?? {};
      const spec = specOfStart(attributes, input);
      return { type: 'started', at, input, ...(spec ? { spec } : {}) };
    }
    if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes;
      if (attributes.activityType?.name !== RUN_NODE) return undefined;
      const task = await decodeFirst<NodeTask>(attributes.input);
      if (!isNodeTask(task)) return undefined;
      const eventId = String(event.eventId);
      runNodeIds.add(eventId);
      return { type: 'nodeScheduled', at, eventId, task };
    }
    if (event.activityTaskCompletedEventAttributes) {
      const attributes = event.activityTaskCompletedEventAttributes;
      const scheduledEventId = String(attributes.scheduledEventId);
      if (!runNodeIds.has(scheduledEventId)) return undefined;
      const result = await decodeFirst<NodeResult>(attributes.result);
      if (!isNodeResult(result)) return undefined;
      return { type: 'nodeCompleted', at, scheduledEventId, result };
    }
    const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (failed) {
      const scheduledEventId = String(failed.scheduledEventId);
      if (!runNodeIds.has(scheduledEventId)) return undefined;
      const error = (await decodeError(failed.failure)) ?? { name: 'Error', message: 'the node failed' };
      return { type: 'nodeFailed', at, scheduledEventId, error };
    }
    if (event.activityTaskCanceledEventAttributes) {
      const scheduledEventId = String(event.activityTaskCanceledEventAttributes.scheduledEventId);
      if (!runNodeIds.has(scheduledEventId)) return undefined;
      return {
        type: 'nodeFailed',
        at,
        scheduledEventId,
        error: { name: 'CancelledFailure', message: 'the node was cancelled' },
      };
    }
    if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      // A node run as a local Activity: its result carries the task it ran (LocalRunReceipt).
      const details = event.markerRecordedEventAttributes.details;
      const data = await decodeFirst<{ activity_type?: unknown }>(details?.data).catch(() => undefined);
      if (data?.activity_type === RUN_LOCAL_STEPS) {
        // A local segment: every node run of every step, in order, each with its receipt (a failed one has none).
        const segment = await decodeFirst<LocalStepsResult>(details?.result).catch(() => undefined);
        const results = (Array.isArray(segment?.steps) ? segment.steps : []).flatMap((step) =>
          (Array.isArray(step?.tasks) ? step.tasks : []).map((t) => t?.result),
        );
        return results.flatMap((result) =>
          result?.receipt && isNodeResult(result)
            ? [{ type: 'nodeRanLocally' as const, at, receipt: result.receipt, result }]
            : [],
        );
      }
      if (data?.activity_type !== RUN_NODE) return undefined;
      const result = await decodeFirst<NodeResult>(details?.result).catch(() => undefined);
      if (!result?.receipt || !isNodeResult(result)) return undefined;
      return { type: 'nodeRanLocally', at, receipt: result.receipt, result };
    }
    if (event.workflowPropertiesModifiedEventAttributes) {
      const field = event.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields?.[MEMO_KEY];
      if (!field) return undefined;
      const memo = await decodeFirst<ThreadMemo>({ payloads: [field] });
      return memo && typeof memo.step === 'number' ? { type: 'memo', at, memo } : undefined;
    }
    if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const attributes = event.workflowExecutionUpdateAcceptedEventAttributes;
      const name = attributes.acceptedRequest?.input?.name;
      const id = attributes.acceptedRequest?.meta?.updateId ?? attributes.protocolInstanceId;
      const kind = name ? STATE_UPDATES.get(name) : undefined;
      if (id && kind) stateUpdates.set(id, kind);
      return undefined;
    }
    if (event.workflowExecutionUpdateCompletedEventAttributes) {
      const attributes = event.workflowExecutionUpdateCompletedEventAttributes;
      const id = attributes.meta?.updateId;
      const kind = id ? stateUpdates.get(id) : undefined;
      if (!kind || !attributes.outcome?.success) return undefined;
      const stop = await decodeFirst<unknown>(attributes.outcome.success);
      if (!isStopState(stop)) return undefined;
      const state = unpackStop(stop, { threadId, graph, createdAt: at.toISOString() });
      return kind === 'stopState'
        ? { type: 'stopState', at, state }
        : { type: 'stateUpdated', at, eventId: String(event.eventId), state };
    }
    if (event.workflowExecutionCompletedEventAttributes) {
      const result = await decodeFirst<unknown>(event.workflowExecutionCompletedEventAttributes.result);
      return isStopState(result)
        ? {
            type: 'closed',
            at,
            status: 'completed',
            result: unpackStop(result, { threadId, graph, createdAt: at.toISOString() }),
          }
        : { type: 'closed', at, status: 'completed' };
    }
    if (event.workflowExecutionFailedEventAttributes) {
      const error = await decodeError(event.workflowExecutionFailedEventAttributes.failure);
      return error ? { type: 'closed', at, status: 'failed', error } : { type: 'closed', at, status: 'failed' };
    }
    if (event.workflowExecutionTerminatedEventAttributes) {
      const reason = event.workflowExecutionTerminatedEventAttributes.reason;
      return {
        type: 'closed',
        at,
        status: 'terminated',
        error: { name: 'TerminatedFailure', message: reason || 'terminated' },
      };
    }
    if (event.workflowExecutionCanceledEventAttributes) return { type: 'closed', at, status: 'canceled' };
    if (event.workflowExecutionTimedOutEventAttributes) return { type: 'closed', at, status: 'timed_out' };
    if (event.workflowExecutionContinuedAsNewEventAttributes) return { type: 'closed', at, status: 'continued_as_new' };
    return undefined;
  }
}

/** A node's outcome: an update, an interrupt, or `Command({ graph: Command.PARENT })` from a subgraph's node. */
function isNodeResult(value: NodeResult | undefined): value is NodeResult {
  return value?.kind === 'update' || value?.kind === 'interrupt' || value?.kind === 'parent';
}

function isNodeTask(value: unknown): value is NodeTask {
  const task = value as Partial<NodeTask> | undefined;
  return (
    !!task &&
    typeof task.taskId === 'string' &&
    typeof task.node === 'string' &&
    typeof task.step === 'number' &&
    typeof task.state === 'object' &&
    task.state !== null
  );
}
