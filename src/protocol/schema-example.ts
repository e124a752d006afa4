/**
 * An example answer built from an interrupt's response schema, for the resume commands people are shown (`show`,
 * the memo, the Web UI's Current Details). It is meant to be edited: text fields hold a `<field>` placeholder, and
 * the value is valid JSON of the right shape, so what a person changes is the content, not the syntax.
 * Sandbox-safe: pure functions.
 */
import { branchesOf, constantOf, propertiesOf, requiredOf, resolve, typesOf, type JsonSchema } from './json-schema.js';

/** Deeper than this, an example stops at `null` (a recursive schema would never end). */
const MAX_DEPTH = 8;

/**
 * A value that fits `schema`, for a person to edit. The rules, in order: `const`; `default`; the first of
 * `examples`; the first of `enum`; the first branch of a `oneOf` / `anyOf` (skipping a `null` branch); then by type:
 * an object with its required fields, an array with one item (or `minItems`), a string `"<name>"` (the field's name,
 * `text` at the top), a number at its `minimum` (else 0), `false`, `null`. A schema that allows anything gives
 * `"<name>"` too.
 */
export function exampleOf(schema: JsonSchema): unknown {
  return example(schema, schema, 'text', 0);
}

function example(node: unknown, root: JsonSchema, name: string, depth: number, expanding = new Set<string>()): unknown {
  if (depth > MAX_DEPTH) return null;
  const ref = (node as JsonSchema | undefined)?.$ref;
  if (typeof ref === 'string') {
    // A recursive schema (a tree) is shown one level deep: the inner occurrence is left empty.
    if (expanding.has(ref)) return null;
    expanding = new Set(expanding).add(ref);
  }
  const schema = resolve(node, root);
  const constant = constantOf(schema);
  if (constant) return constant.value;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branches = branchesOf(schema);
  if (branches) {
    const first = branches.find((b) => !isNullOnly(resolve(b, root))) ?? branches[0];
    return example(first, root, name, depth + 1, expanding);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0)
    return allOfExample(schema.allOf, root, name, depth, expanding);
  const types = typesOf(schema);
  const type =
    types.find((t) => t !== 'null') ??
    types[0] ??
    (schema.properties ? 'object' : schema.items || schema.prefixItems ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const properties = propertiesOf(schema);
      return Object.fromEntries(
        requiredOf(schema).map((key) => [key, example(properties[key], root, key, depth + 1, expanding)]),
      );
    }
    case 'array':
      return arrayExample(schema, root, name, depth, expanding);
    case 'string':
      return `<${name}>`;
    case 'integer':
    case 'number':
      return numberExample(schema, type === 'integer');
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return `<${name}>`;
  }
}

function isNullOnly(schema: JsonSchema): boolean {
  const types = typesOf(schema);
  return (types.length === 1 && types[0] === 'null') || ('const' in schema && schema.const === null);
}

function allOfExample(
  parts: unknown[],
  root: JsonSchema,
  name: string,
  depth: number,
  expanding: Set<string>,
): unknown {
  const examples = parts.map((part) => example(part, root, name, depth + 1, expanding));
  const objects = examples.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e));
  return objects ? Object.assign({}, ...examples) : examples[0];
}

function arrayExample(
  schema: JsonSchema,
  root: JsonSchema,
  name: string,
  depth: number,
  expanding: Set<string>,
): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  // One item shows the item's shape; more only when the schema asks for them.
  const count = Math.min(Math.max(min, prefix.length, 1), max);
  const items = schema.items === false ? undefined : schema.items;
  const itemRef = (items as JsonSchema | undefined)?.$ref;
  if (typeof itemRef === 'string' && expanding.has(itemRef) && min === 0) return [];
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const item = i < prefix.length ? prefix[i] : items;
    if (i >= prefix.length && items === undefined && prefix.length > 0) break;
    out.push(example(item, root, name, depth + 1, expanding));
  }
  return out;
}

function numberExample(schema: JsonSchema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = exclusive !== undefined ? exclusive + 1 : (min ?? (max !== undefined && max < 0 ? max : 0));
  if (integer) value = Math.ceil(value);
  return value;
}
