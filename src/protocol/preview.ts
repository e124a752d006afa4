/**
 * Values shown briefly to people (tables, messages, the Web UI): JSON, cut to a length. Sandbox-safe.
 */

/** Options of {@link previewJson}. */
export interface PreviewOptions {
  /** Longest text returned; a longer one is cut and ends with "…". @default 160 */
  max?: number;
  /** Indent the JSON by two spaces (several lines) instead of one line. @default false */
  pretty?: boolean;
}

/**
 * A value as JSON for a person to read, cut to `max` characters. `undefined` shows as `undefined` rather than
 * vanishing, and a value JSON cannot show (BigInt, circular) as its `String()` form instead of throwing.
 */
export function previewJson(value: unknown, options: PreviewOptions = {}): string {
  const max = options.max ?? 160;
  let text: string;
  try {
    text =
      value === undefined
        ? 'undefined'
        : (JSON.stringify(value, null, options.pretty ? 2 : undefined) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
