/**
 * Reading the JSON Schemas that interrupts carry as `response_schema` (zod's `toJSONSchema` output, draft 2020-12):
 * the few keywords people need to be told about, with local `$ref`s followed. Sandbox-safe: pure functions.
 */

/** A JSON Schema object; `true` / `false` schemas are read as `{}` / `{ not: {} }`. */
export type JsonSchema = Record<string, unknown>;

/** The schema at `node`, following a local `$ref` (`#`, `#/$defs/…`, `#/definitions/…`) against `root`. */
export function resolve(node: unknown, root: JsonSchema, depth = 0): JsonSchema {
  if (node === true || node === undefined) return {};
  if (node === false) return { not: {} };
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return {};
  const schema = node as JsonSchema;
  const ref = schema.$ref;
  if (typeof ref !== 'string' || depth > 20) return schema;
  const target = pointer(root, ref);
  if (target === undefined) return schema;
  // Keywords beside a $ref apply too (2020-12): the sibling ones win for what we show.
  const { $ref: _ref, ...siblings } = schema;
  return { ...resolve(target, root, depth + 1), ...siblings };
}

/** The name a `$ref` points to (`#/$defs/Node` → `Node`), for showing a recursive schema by name. */
export function refName(node: unknown): string | undefined {
  const ref = (node as JsonSchema | undefined)?.$ref;
  return typeof ref === 'string' ? (ref.split('/').at(-1) ?? undefined) : undefined;
}

/** The alternatives of an `anyOf` / `oneOf`, or undefined for a schema that is not a union. */
export function branchesOf(schema: JsonSchema): unknown[] | undefined {
  const branches = schema.oneOf ?? schema.anyOf;
  return Array.isArray(branches) && branches.length > 0 ? branches : undefined;
}

/** The JSON types a schema names (`type`, as a list), empty when it names none. */
export function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/** The `properties` of an object schema (empty when it has none). */
export function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema.properties;
  return typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {};
}

/** The names an object schema requires. */
export function requiredOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
}

/** Whether a schema fixes the value to one constant (`const`, or an `enum` of one), and which. */
export function constantOf(schema: JsonSchema): { value: unknown } | undefined {
  if ('const' in schema) return { value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return { value: schema.enum[0] };
  return undefined;
}

/** The JSON type of a value as a schema's `type` names it (`integer` is a `number` here). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether `value` has one of `types` (`integer` accepts whole numbers only). */
export function hasType(value: unknown, types: readonly string[]): boolean {
  const type = jsonTypeOf(value);
  return types.some((t) => t === type || (t === 'integer' && Number.isInteger(value)));
}

function pointer(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
