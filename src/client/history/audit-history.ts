/**
 * Reads a thread's audit trail from Temporal: each run's history (every run of the Workflow Id, oldest first),
 * decoded with the client's data converter into the {@link AuditEvent}s that `audit.ts` turns into entries.
 * No worker needed.
 */
import type { Client } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { levelOfPatchId } from '../../protocol/engine-level.js';
import { LOCAL_ACTIVITY_MARKER, PATCH_MARKER, dateOf, firstPayloadDecoder } from './history-events.js';
import { MEMO_KEY, type ThreadMemo } from '../../protocol/memo.js';
import {
  awaitStopUpdate,
  childPausedSignal,
  resumeSignal,
  resumeUpdate,
  updateStateUpdate,
} from '../../protocol/messages.js';
import { isNodeActivity } from '../../protocol/activities.js';
import type { WireNodeResult } from '../../protocol/node-result-wire.js';
import type { RunInput } from '../../protocol/payloads.js';
import { isStopState, unpackStop } from '../../protocol/stop-state.js';
import { auditOf, type AuditEntry, type AuditEvent, type AuditRunHistory, type WorkflowRef } from './audit.js';
import { listThreadRuns } from './fetch.js';
import { specOfDescribeResult, specOfStart } from './recorded-spec.js';
import { readResetReason } from './rewind-reason.js';
import { resolveStoredPayloads } from './stored-payloads.js';

/** `temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW`: a stable wire value. */
const WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW = 20;

/** Updates whose result is a ThreadState (which lists the run's rejected resumes). */
const STATE_UPDATES = new Set([awaitStopUpdate.name, resumeUpdate.name, updateStateUpdate.name]);
/** Updates that are human actions. */
const ACTION_UPDATES = new Set<string>([resumeUpdate.name, updateStateUpdate.name]);

/** Every human action on the thread, oldest first, across all its runs (none for a thread that never ran). */
export async function readAuditTrail(client: Client, threadId: string): Promise<AuditEntry[]> {
  const runs = (await listThreadRuns(client, threadId)).reverse();
  const histories: AuditRunHistory[] = [];
  for (const run of runs) {
    const history = await client.workflow.getHandle(threadId, run.runId).fetchHistory();
    const events = await decodeAuditEvents(history, client.options.loadedDataConverter, threadId);
    histories.push({ runId: run.runId, events });
  }
  return auditOf(histories, threadId);
}

