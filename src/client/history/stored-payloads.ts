/**
 * A history's External Storage claims replaced by the values they point at, before it is decoded: the SDK's
 * `fetchHistory()` returns claims as they are (only a run's result is resolved for the caller).
 */
import { ExternalStorageNotConfiguredError, type LoadedDataConverter } from '@temporalio/common';
import {
  extstoreInboundOptions,
  visit,
  walkGetWorkflowExecutionHistoryResponse,
} from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { StorageUnavailableError } from '../../errors.js';

/**
 * Resolves the claims in `history` in place, through the converter's External Storage.
 * @throws {@link StorageUnavailableError} when the history holds claims and the client has no External Storage (or
 *   the storage cannot be read).
 */
export async function resolveStoredPayloads(
  history: History,
  converter: LoadedDataConverter,
  threadId: string,
): Promise<void> {
  try {
    await visit(
      { history },
      walkGetWorkflowExecutionHistoryResponse,
      extstoreInboundOptions(converter.externalStorage),
    );
  } catch (error) {
    if (!(error instanceof ExternalStorageNotConfiguredError)) throw error;
    throw new StorageUnavailableError(
      `The history of thread "${threadId}" holds values kept in External Storage, and this client has none ` +
        `configured. Give it the same storage as the thread's workers: GraphClient.connect({ storage }) or ` +
        `DURABLE_GRAPH_STORAGE (see docs/storage.md).`,
      { threadId, location: '(none configured)', cause: error },
    );
  }
}
