/**
 * State fields and their reducers. A field without a reducer keeps the last value written (LangGraph's
 * LastValue); a field with a reducer merges every write into the current value. Reducers are declared
 * on the zod schema, exactly as LangGraph.js does with its zod registry, so a port changes only imports:
 *
 * ```ts
 * const State = z.object({
 *   request: z.string(),
 *   log: z.array(z.string()).register(registry, { reducer: { fn: appendReducer }, default: () => [] }),
 *   // or, shorter: withReducer(z.array(z.string()), appendReducer, () => [])
 * });
 * ```
 */
import { z } from 'zod';
import type { ReducerKind } from '../protocol/spec.js';
import { appendValues } from '../protocol/reducers.js';

/** A reducer: merges one write (`update`) into the field's current value. Must be pure and deterministic. */
export type Reducer<Value = unknown, Update = Value> = (current: Value, update: Update) => Value;

/** Metadata attached to a state field through {@link registry}. */
export interface StateFieldMeta {
  /** `schema`: a zod schema of one write, when it differs from the field's own (typed loosely: zod maps registry metadata types). */
  reducer?: { fn: Reducer<any, any>; schema?: unknown };
  /** Called once at compile time; the result must be JSON. */
  default?: () => unknown;
}

const BUILTIN = Symbol.for('durable-graph.builtin-reducer');

/**
 * Marks `fn` as the user-facing form of a built-in reducer, which the engine then merges itself.
 * @internal
 */
export function tagBuiltinReducer<F extends (...args: never[]) => unknown>(
  fn: F,
  kind: Exclude<ReducerKind, 'custom'>,
): F {
  return Object.assign(fn, { [BUILTIN]: kind });
}

// One registry per process, even if two copies of the package are loaded.
const registryKey = Symbol.for('durable-graph.state-registry');
const globalStore = globalThis as unknown as Record<symbol, z.core.$ZodRegistry<StateFieldMeta> | undefined>;

/** The zod registry that holds reducers and defaults (`schema.register(registry, { reducer: { fn }, default })`). */
export const registry: z.core.$ZodRegistry<StateFieldMeta> = (globalStore[registryKey] ??=
  z.registry<StateFieldMeta>());

/**
 * Appends writes to a list: an array write is concatenated, a single value is pushed.
 * The engine recognises it and merges in the workflow without a round trip to the worker.
 */
export const appendReducer: <T>(current: T[], update: T | T[]) => T[] = Object.assign(
  function appendReducer<T>(current: T[], update: T | T[]): T[] {
    return appendValues(current, update) as T[];
  },
  { [BUILTIN]: 'append' as ReducerKind },
);

/** Declares a field with a reducer and an optional default; returns the same schema for chaining. */
export function withReducer<S extends z.ZodType>(
  schema: S,
  reducer: Reducer<z.infer<S>, any>,
  defaultValue?: () => z.infer<S>,
): S {
  const meta: StateFieldMeta = { reducer: { fn: reducer } };
  if (defaultValue) meta.default = defaultValue;
  // zod maps registry metadata types deeply; the metadata is exactly StateFieldMeta, so skip that mapping.
  registry.add(schema, meta as never);
  return schema;
}

/** What the compiler and the activities need to know about one state field. */
export interface FieldInfo {
  name: string;
  schema: z.ZodType;
  reducer?: Reducer<unknown, unknown>;
  reducerKind: ReducerKind;
  /** Schema of a write to this field (the reducer's update schema when it has one). */
  updateSchema?: z.ZodType;
  defaultFn?: () => unknown;
}

/**
 * What one write to a reducer field may be when the reducer gives no schema of its own: for append,
 * one element or an array of them; for any other reducer, a value of the field's own type (as LangGraph does).
 */
function defaultUpdateSchema(field: z.ZodType, kind: ReducerKind): z.ZodType {
  if (kind === 'append' || kind === 'messages') {
    const element = field instanceof z.ZodArray ? (field.element as z.ZodType) : undefined;
    return element ? z.union([z.array(element), element]) : field;
  }
  return field;
}

