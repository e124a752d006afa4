/**
 * Where a finished node leads: the node names and Sends its conditional edges and Command goto chose.
 * Pure and sandbox-safe: the activities build node results with it, the engine its own task results.
 */
import type { SendSpec } from './payloads.js';

/** Splits destinations into node names and Sends; `sends` is present only when there are some (older results have none). */
export function splitDestinations(destinations: ReadonlyArray<string | SendSpec>): {
  next: string[];
  sends?: SendSpec[];
} {
  const next = destinations.filter((d): d is string => typeof d === 'string');
  const sends = destinations.filter((d): d is SendSpec => typeof d !== 'string');
  return sends.length ? { next, sends } : { next };
}
