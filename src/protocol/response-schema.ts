/**
 * Checks a resume value against an interrupt's response schema inside the workflow, so a bad value is refused
 * before anything is written to history. The schema is the JSON Schema the node recorded (LangGraph's shape, see
 * src/graph/response-schema.ts); @cfworker/json-schema validates it without eval or new Function, which the
 * workflow sandbox forbids, and without bundling zod. Determinism: pure functions of their arguments.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import {
  branchesOf,
  constantOf,
  hasType,
  jsonTypeOf,
  propertiesOf,
  requiredOf,
  resolve,
  typesOf,
  type JsonSchema,
} from './json-schema.js';
import { previewJson } from './preview.js';
import { exampleOf } from './schema-example.js';
import { summarizeSchema } from './schema-summary.js';

/** At most this many problems are listed in one refusal. */
const MAX_PROBLEMS = 5;

/**
 * The refusal of an answer that `checkResponse` found wrong (`problem`): the same sentence from the engine, the CLI and
 * the audit trail.
 */
export function schemaRefusal(interruptId: string, node: string, threadId: string, problem: string): string {
  return `Resume for interrupt "${interruptId}" (node "${node}", thread "${threadId}") does not match its response schema: ${problem}.`;
}

/**
 * Returns why `value` does not match, in the words of the person who sent it, or undefined when it does: which field,
 * what was expected, what was sent, and an example that fits. For a union told apart by a constant field (a
 * discriminated union such as `approve | edit | reject` on `action`), the branch the value names is the one checked:
 * `for action "edit": field "args" is required (missing)`, with that branch's example.
 */