/** The {@link AuditEvent}s of one run's history, in history order. No server call. */
export async function decodeAuditEvents(
  history: History,
  converter: LoadedDataConverter,
  threadId = '',
): Promise<AuditEvent[]> {
  await resolveStoredPayloads(history, converter, threadId);
  let graph = '';
  const decodeFirst = firstPayloadDecoder(converter);
  /** Node Activities scheduled so far: event id → node. */
  const nodeActivities = new Map<string, string>();
  const updateNames = new Map<string, string>();
  const events: AuditEvent[] = [];

  for (const event of history.events ?? []) {
    const at = dateOf(event.eventTime);
    const eventId = String(event.eventId);
    if (event.workflowExecutionStartedEventAttributes) {
      const attributes = event.workflowExecutionStartedEventAttributes;
      graph = attributes.workflowType?.name ?? '';
      const input = (await decodeFirst<RunInput | null>(attributes.input)) ?? {};
      const parent = refOf(attributes.parentWorkflowExecution);
      const spec = specOfStart(attributes, input);
      events.push({
        type: 'started',
        at,
        eventId,
        identity: attributes.identity ?? '',
        input,
        ...(spec ? { spec } : {}),
        ...(parent ? { parent } : {}),
      });
      // A run that continued an earlier one as new starts with that run's memo: what was pending carries over.
      const carried = input.continued ? attributes.memo?.fields?.[MEMO_KEY] : undefined;
      const memo = carried ? await decodeFirst<ThreadMemo>({ payloads: [carried] }) : undefined;
      if (memo && typeof memo === 'object' && Array.isArray(memo.interrupts)) events.push({ type: 'memo', memo });
    } else if (event.workflowTaskStartedEventAttributes) {
      events.push({ type: 'workflowTaskStarted', at, eventId });
    } else if (event.workflowTaskCompletedEventAttributes) {
      const startedEventId = String(event.workflowTaskCompletedEventAttributes.startedEventId);
      events.push({ type: 'workflowTaskCompleted', eventId, startedEventId });
    } else if (event.workflowTaskFailedEventAttributes) {
      const attributes = event.workflowTaskFailedEventAttributes;
      const startedEventId = String(attributes.startedEventId);
      if (attributes.cause !== WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW) {
        events.push({ type: 'workflowTaskFailed', eventId, startedEventId });
        continue;
      }
      const { identity, reason, rewoundTo } = readResetReason(attributes.failure?.message ?? '');
      events.push({
        type: 'reset',
        at,
        eventId,
        identity,
        reason,
        baseRunId: attributes.baseRunId ?? '',
        newRunId: attributes.newRunId ?? '',
        boundary: Number(attributes.scheduledEventId),
        ...(rewoundTo ? { rewoundTo } : {}),
      });
    } else if (event.workflowTaskTimedOutEventAttributes) {
      const startedEventId = String(event.workflowTaskTimedOutEventAttributes.startedEventId);
      events.push({ type: 'workflowTaskFailed', eventId, startedEventId });
    } else if (event.workflowExecutionSignaledEventAttributes) {
      const attributes = event.workflowExecutionSignaledEventAttributes;
      const name = attributes.signalName ?? '';
      // The engine's own report from a child run is not a person's action.
      if (name === childPausedSignal.name) continue;
      const input = await decodeFirst<unknown>(attributes.input).catch(() => undefined);
      const sender = refOf(attributes.externalWorkflowExecution);
      events.push({
        type: 'signal',
        at,
        eventId,
        identity: attributes.identity ?? '',
        input,
        ...(sender ? { sender } : {}),
        ...(name === resumeSignal.name ? {} : { name }),
      });
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = request?.input?.name ?? '';
      const updateId =
        request?.meta?.updateId ?? event.workflowExecutionUpdateAcceptedEventAttributes.protocolInstanceId;
      if (updateId) updateNames.set(updateId, name);
      if (!ACTION_UPDATES.has(name)) continue;
      const input = await decodeFirst<unknown>(request?.input?.args);
      events.push({
        type: 'update',
        at,
        eventId,
        identity: request?.meta?.identity ?? '',
        name: name as 'resume' | 'updateState',
        input,
      });
    } else if (event.workflowExecutionUpdateCompletedEventAttributes) {
      const attributes = event.workflowExecutionUpdateCompletedEventAttributes;
      const name = attributes.meta?.updateId ? updateNames.get(attributes.meta.updateId) : undefined;
      if (!name || !STATE_UPDATES.has(name) || !attributes.outcome?.success) continue;
      const stop = await decodeFirst<unknown>(attributes.outcome.success);
      if (isStopState(stop))
        events.push({ type: 'state', state: unpackStop(stop, { threadId, graph, createdAt: at.toISOString() }) });
    } else if (event.workflowPropertiesModifiedEventAttributes) {
      const field = event.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields?.[MEMO_KEY];
      if (!field) continue;
      const memo = await decodeFirst<ThreadMemo>({ payloads: [field] });
      const taskEventId = String(event.workflowPropertiesModifiedEventAttributes.workflowTaskCompletedEventId);
      const where = { at, eventId, taskEventId };
      if (memo && typeof memo === 'object' && Array.isArray(memo.interrupts))
        events.push({ type: 'memo', memo, ...where });
      // The engine removes the memo when the thread runs again: nothing is pending from then on.
      else if (memo === undefined || memo === null) events.push({ type: 'memo', memo: null, ...where });
    } else if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes;
      if (isNodeActivity(attributes.activityType?.name)) nodeActivities.set(eventId, attributes.activityType!.name!);
    } else if (event.activityTaskCompletedEventAttributes) {
      const attributes = event.activityTaskCompletedEventAttributes;
      const node = nodeActivities.get(String(attributes.scheduledEventId));
      if (!node) continue;
      const result = await decodeFirst<WireNodeResult>(attributes.result);
      if (result?.kind !== 'interrupt' || result.nodeInterrupt || result.child) continue;
      events.push({
        type: 'nodeInterrupted',
        node,
        value: result.value,
        ...(result.responseSchema ? { responseSchema: result.responseSchema } : {}),
        scheduledEventId: String(attributes.scheduledEventId),
      });
    } else if (event.markerRecordedEventAttributes) {
      const attributes = event.markerRecordedEventAttributes;
      if (attributes.markerName === PATCH_MARKER) {
        const patch = await decodeFirst<{ id?: unknown }>(attributes.details?.['patch-data']).catch(() => undefined);
        const level = typeof patch?.id === 'string' ? levelOfPatchId(patch.id) : undefined;
        if (level !== undefined) events.push({ type: 'engineLevel', level });
        continue;
      }
      if (attributes.markerName !== LOCAL_ACTIVITY_MARKER) continue;
      // describeGraph's result ({ spec, input }) names the graph's nodes, for checking a resume's goto.
      const result = await decodeFirst<unknown>(attributes.details?.result).catch(() => undefined);
      const spec = specOfDescribeResult(result, graph);
      if (spec)
        events.push({
          type: 'spec',
          nodes: spec.nodes.map((n) => n.name),
          publishPauses: spec.publishPauses !== false,
        });
    } else if (event.timerFiredEventAttributes) {
      events.push({ type: 'timerFired' });
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      const attributes = event.workflowExecutionTerminatedEventAttributes;
      events.push({
        type: 'terminated',
        at,
        eventId,
        identity: attributes.identity ?? '',
        reason: attributes.reason ?? '',
      });
      events.push({ type: 'closed', status: 'terminated' });
    } else if (event.workflowExecutionCancelRequestedEventAttributes) {
      const attributes = event.workflowExecutionCancelRequestedEventAttributes;
      events.push({
        type: 'cancelRequested',
        at,
        eventId,
        identity: attributes.identity ?? '',
        cause: attributes.cause ?? '',
      });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      const result = await decodeFirst<unknown>(event.workflowExecutionCompletedEventAttributes.result);
      if (isStopState(result))
        events.push({ type: 'state', state: unpackStop(result, { threadId, graph, createdAt: at.toISOString() }) });
      events.push({ type: 'closed', status: 'completed' });
    } else if (event.workflowExecutionFailedEventAttributes) {
      events.push({ type: 'closed', status: 'failed' });
    } else if (event.workflowExecutionCanceledEventAttributes) {
      events.push({ type: 'closed', status: 'canceled' });
    } else if (event.workflowExecutionTimedOutEventAttributes) {
      events.push({ type: 'closed', status: 'timed_out' });
    } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
      events.push({ type: 'closed', status: 'continued_as_new' });
    }
  }
  return events;
}

function refOf(
  execution: { workflowId?: string | null; runId?: string | null } | null | undefined,
): WorkflowRef | undefined {
  return execution?.workflowId ? { workflowId: execution.workflowId, runId: execution.runId ?? '' } : undefined;
}
