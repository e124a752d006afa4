/**
 * Reads the Temporal history a cycle left: event count and size from `describe()` (the server's own `historyLength`
 * and `historySize`), and the event types and payload bytes from `fetchHistory()`.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { HistorySample } from './scenario.js';

/** Describes and fetches the history of `handle`'s workflow. */
export async function historySample(handle: WorkflowHandle): Promise<HistorySample> {
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const eventTypes: Record<string, number> = {};
  const payloadBytesByType: Record<string, number> = {};
  const sequence: string[] = [];
  const times = new Map<number, number>();
  const timing = { total: 0, wftQueue: 0, wftRun: 0, activityQueue: 0, activityRun: 0 };
  const since = (id: unknown, now: number) => {
    const then = times.get(Number(id));
    return then === undefined ? 0 : now - then;
  };
  let first: number | undefined;
  for (const event of history.events ?? []) {
    const record = event as Record<string, unknown> & {
      eventId?: unknown;
      eventTime?: { seconds?: unknown; nanos?: number | null } | null;
    };
    const type = eventTypeName(record);
    sequence.push(type);
    eventTypes[type] = (eventTypes[type] ?? 0) + 1;
    payloadBytesByType[type] = (payloadBytesByType[type] ?? 0) + payloadBytes(event);
    const now = eventTimeMs(record.eventTime);
    times.set(Number(record.eventId), now);
    first ??= now;
    timing.total = now - first;
    const attrs = record[`${type.charAt(0).toLowerCase()}${type.slice(1)}EventAttributes`] as
      { scheduledEventId?: unknown; startedEventId?: unknown } | undefined;
    if (type === 'WorkflowTaskStarted') timing.wftQueue += since(attrs?.scheduledEventId, now);
    else if (type === 'WorkflowTaskCompleted') timing.wftRun += since(attrs?.startedEventId, now);
    else if (type === 'ActivityTaskStarted') timing.activityQueue += since(attrs?.scheduledEventId, now);
    else if (type === 'ActivityTaskCompleted') timing.activityRun += since(attrs?.startedEventId, now);
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    events: description.historyLength,
    bytes: description.historySize ?? Number.NaN,
    eventTypes,
    payloadBytesByType,
    sequence,
    timingMs: {
      total: round(timing.total),
      wftQueue: round(timing.wftQueue),
      wftRun: round(timing.wftRun),
      activityQueue: round(timing.activityQueue),
      activityRun: round(timing.activityRun),
    },
  };
}

/** `activityTaskScheduledEventAttributes` → `ActivityTaskScheduled` (avoids depending on the proto enum). */
/** An event's time in ms since the epoch, with its sub-millisecond part (`seconds` may be a Long). */
export function eventTimeMs(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
}

function eventTypeName(event: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(event)) {
    if (value && key.endsWith('EventAttributes')) {
      const name = key.slice(0, -'EventAttributes'.length);
      return name.charAt(0).toUpperCase() + name.slice(1);
    }
  }
  return `EventType${String(event.eventType)}`;
}

/** Sum of the byte arrays inside an event: payload data and metadata, the bulk of a history's size. */
function payloadBytes(value: unknown, depth = 0): number {
  if (value instanceof Uint8Array) return value.length;
  if (!value || typeof value !== 'object' || depth > 12) return 0;
  let total = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) total += payloadBytes(child, depth + 1);
  return total;
}
