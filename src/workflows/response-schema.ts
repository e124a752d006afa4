/**
 * Checks a resume value against an interrupt's response schema inside the workflow. The schema was
 * recorded as JSON Schema by the node; zod rebuilds a validator from it (pure JS, sandbox-safe), so a
 * bad value is refused before anything is written to history. The node parses it again with the
 * original zod schema when it re-runs.
 */
import { z } from 'zod';

/** Returns a one-line description of why `value` does not match, or undefined when it does. */
export function checkResponse(jsonSchema: Record<string, unknown>, value: unknown): string | undefined {
  let schema: z.ZodType;
  try {
    schema = z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return undefined; // a schema zod cannot rebuild is left to the node, which holds the original
  }
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
}
