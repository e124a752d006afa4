/**
 * Registers durable-graph's search attributes in a namespace (the worker does it at start, the dev-server launcher
 * for a server you started yourself). Without them paused threads cannot be listed or found by node.
 */
import type { Connection } from '@temporalio/client';
import { SearchAttributesMissingError } from '../errors.js';
import { searchAttributeDefinitions } from '../protocol/search-attributes.js';

/** `temporal.api.enums.v1.IndexedValueType` numbers; stable protobuf wire values, so no @temporalio/proto import. */
const indexedValueTypes = { Keyword: 2, KeywordList: 7 } as const;

/** gRPC status ALREADY_EXISTS. */
const GRPC_ALREADY_EXISTS = 6;

/**
 * Registers durable-graph's search attributes in `namespace` when they are missing. Another process adding them
 * at the same moment (a second worker starting) counts as success.
 *
 * @param connection a client `Connection` or a worker's `NativeConnection`.
 * @param options.register `false` only checks: missing attributes are then an error. @default true
 * @returns the names it added (empty when all were already there).
 * @throws {@link SearchAttributesMissingError} naming the `temporal operator search-attribute create` commands to run
 * by hand, when they are missing and may not be registered, or the server refuses (e.g. Temporal Cloud, which
 * manages search attributes through its own API).
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  options: { register?: boolean } = {},
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = searchAttributeDefinitions.filter(({ name }) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return [];
  const wanted = missing.map(({ name, cliType }) => `${name}=${cliType}`);
  if (options.register === false) throw new SearchAttributesMissingError(namespace, wanted);
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(({ name, cliType }) => [name, indexedValueTypes[cliType]])),
    });
  } catch (error) {
    // Another process may have added them between our list and add: that is the outcome we wanted.
    if ((error as { code?: number }).code !== GRPC_ALREADY_EXISTS)
      throw new SearchAttributesMissingError(namespace, wanted, error);
  }
  return missing.map(({ name }) => name);
}
