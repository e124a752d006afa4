/**
 * What a caller of `startDevServer` passes, and the running server it gets back: the public shapes, apart from the
 * code that starts the server so every part of that code can use them.
 */

/** Options for {@link startDevServer}. */
export interface DevServerOptions {
  /**
   * Path of the `temporal` executable.
   * @default the result of `findTemporalCli()` (which may install the CLI)
   */
  cliPath?: string;
  /**
   * Address the gRPC frontend (and the UI) bind to.
   * @default '127.0.0.1'
   */
  ip?: string;
  /**
   * gRPC frontend port.
   * @default a free port, chosen by binding port 0
   */
  port?: number;
  /**
   * Web UI port; ignored when `ui` is false.
   * @default a free port, chosen by binding port 0
   */
  uiPort?: number;
  /**
   * Serve the Temporal Web UI. With `false` the server runs `--headless`, which starts faster.
   * @default true
   */
  ui?: boolean;
  /**
   * SQLite file that keeps Workflow Executions across restarts; its parent folders are created.
   * @default in-memory: everything is lost when the server stops
   */
  dbFilename?: string;
  /**
   * Namespace to create and wait for. `default` always exists as well.
   * @default 'default'
   */
  namespace?: string;
  /**
   * File that receives the server's stdout and stderr (appended; parent folders are created).
   * @default none: output is kept in memory, and only its tail is shown when starting fails
   */
  logFile?: string;
  /**
   * Arguments appended verbatim to `temporal server start-dev`, e.g.
   * `['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=100']`.
   * @default []
   */
  extraArgs?: string[];
  /**
   * How long to wait for the server to answer and show our search attributes.
   * @default 60000
   */
  readyTimeoutMs?: number;
  /**
   * Receives progress lines (CLI found or installed, server started).
   * @default console.error with a `[durable-graph]` prefix
   */
  log?: (line: string) => void;
  /**
   * Keep this Node.js process alive while the server runs. By default the server never holds the process open: it
   * is stopped when the process exits (e.g. at the end of a test file), so forgetting `stop()` cannot hang a run.
   * Set it for a long-running `dev` command whose only job is to keep the server up.
   * @default false
   */
  keepProcessAlive?: boolean;
}

/** A running dev server started by {@link startDevServer}. */
export interface DevServer {
  /** gRPC address for `Connection.connect({ address })` / `NativeConnection.connect({ address })`, e.g. `127.0.0.1:7233`. */
  address: string;
  /** Namespace that is ready and has durable-graph's search attributes. */
  namespace: string;
  /** gRPC frontend port. */
  port: number;
  /** Web UI port; absent when started with `ui: false`. */
  uiPort?: number;
  /** Web UI URL, e.g. `http://127.0.0.1:8233`; absent when started with `ui: false`. */
  uiUrl?: string;
  /** The `temporal` executable that runs the server. */
  cliPath: string;
  /** Process id of the server. */
  pid: number;
  /** Arguments given to the CLI (after the executable), for logs and debugging. */
  args: readonly string[];
  /**
   * Stops the server: SIGTERM, then SIGKILL if it has not exited after 10 s. Resolves once the process is gone.
   * Safe to call more than once.
   */
  stop(): Promise<void>;
}
