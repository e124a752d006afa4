/**
 * Checks a resume value against an interrupt's response schema inside the workflow, so a bad value is refused
 * before anything is written to history. The schema is the JSON Schema the node recorded (LangGraph's shape, see
 * src/graph/response-schema.ts); @cfworker/json-schema validates it without eval or new Function, which the
 * workflow sandbox forbids, and without bundling zod. Determinism: pure functions of their arguments.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

/** At most this many problems are listed in one refusal. */
const MAX_PROBLEMS = 5;

/** Returns a one-line description of why `value` does not match (each problem names its path), or undefined when it does. */
export function checkResponse(schema: Record<string, unknown>, value: unknown): string | undefined {
  const result = new Validator(asParsed(schema) as Schema, '2020-12', false).validate(value);
  if (result.valid) return undefined;
  const problems = [...new Set(result.errors.filter(isLeaf).map((error) => describeError(error, value)))];
  return (problems.length ? problems : ['does not match']).slice(0, MAX_PROBLEMS).join('; ');
}

/**
 * The schema as the node's zod parse reads a value, which is what decides: the recorded schema closes objects
 * (`additionalProperties: false`) and requires fields that have a default, while zod strips unknown keys and fills
 * in defaults. `pattern` (zod drops a regex's flags) and `format` (zod's and JSON Schema's email, url, … differ) are
 * left to the node too, so a value zod accepts is never refused here.
 */
function asParsed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asParsed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  const source = schema as Record<string, unknown>;
  for (const [keyword, value] of Object.entries(source)) {
    if (keyword === 'pattern' || keyword === 'format' || (keyword === 'additionalProperties' && value === false))
      continue;
    if (DATA_KEYWORDS.has(keyword)) out[keyword] = value;
    else if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, asParsed(child)]));
    } else out[keyword] = asParsed(value);
  }
  if (Array.isArray(out.required) && typeof source.properties === 'object' && source.properties !== null) {
    const properties = source.properties as Record<string, unknown>;
    out.required = out.required.filter((name) => !hasDefault(properties[name as string]));
  }
  return out;
}

/** Keywords whose value is data, not a schema: copied as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required', 'type', 'description', 'title']);
/** Keywords whose value maps names to schemas: the names are not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

function hasDefault(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && 'default' in schema;
}

/**
 * Whether an error is about the value itself, not a summary of errors below it (`properties`, `items`, …) or one
 * from a branch of an `anyOf` / `oneOf` (the branch that was meant is unknown; the `anyOf` error says it).
 */
function isLeaf(error: OutputUnit): boolean {
  if (SUMMARY_KEYWORDS.has(error.keyword)) return false;
  return !/\/(anyOf|oneOf)\/\d+(\/|$)/.test(error.keywordLocation);
}

const SUMMARY_KEYWORDS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalProperties',
  'allOf',
  '$ref',
  'contains',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

/** `a.b: expected number, got string`: the path (JSON Pointer turned into dots), then what is wrong. */
function describeError(error: OutputUnit, root: unknown): string {
  const segments = error.instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapePointer);
  const path = segments.join('.');
  if (error.keyword === 'required') {
    const missing = /required property "(.*)"/.exec(error.error)?.[1];
    if (missing !== undefined) return `${path ? `${path}.` : ''}${missing}: required`;
  }
  if (error.keyword === 'type') {
    const expected = /Expected (.*)\.$/.exec(error.error)?.[1]?.replace(/"/g, '');
    if (expected !== undefined)
      return `${path ? `${path}: ` : ''}expected ${expected.replace(/, /g, ' or ')}, got ${typeName(at(root, segments))}`;
  }
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf')
    return `${path ? `${path}: ` : ''}matches none of the allowed shapes`;
  return `${path ? `${path}: ` : ''}${error.error.replace(/\.$/, '').replace(/^Instance /, '')}`;
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

function at(root: unknown, segments: string[]): unknown {
  let current = root;
  for (const segment of segments)
    current =
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
  return current;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
