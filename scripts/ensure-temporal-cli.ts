/**
 * Makes sure the Temporal CLI is available (found, or installed into `.tools/`), for `scripts/bootstrap.mjs`.
 * Prints what it did on stderr; exits 1 with the finder's instructions when no CLI can be had.
 */
// The finder alone: index.js would also load @temporalio/client, which this script does not need.
import { findTemporalCli } from '../src/dev-server/find-temporal-cli.js';

// The finder itself logs which CLI it found or installed.
findTemporalCli().then(
  () => undefined,
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
