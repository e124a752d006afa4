/** What finding the Temporal CLI reports: the CLI it found, and each way that did not give one. */

/** Where the CLI was found. */
export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'installed' | 'pip' | 'go';

/** A usable Temporal CLI. */
export interface TemporalCli {
  /** Absolute path of the `temporal` executable. */
  path: string;
  /** How it was found: an explicit env var, `PATH`, a copy installed earlier, or installed just now. */
  source: TemporalCliSource;
  /** Version printed by `temporal --version`, e.g. `1.8.2` (the whole first line if it holds no version number). */
  version: string;
}

/** One failed way of finding or installing the CLI, kept for the final error message. */
export interface TemporalCliAttempt {
  /** What was tried, e.g. `pip (python3 -m pip)`. */
  step: string;
  /** Why it did not give a CLI, with the tail of the command's output when a command ran. */
  detail: string;
}
