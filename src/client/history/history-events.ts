/**
 * What the history readers (`decode.ts` for getStateHistory, `audit-history.ts` for the audit trail) share: the
 * names our Activities and markers have in Temporal history, decoding one payload, and event times.
 */
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';

/** One event of a run's history. */
export type HistoryEvent = NonNullable<History['events']>[number];
/** A Payloads message as history holds it. */
export type Payloads = { payloads?: unknown[] | null } | null | undefined;

/** Local Activity results are recorded in markers of this name. */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The name of the marker a `patched()` call records (its details' `patch-data` holds `{ id }`). */
export const PATCH_MARKER = 'core_patch';

/** Decodes the first payload of a Payloads message with the client's data converter (codecs included). */
export function firstPayloadDecoder(converter: LoadedDataConverter): <T>(payloads: Payloads) => Promise<T | undefined> {
  return async <T>(payloads: Payloads): Promise<T | undefined> => {
    const list = payloads?.payloads;
    if (!list?.length) return undefined;
    return (await decodeArrayFromPayloads(converter, list as Parameters<typeof decodeArrayFromPayloads>[1]))[0] as T;
  };
}

/** A protobuf Timestamp as a Date; `seconds` may be a Long, a number or a string (histories read from JSON). */
export function dateOf(timestamp: HistoryEvent['eventTime']): Date {
  if (!timestamp) return new Date(0);
  return new Date(Number(String(timestamp.seconds ?? 0)) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6));
}
