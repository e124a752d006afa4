/**
 * Checks a resume value against an interrupt's response schema inside the workflow, so a bad value is
 * refused before anything is written to history. The schema was recorded as JSON Schema by the node
 * (zod's `toJSONSchema`); this is a small validator for the keywords zod emits, written here so the
 * workflow bundle stays free of zod (each cached workflow loads the whole bundle). Keywords it does not
 * know are left to the node, which parses the value again with the original zod schema when it re-runs.
 * Determinism: pure functions of their arguments.
 */

type Schema = Record<string, unknown>;

/** Returns a one-line description of why `value` does not match, or undefined when it does. */
export function checkResponse(schema: Schema, value: unknown): string | undefined {
  const problems: string[] = [];
  validate(schema, value, '', problems);
  return problems.length ? problems.slice(0, 5).join('; ') : undefined;
}

function validate(schema: unknown, value: unknown, path: string, problems: string[]): void {
  if (schema === true || schema === undefined) return;
  if (schema === false) return void problems.push(`${at(path)}no value is allowed`);
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Schema;
  if ('const' in s && !equal(s.const, value)) problems.push(`${at(path)}expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) problems.push(`${at(path)}expected one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && !options.some((option) => fits(option, value))) problems.push(`${at(path)}matches none of the allowed shapes`);
  }
  if (Array.isArray(s.allOf)) for (const part of s.allOf) validate(part, value, path, problems);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(t, value))) return void problems.push(`${at(path)}expected ${types.join(' or ')}, got ${typeName(value)}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) problems.push(`${at(path)}shorter than ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) problems.push(`${at(path)}longer than ${s.maxLength} characters`);
    // `pattern` is not checked here: zod records a regex without its flags (/ok/i becomes "ok"), so the node's
    // own parse, which has them, decides.
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) problems.push(`${at(path)}less than ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) problems.push(`${at(path)}greater than ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) problems.push(`${at(path)}not greater than ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) problems.push(`${at(path)}not less than ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) problems.push(`${at(path)}fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) problems.push(`${at(path)}more than ${s.maxItems} items`);
    if (Array.isArray(s.prefixItems)) s.prefixItems.forEach((item, i) => i < value.length && validate(item, value[i], `${path}.${i}`, problems));
    if (s.items !== undefined && typeof s.items === 'object') {
      const from = Array.isArray(s.prefixItems) ? s.prefixItems.length : 0;
      value.forEach((item, i) => i >= from && validate(s.items, item, `${path}.${i}`, problems));
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(key in record) || record[key] === undefined) problems.push(`${at(`${path}.${key}`)}required`);
    }
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key in properties) validate(properties[key], child, `${path}.${key}`, problems);
      else if (s.additionalProperties === false) problems.push(`${at(`${path}.${key}`)}unknown key`);
      else if (typeof s.additionalProperties === 'object') validate(s.additionalProperties, child, `${path}.${key}`, problems);
    }
  }
}

function fits(schema: unknown, value: unknown): boolean {
  const problems: string[] = [];
  validate(schema, value, '', problems);
  return problems.length === 0;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function at(path: string): string {
  return path ? `${path.slice(1)}: ` : '';
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