export function checkResponse(schema: Record<string, unknown>, value: unknown): string | undefined {
  const parsed = asParsed(schema) as JsonSchema;
  const context: Context = { root: parsed, meant: parsed };
  if (isValid(parsed, value, context)) return undefined;
  const problems = [...new Set(explain(parsed, value, [], context))];
  const listed = (problems.length ? problems : ['does not match']).slice(0, MAX_PROBLEMS).join('; ');
  return (
    `${listed}. Sent: ${previewJson(value, { max: 200 })}. ` +
    `A value that fits: ${previewJson(exampleOf(withDefinitions(context.meant, parsed)), { max: 300 })}`
  );
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

interface Context {
  /** The whole (parsed) schema: `$ref`s resolve against it. */
  root: JsonSchema;
  /** The shape the sender meant: the branch a discriminated union at the top names, else the whole schema. */
  meant: unknown;
}

/** A path in the value: object keys and array indexes. */
type Path = ReadonlyArray<string | number>;

function isValid(node: unknown, value: unknown, context: Context): boolean {
  const schema = withDefinitions(node, context.root);
  return new Validator(schema as Schema, '2020-12', true).validate(value).valid;
}

/** A sub-schema validated on its own keeps the root's definitions, so its `$ref`s still resolve. */
function withDefinitions(node: unknown, root: JsonSchema): JsonSchema {
  const schema = typeof node === 'object' && node !== null ? (node as JsonSchema) : node === false ? { not: {} } : {};
  if (schema === root) return schema;
  return {
    ...schema,
    ...(root.$defs ? { $defs: root.$defs } : {}),
    ...(root.definitions ? { definitions: root.definitions } : {}),
  };
}

/** The problems of `value` against `node`, each naming its field; empty when it fits. */
function explain(node: unknown, value: unknown, path: Path, context: Context): string[] {
  if (isValid(node, value, context)) return [];
  const schema = resolve(node, context.root);
  const branches = branchesOf(schema);
  if (branches) return explainUnion(branches, value, path, context);
  const types = typesOf(schema);
  if (types.length && !hasType(value, types))
    return [`${where(path)}expected ${types.join(' or ')}, got ${sent(value)}`];
  const constant = constantOf(schema);
  if (constant && !sameJson(constant.value, value)) {
    return [`${where(path)}expected ${JSON.stringify(constant.value)}, got ${sent(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => sameJson(v, value))) {
    return [
      `${where(path)}expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(' | ')}, got ${sent(value)}`,
    ];
  }
  const problems: string[] = [];
  if (jsonTypeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const required = requiredOf(schema);
    const properties = propertiesOf(schema);
    // In the schema's field order, then required fields it does not describe.
    for (const key of [...Object.keys(properties), ...required.filter((k) => !(k in properties))]) {
      if (key in object) problems.push(...explain(properties[key], object[key], [...path, key], context));
      else if (required.includes(key)) problems.push(`${field([...path, key])} is required (missing)`);
    }
  }
  if (Array.isArray(value)) {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : schema.items;
      if (itemSchema !== undefined) problems.push(...explain(itemSchema, item, [...path, i], context));
    });
  }
  // Nothing below the value is wrong: a keyword on the value itself (a length, a bound, allOf…).
  return problems.length ? problems : keywordProblems(schema, value, path, context);
}

/**
 * A value that fits no branch of a union. A discriminated union (each branch fixes one field to a constant) is told
 * by that field: the branch it names is explained. Otherwise the branches of the value's type are tried, and the
 * closest one (fewest problems) is explained; none of its type: what the union takes.
 */
function explainUnion(branches: unknown[], value: unknown, path: Path, context: Context): string[] {
  const resolved = branches.map((b) => resolve(b, context.root));
  if (resolved.some((_, i) => isValid(branches[i], value, context)))
    return [`${where(path)}matches more than one of the allowed shapes (${summarizeSchema({ oneOf: resolved }, 200)})`];
  const key = discriminator(resolved);
  if (key !== undefined && jsonTypeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const allowed = resolved.map((b) => JSON.stringify(constantOf(resolve(propertiesOf(b)[key], context.root))!.value));
    if (!(key in object)) return [`${field([...path, key])} is required (missing): one of ${allowed.join(', ')}`];
    const index = resolved.findIndex((b) =>
      sameJson(constantOf(resolve(propertiesOf(b)[key], context.root))!.value, object[key]),
    );
    if (index === -1)
      return [`${field([...path, key])}: expected one of ${allowed.join(', ')}, got ${sent(object[key])}`];
    if (path.length === 0) context.meant = branches[index];
    const problems = explain(branches[index], value, path, context);
    return [`for ${key} ${JSON.stringify(object[key])}: ${problems.join('; ')}`];
  }
  const ofType = branches.filter((_, i) => {
    const types = typesOf(resolved[i]!);
    return types.length === 0 || hasType(value, types);
  });
  if (ofType.length === 0)
    return [`${where(path)}expected ${summarizeSchema({ anyOf: resolved }, 200)}, got ${sent(value)}`];
  const explained = ofType.map((branch) => ({ branch, problems: explain(branch, value, path, context) }));
  const closest = explained.reduce((best, next) => (next.problems.length < best.problems.length ? next : best));
  if (path.length === 0) context.meant = closest.branch;
  return closest.problems;
}

/** The field every branch fixes to a different constant (`action` in `approve | edit | reject`), if there is one. */
function discriminator(branches: JsonSchema[]): string | undefined {
  const [first, ...rest] = branches;
  if (!first || rest.length === 0) return undefined;
  for (const key of Object.keys(propertiesOf(first))) {
    const constants = branches.map((b) => {
      const property = propertiesOf(b)[key];
      return requiredOf(b).includes(key) && typeof property === 'object' && property !== null
        ? constantOf(property as JsonSchema)
        : undefined;
    });
    if (constants.every((c) => c !== undefined)) {
      const texts = constants.map((c) => JSON.stringify(c!.value));
      if (new Set(texts).size === texts.length) return key;
    }
  }
  return undefined;
}

/** A bound or length on the value itself, in our words; else what the validator says. */
function keywordProblems(schema: JsonSchema, value: unknown, path: Path, context: Context): string[] {
  const bound = boundProblem(schema, value);
  if (bound) return [`${where(path)}${bound}`];
  const result = new Validator(withDefinitions(schema, context.root) as Schema, '2020-12', false).validate(value);
  const own = result.errors.filter((e) => e.instanceLocation === '#' && !SUMMARY_KEYWORDS.has(e.keyword));
  const problems = own.map((e) => `${where(path)}${e.error.replace(/\.$/, '').replace(/^Instance /, '')}`);
  return problems.length ? [...new Set(problems)] : [`${where(path)}does not match`];
}

/** `expected at least 1, got 0`, `expected at most 5 characters, got 7`, …: the bounds zod's schemas use. */
function boundProblem(schema: JsonSchema, value: unknown): string | undefined {
  const num = (keyword: string) => (typeof schema[keyword] === 'number' ? (schema[keyword] as number) : undefined);
  if (typeof value === 'number') {
    const checks: Array<[string, (bound: number) => boolean, string]> = [
      ['minimum', (b) => value < b, 'at least'],
      ['exclusiveMinimum', (b) => value <= b, 'more than'],
      ['maximum', (b) => value > b, 'at most'],
      ['exclusiveMaximum', (b) => value >= b, 'less than'],
    ];
    for (const [keyword, fails, words] of checks) {
      const bound = num(keyword);
      if (bound !== undefined && fails(bound)) return `expected ${words} ${bound}, got ${value}`;
    }
    const step = num('multipleOf');
    if (step !== undefined && !Number.isInteger(value / step)) return `expected a multiple of ${step}, got ${value}`;
  }
  const length = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : undefined;
  if (length !== undefined) {
    const unit = (n: number) => (typeof value === 'string' ? 'character' : 'item') + (n === 1 ? '' : 's');
    const [min, max] = typeof value === 'string' ? ['minLength', 'maxLength'] : ['minItems', 'maxItems'];
    const low = num(min!);
    const high = num(max!);
    if (low !== undefined && length < low) return `expected at least ${low} ${unit(low)}, got ${length}`;
    if (high !== undefined && length > high) return `expected at most ${high} ${unit(high)}, got ${length}`;
  }
  return undefined;
}

const SUMMARY_KEYWORDS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  '$ref',
  'contains',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

/** `field "args.to"`, `field "items[1].id"`; `the value` at the top. */
function field(path: Path): string {
  if (path.length === 0) return 'the value';
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return `field ${JSON.stringify(text)}`;
}

/** The prefix naming where a problem is: `field "a.b": `, or nothing at the top. */
function where(path: Path): string {
  return path.length === 0 ? '' : `${field(path)}: `;
}

/** What was sent, as JSON, short. */
function sent(value: unknown): string {
  return previewJson(value, { max: 80 });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