/** Reads the fields of a state schema. */
export function readFields(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([name, fieldSchema]) => {
    const field = fieldSchema as z.ZodType;
    const meta = registry.get(field);
    const info: FieldInfo = { name, schema: field, reducerKind: 'last' };
    if (meta?.reducer) {
      const fn = meta.reducer.fn;
      info.reducer = fn as Reducer<unknown, unknown>;
      const builtin = (fn as unknown as Record<symbol, ReducerKind | undefined>)[BUILTIN];
      info.reducerKind = builtin ?? 'custom';
      info.updateSchema =
        (meta.reducer.schema as z.ZodType | undefined) ?? defaultUpdateSchema(field, info.reducerKind);
    } else {
      info.updateSchema = field;
    }
    if (meta?.default) info.defaultFn = meta.default;
    // A zod `.default(...)` is a default too, as in LangGraph: the field starts with it.
    else if (field instanceof z.ZodDefault) info.defaultFn = () => field.parse(undefined);
    return info;
  });
}

/**
 * A LangGraph.js `Annotation.Root({ ... })` (or `MessagesAnnotation`), recognised by shape: durable-graph does not
 * depend on `@langchain/langgraph`. `State` and `Update` are LangGraph's type-only members.
 */
export interface AnnotationRootLike {
  spec: Record<string, unknown>;
  State?: unknown;
  Update?: unknown;
}

/** What `new StateGraph()` takes: a zod object, or a LangGraph `Annotation.Root` / `MessagesAnnotation`. */
export type StateSchema = z.ZodObject | AnnotationRootLike;

/** True for a LangGraph AnnotationRoot (by shape: its class name tag, or a spec made of LangGraph channels). */
export function isAnnotationRoot(value: unknown): value is AnnotationRootLike {
  if (typeof value !== 'object' || value === null || value instanceof z.ZodType) return false;
  const spec = (value as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return false;
  if ((value as { lc_graph_name?: unknown }).lc_graph_name === 'AnnotationRoot') return true;
  const channels = Object.values(spec);
  return (
    channels.length > 0 &&
    channels.every(
      (c) =>
        typeof c === 'function' ||
        (typeof c === 'object' && c !== null && (c as { lg_is_channel?: unknown }).lg_is_channel === true),
    )
  );
}

/**
 * Reads the fields of a LangGraph AnnotationRoot. `Annotation<T>()` is a last-value field; `Annotation<T>({ reducer, default })`
 * has a custom reducer (run on the worker), except LangGraph's `messagesStateReducer` (as in `MessagesAnnotation`), which is
 * the engine's built-in messages reducer. Values are not validated: an Annotation carries no runtime types.
 */
export function readAnnotationFields(root: AnnotationRootLike): { fields: FieldInfo[]; problems: string[] } {
  const fields: FieldInfo[] = [];
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(root.spec)) {
    let channel: unknown = entry;
    // `Annotation<T>` given uncalled is a channel factory, as LangGraph accepts.
    if (typeof channel === 'function') {
      try {
        channel = (channel as () => unknown)();
      } catch (error) {
        problems.push(
          `State field "${name}": calling its channel factory threw: ${(error as Error)?.message ?? String(error)}`,
        );
        continue;
      }
    }
    const kind =
      typeof channel === 'object' && channel !== null
        ? (channel as { lc_graph_name?: unknown }).lc_graph_name
        : undefined;
    const { operator, initialValueFactory } = (channel ?? {}) as { operator?: unknown; initialValueFactory?: unknown };
    const info: FieldInfo = { name, schema: z.unknown(), reducerKind: 'last' };
    if (kind === 'LastValue') {
      // No updateSchema: a write is taken as it is.
    } else if (kind === 'BinaryOperatorAggregate' && typeof operator === 'function') {
      if (operator.name === 'messagesStateReducer') {
        info.reducerKind = 'messages';
        info.reducer = operator as Reducer<unknown, unknown>;
        // Any message-like is accepted, then turned into wire JSON (as for MessagesZodState).
        info.updateSchema = z.unknown();
      } else {
        info.reducerKind = 'custom';
        const fn = operator as Reducer<unknown, unknown>;
        // As LangGraph's BinaryOperatorAggregate: a field without a value takes its first write as it is.
        info.reducer = (current, update) => (current === undefined ? update : fn(current, update));
      }
    } else {
      problems.push(
        `State field "${name}" is a LangGraph ${typeof kind === 'string' ? kind : 'channel of an unknown kind'}; ` +
          `durable-graph supports Annotation<T>() and Annotation<T>({ reducer, default }) fields.`,
      );
      continue;
    }
    if (typeof initialValueFactory === 'function') info.defaultFn = initialValueFactory as () => unknown;
    fields.push(info);
  }
  return { fields, problems };
}
