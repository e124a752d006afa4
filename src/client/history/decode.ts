/**
 * Decodes the events of one run's Temporal history into the {@link RunEvent}s that state snapshots are built
 * from, with the client's data converter (payload codecs included). No server call: works on
 * `handle.fetchHistory()` results and on histories read from JSON files alike.
 */
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { LOCAL_ACTIVITY_MARKER, dateOf, firstPayloadDecoder, type HistoryEvent } from './history-events.js';
import { MEMO_KEY, type ThreadMemo } from '../../protocol/memo.js';
import { awaitStopUpdate, resumeUpdate, updateStateUpdate } from '../../protocol/messages.js';
import { OwnActivity, isNodeActivity, type LocalStepsResult } from '../../protocol/activities.js';
import { isWireNodeResult, unpackNodeResult, type WireNodeResult } from '../../protocol/node-result-wire.js';
import type { NodeTask, RunInput } from '../../protocol/payloads.js';
import { isStopState, unpackStop } from '../../protocol/stop-state.js';
import { specOfStart } from './recorded-spec.js';
import type { HistoryError, RunEvent } from './state-history.js';
import { resolveStoredPayloads } from './stored-payloads.js';

type Failure = Parameters<typeof decodeOptionalFailureToOptionalError>[1];

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
  await resolveStoredPayloads(history, converter, threadId);
  const decodeFirst = firstPayloadDecoder(converter);
  const decodeError = async (failure: Failure): Promise<HistoryError | undefined> => {
    const error = await decodeOptionalFailureToOptionalError(converter, failure);
    if (!error) return undefined;
    const type = (error as { type?: unknown }).type;
    return { name: typeof type === 'string' && type ? type : error.name, message: error.message };
  };

  let graph = '';
  const nodeActivityIds = new Set<string>();
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
      const node = attributes.activityType?.name;
      if (!isNodeActivity(node)) return undefined;
      const input = await decodeFirst<NodeTask>(attributes.input);
      if (!isNodeTask(input)) return undefined;
      const eventId = String(event.eventId);
      nodeActivityIds.add(eventId);
      // The node is the Activity Type, the task id the Activity Id.
      const task = { ...input, node, taskId: input.taskId ?? attributes.activityId ?? '' };
      return { type: 'nodeScheduled', at, eventId, task };
    }
    if (event.activityTaskCompletedEventAttributes) {
      const attributes = event.activityTaskCompletedEventAttributes;
      const scheduledEventId = String(attributes.scheduledEventId);
      if (!nodeActivityIds.has(scheduledEventId)) return undefined;
      const result = await decodeFirst<unknown>(attributes.result);
      if (!isWireNodeResult(result)) return undefined;
      return { type: 'nodeCompleted', at, scheduledEventId, result: unpackNodeResult(result) };
    }
    const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (failed) {
      const scheduledEventId = String(failed.scheduledEventId);
      if (!nodeActivityIds.has(scheduledEventId)) return undefined;
      const error = (await decodeError(failed.failure)) ?? { name: 'Error', message: 'the node failed' };
      return { type: 'nodeFailed', at, scheduledEventId, error };
    }
    if (event.activityTaskCanceledEventAttributes) {
      const scheduledEventId = String(event.activityTaskCanceledEventAttributes.scheduledEventId);
      if (!nodeActivityIds.has(scheduledEventId)) return undefined;
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
      if (data?.activity_type === OwnActivity.runLocalSteps) {
        // A local segment: every node run of every step, in order, each with its receipt (a failed one has none).
        const segment = await decodeFirst<LocalStepsResult>(details?.result).catch(() => undefined);
        const tasks = (Array.isArray(segment?.steps) ? segment.steps : []).flatMap((step) =>
          Array.isArray(step?.tasks) ? step.tasks : [],
        );
        return tasks.flatMap((task) => {
          const result = task?.result;
          return result?.receipt && isWireNodeResult(result)
            ? [ranLocally(at, result, result.receipt.node ?? task.name)]
            : [];
        });
      }
      // A node run as a local Activity of its own: the node is the marker's Activity Type.
      const node = typeof data?.activity_type === 'string' ? data.activity_type : undefined;
      if (!isNodeActivity(node)) return undefined;
      const result = await decodeFirst<unknown>(details?.result).catch(() => undefined);
      if (!isWireNodeResult(result) || !result.receipt) return undefined;
      return ranLocally(at, result, node);
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

/** A local run of `node`, from its recorded result (which has a receipt). */
function ranLocally(at: Date, result: WireNodeResult, node: string): RunEvent {
  const full = unpackNodeResult(result);
  return { type: 'nodeRanLocally', at, receipt: { ...full.receipt!, node }, result: full };
}

function isNodeTask(value: unknown): value is NodeTask {
  const task = value as Partial<NodeTask> | undefined;
  return !!task && typeof task.step === 'number' && typeof task.state === 'object' && task.state !== null;
}
