/**
 * `durable-graph worker --log-format json`: the Temporal Runtime's log entries as one JSON object a line on stderr,
 * attributes at the top level (`threadId`, `graph`, `node`, `step`, `taskId`, `attempt` on lines about a node), for
 * log collectors that parse JSON.
 */
import type { LogEntry } from '@temporalio/worker';

/** One log entry as a line of JSON: `time` (ISO 8601), `level`, `message`, then the entry's attributes. */
export function jsonLogLine(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return JSON.stringify({ time, level: entry.level, message: entry.message, ...entry.meta }, jsonValue);
}

/** Errors (an "Activity failed" line carries one) as their fields; what JSON cannot hold, as text. */
function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { name, message, stack } = value;
    const cause = (value as { cause?: unknown }).cause;
    return { name, message, ...(cause !== undefined ? { cause } : {}), stack };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
