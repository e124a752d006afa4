/**
 * The `resume` Signals a thread has received that no worker has handled yet: the answers queued for it. A Signal is
 * recorded in history at once, and the engine sees it in the next workflow task; every Signal recorded after the
 * run's last completed workflow task is still waiting. Read from the tail of the history (newest first), so it
 * costs one small page whatever the history's length, and needs no worker.
 */
import type { Client } from '@temporalio/client';
import { resumeSignal } from '../../protocol/messages.js';
import { dateOf, firstPayloadDecoder } from './history-events.js';
import { resolveStoredPayloads } from './stored-payloads.js';

/** A `resume` Signal recorded in a run's history that no worker has handled yet. */
export interface QueuedResume {
  /** When the server recorded it (ISO 8601). */
  at: string;
  /** Who sent it (the Temporal client identity the server recorded); empty when none was sent. */
  identity: string;
  /** The Signal's payload: `{"resume": …}`, `{"resume": {"<id>": …}}` or `{}`. */
  input: unknown;
  /** Its history event. */
  eventId: string;
}

/** Events read per page; a paused thread's tail is short (the Signals, a scheduled workflow task, maybe a timeout). */
const PAGE_SIZE = 50;

/**
 * The `resume` Signals of a run (the latest run when `runId` is omitted) recorded after its last completed workflow
 * task, oldest first. The caller decides whether the run is open: a closed run never handles them.
 */
export async function readQueuedResumes(client: Client, threadId: string, runId?: string): Promise<QueuedResume[]> {
  const decodeFirst = firstPayloadDecoder(client.options.loadedDataConverter);
  const queued: QueuedResume[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId: threadId, ...(runId ? { runId } : {}) },
      maximumPageSize: PAGE_SIZE,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    for (const event of page.history?.events ?? []) {
      if (event.workflowTaskCompletedEventAttributes) return queued.reverse();
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal?.signalName !== resumeSignal.name) continue;
      // Only the Signal's own payload, should it be in External Storage: not every large state on the page.
      await resolveStoredPayloads({ events: [event] }, client.options.loadedDataConverter, threadId);
      queued.push({
        at: dateOf(event.eventTime).toISOString(),
        identity: signal.identity ?? '',
        input: await decodeFirst<unknown>(signal.input),
        eventId: String(event.eventId),
      });
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return queued.reverse();
}
