/**
 * A run's history exactly as the server keeps it: read with the raw gRPC service, so External Storage claims are not
 * resolved (the SDK's fetchHistory() resolves them), for tests that look at what history really holds.
 */
import type { Client } from '@temporalio/client';

/** A payload as history holds it. */
export interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** Every event of the thread's current run, as the server stores them. */
export async function rawHistoryEvents(client: Client, threadId: string): Promise<unknown[]> {
  const events: unknown[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.connection.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: threadId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** Every payload inside `value` (an event, a list of events), found by shape: `{ metadata, data }`. */
export function payloadsIn(value: unknown, found: RawPayload[] = []): RawPayload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if (Array.isArray(value)) {
    for (const item of value) payloadsIn(item, found);
    return found;
  }
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
    found.push(record as RawPayload);
    return found;
  }
  for (const key of Object.keys(record)) payloadsIn(record[key], found);
  return found;
}

/** A payload's size on the wire, roughly: its data plus its metadata's keys and values. */
export function payloadBytes(payload: RawPayload): number {
  let bytes = payload.data?.length ?? 0;
  for (const [key, value] of Object.entries(payload.metadata ?? {})) bytes += key.length + value.length;
  return bytes;
}

/** True for an External Storage reference (the claim the SDK writes in place of a stored payload). */
export function isClaim(payload: RawPayload): boolean {
  const type = payload.metadata?.messageType;
  return type !== undefined && new TextDecoder().decode(type) === 'temporal.api.sdk.v1.ExternalStorageReference';
}

/** The encoded size of every event, summed: what the run's history weighs. */
export function historyBytes(events: unknown[], encode: (event: unknown) => Uint8Array): number {
  return events.reduce<number>((sum, event) => sum + encode(event).length, 0);
}
