/**
 * Where a client or a worker connects, resolved once for GraphClient.connect(), createWorker() and the CLI: the
 * explicit option, else what the `temporal` CLI would use (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, the profile of the
 * Temporal config file with its TLS, API key and headers, read by `@temporalio/envconfig`), else localhost:7233 and
 * the "default" namespace.
 */
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';

/** The server address used when neither an option, the environment nor the config file names one. */
export const DEFAULT_ADDRESS = 'localhost:7233';
/** The namespace used when neither an option, the environment nor the config file names one. */
export const DEFAULT_NAMESPACE = 'default';

/** A connection's settings after resolution. */
export interface ResolvedConnection {
  address: string;
  namespace: string;
  /**
   * Where the address and the namespace came from: the caller's `option`, the `environment` (environment variables or
   * the Temporal config file), or the built-in `default`.
   */
  from: { address: ResolvedFrom; namespace: ResolvedFrom };
  /** For `Connection.connect()` or `NativeConnection.connect()`: the address plus TLS, API key and headers. */
  connectionOptions: ClientConnectConfig['connectionOptions'] & { address: string };
}

/** Where one resolved setting came from. */
export type ResolvedFrom = 'option' | 'environment' | 'default';

/**
 * Resolves the address, namespace and connection options for the given overrides.
 * @throws the config file's error when the Temporal config file cannot be read.
 */
export function resolveConnection(
  overrides: { address?: string | undefined; namespace?: string | undefined } = {},
): ResolvedConnection {
  const config = loadClientConnectConfig();
  const address = overrides.address ?? config.connectionOptions.address ?? DEFAULT_ADDRESS;
  const from = (option: unknown, environment: unknown): ResolvedFrom =>
    option !== undefined ? 'option' : environment !== undefined ? 'environment' : 'default';
  return {
    address,
    namespace: overrides.namespace ?? config.namespace ?? DEFAULT_NAMESPACE,
    from: {
      address: from(overrides.address, config.connectionOptions.address),
      namespace: from(overrides.namespace, config.namespace),
    },
    connectionOptions: { ...config.connectionOptions, address },
  };
}
