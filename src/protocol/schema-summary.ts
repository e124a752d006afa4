/**
 * A response schema in one line, the way a TypeScript type reads: `{ action: "approve" } | { action: "edit", args:
 * { to: string } }`. Shown next to a pending interrupt so a person sees what to send without reading JSON Schema.
 * Sandbox-safe: pure functions.
 */
import {
  branchesOf,
  constantOf,
  propertiesOf,
  refName,
  requiredOf,
  resolve,
  typesOf,
  type JsonSchema,
} from './json-schema.js';

/** Deeper than this, a part is shown by its `$ref` name, or as `…`. */
const MAX_DEPTH = 6;

/**
 * The shape `schema` accepts, as one line: objects as `{ a: string, b?: number }` (optional fields marked `?`),
 * unions joined by ` | `, constants and enums as JSON, arrays as `T[]`, anything as `any`. Cut to `max` characters.
 */
export function summarizeSchema(schema: JsonSchema, max = 400): string {
  const text = summary(schema, schema, 0);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function summary(node: unknown, root: JsonSchema, depth: number, expanding = new Set<string>()): string {
  if (depth > MAX_DEPTH) return '…';
  const ref = (node as JsonSchema | undefined)?.$ref;
  if (typeof ref === 'string') {
    // A recursive schema names itself where it recurs (zod's generated names, `__schema0`, say nothing: `…`).
    if (expanding.has(ref)) return shownName(refName(node));
    expanding = new Set(expanding).add(ref);
  }
  const schema = resolve(node, root);
  const constant = constantOf(schema);
  if (constant) return JSON.stringify(constant.value);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const branches = branchesOf(schema);
  if (branches) return branches.map((b) => summary(b, root, depth + 1, expanding)).join(' | ');
  if (Array.isArray(schema.allOf)) return schema.allOf.map((p) => summary(p, root, depth + 1, expanding)).join(' & ');
  const types = typesOf(schema);
  if (types.length === 0) {
    if (schema.properties) return objectSummary(schema, root, depth, expanding);
    if (schema.items) return arraySummary(schema, root, depth, expanding);
    return 'not' in schema && Object.keys(schema).length === 1 ? 'never' : 'any';
  }
  return types
    .map((type) =>
      type === 'object'
        ? objectSummary(schema, root, depth, expanding)
        : type === 'array'
          ? arraySummary(schema, root, depth, expanding)
          : type,
    )
    .join(' | ');
}

function objectSummary(schema: JsonSchema, root: JsonSchema, depth: number, expanding: Set<string>): string {
  const properties = propertiesOf(schema);
  const required = new Set(requiredOf(schema));
  const fields = Object.entries(properties).map(
    ([key, child]) => `${fieldName(key)}${required.has(key) ? '' : '?'}: ${summary(child, root, depth + 1, expanding)}`,
  );
  return fields.length ? `{ ${fields.join(', ')} }` : 'object';
}

function arraySummary(schema: JsonSchema, root: JsonSchema, depth: number, expanding: Set<string>): string {
  if (Array.isArray(schema.prefixItems))
    return `[${schema.prefixItems.map((p) => summary(p, root, depth + 1, expanding)).join(', ')}]`;
  const item = schema.items === undefined ? 'any' : summary(schema.items, root, depth + 1, expanding);
  return /[ |&]/.test(item) && !/^[{[]/.test(item) ? `(${item})[]` : `${item}[]`;
}

function shownName(name: string | undefined): string {
  return name === undefined || name.startsWith('__') ? '…' : name;
}

/** A key as TypeScript would write it: bare when it is an identifier, else quoted. */
function fieldName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}
