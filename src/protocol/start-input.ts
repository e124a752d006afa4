/**
 * Checks the input a run was started with before the engine reads it. Our client always sends a well-formed
 * {@link RunInput}; anyone else can start a graph by name (`temporal workflow start --type <graph> --input …`, another
 * SDK), and a mistake there must fail the run with INVALID_INPUT naming the field, never run on empty state or with a
 * limit turned off. Sandbox-safe: pure functions of the value.
 */
import type { RunInput } from './payloads.js';
import { previewJson } from './preview.js';

type Check = (value: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const object: Check = (v) => (isObject(v) ? undefined : 'an object');
const objectOrNull: Check = (v) => (v === null || isObject(v) ? undefined : 'an object or null');
const text: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const positiveInteger: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? undefined : 'a positive integer');
const strings: Check = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : 'a list of node names (strings)';
const objects: Check = (v) => (Array.isArray(v) && v.every(isObject) ? undefined : 'a list of objects');

/** Each field of a run's input and what it must be; `satisfies` keeps the list in step with {@link RunInput}. */
const FIELDS = {
  input: objectOrNull,
  spec: object,
  previous: (v) =>
    isObject(v) && isObject(v.values) && Number.isInteger(v.step)
      ? undefined
      : 'an object {"values": {…}, "step": <integer>}',
  recursionLimit: positiveInteger,
  configurable: object,
  parent: (v) =>
    isObject(v) && ['workflowId', 'runId', 'taskId', 'node'].every((k) => typeof v[k] === 'string')
      ? undefined
      : 'an object {"workflowId", "runId", "taskId", "node"} of strings',
  onNodeFailure: (v) => (v === 'fail' ? undefined : 'the string "fail"'),
  command: object,
  continued: object,
} satisfies Record<keyof RunInput, Check>;

/** The fields of `command` (a Command sent as a run's input). */
const COMMAND_FIELDS = {
  update: objectOrNull,
  goto: strings,
  asNode: text,
  updateState: (v) => (v === true ? undefined : 'true'),
  rerun: objects,
} satisfies Record<keyof NonNullable<RunInput['command']>, Check>;

/**
 * Why `raw` is not a run's input, in the words of whoever started the run, or undefined when it is one. An absent
 * input (`null`) is an empty one.
 */
export function startInputProblem(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!isObject(raw)) {
    return (
      `The run's input is ${describe(raw)}; it must be an object whose "input" holds the state: ` +
      `{"input": {<state fields>}}.`
    );
  }
  const unknown = Object.keys(raw).filter((key) => !(key in FIELDS));
  if (unknown.length) {
    const fields = unknown.map((k) => `"${k}"`).join(', ');
    const wrapped = Object.fromEntries(unknown.map((k) => [k, raw[k]]));
    return (
      `Field${unknown.length > 1 ? 's' : ''} ${fields} of the run's input ${unknown.length > 1 ? 'are' : 'is'} not ` +
      `one of ${Object.keys(FIELDS)
        .map((k) => `"${k}"`)
        .join(', ')}. State fields go inside "input": ${previewJson({ input: wrapped }, { max: 200 })}.`
    );
  }
  for (const [key, check] of Object.entries(FIELDS) as Array<[keyof RunInput, Check]>) {
    if (raw[key] === undefined) continue;
    const expected = check(raw[key]);
    if (expected) return `Field "${key}" of the run's input must be ${expected}; it is ${describe(raw[key])}.`;
  }
  if (isObject(raw.command)) {
    const command = raw.command;
    const unknownInCommand = Object.keys(command).filter((key) => !(key in COMMAND_FIELDS));
    if (unknownInCommand.length) {
      return (
        `Field "command.${unknownInCommand[0]}" of the run's input is not one of ` +
        `${Object.keys(COMMAND_FIELDS)
          .map((k) => `"${k}"`)
          .join(', ')}.`
      );
    }
    for (const [key, check] of Object.entries(COMMAND_FIELDS) as Array<[string, Check]>) {
      if (command[key] === undefined) continue;
      const expected = check(command[key]);
      if (expected)
        return `Field "command.${key}" of the run's input must be ${expected}; it is ${describe(command[key])}.`;
    }
  }
  return undefined;
}

/** A value and its JSON type, short: `"abc" (a string)`. */
function describe(value: unknown): string {
  const type = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  return value === null ? 'null' : `${previewJson(value, { max: 80 })} (${type})`;
}
