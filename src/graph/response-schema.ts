/**
 * The `response_schema` an interrupt carries: the JSON Schema of its zod `responseSchema`, in the shape LangGraph
 * shows for the same schema, so a UI or agent written against LangGraph reads ours the same way.
 *
 * LangGraph.js (`toJsonSchema` in `@langchain/core/utils/json_schema`) converts the input side of transforms, makes
 * an object schema strict (its nested objects and arrays of objects too) and then calls zod's `toJSONSchema` with
 * its defaults. That shows objects with `additionalProperties: false` and fields with a `.default()` as required,
 * although zod's parse of a resume value strips unknown keys and fills in defaults: the schema tells a human what to
 * send, the node's own zod parse decides. The workflow's check (src/workflows/response-schema.ts) reads it that way.
 */
import { z } from 'zod';

/**
 * Converts an interrupt's zod `responseSchema` to the JSON Schema LangGraph shows as `response_schema`.
 *
 * One difference: where LangGraph throws on a type JSON Schema cannot express (a `z.date()`, a `.transform()` at the
 * top), this shows `{}` (any value) for that part, so the interrupt still reaches the human.
 */
export function toResponseSchema(schema: z.ZodType): Record<string, unknown> {
  const input = inputSide(schema, new WeakMap());
  const shown = input instanceof z.ZodObject ? strictObject(input) : schema;
  return z.toJSONSchema(shown, { unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The schema with each transform replaced by the schema it reads (objects, arrays, optional and nullable walked). */
function inputSide(schema: z.ZodType, seen: WeakMap<z.ZodType, z.ZodType>): z.ZodType {
  const known = seen.get(schema);
  if (known !== undefined) return known;
  let result: z.ZodType = schema instanceof z.ZodPipe ? inputSide(schema.def.in as z.ZodType, seen) : schema;
  if (result instanceof z.ZodObject) {
    const shape = Object.fromEntries(
      Object.entries(result.def.shape).map(([key, field]) => [key, inputSide(field as z.ZodType, seen)]),
    );
    result = result.clone({ ...result.def, shape });
  } else if (result instanceof z.ZodArray) {
    result = result.clone({ ...result.def, element: inputSide(result.def.element as z.ZodType, seen) });
  } else if (result instanceof z.ZodOptional) {
    result = result.clone({ ...result.def, innerType: inputSide(result.def.innerType as z.ZodType, seen) });
  } else if (result instanceof z.ZodNullable) {
    result = result.clone({ ...result.def, innerType: inputSide(result.def.innerType as z.ZodType, seen) });
  }
  keepMetadata(schema, result);
  seen.set(schema, result);
  return result;
}

/** The object refusing unknown keys, with the same done to the objects (and arrays of objects) it holds directly. */
function strictObject(object: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(object.def.shape) as [string, z.ZodType][]) {
    if (field instanceof z.ZodObject) shape[key] = strictObject(field);
    else if (field instanceof z.ZodArray && field.def.element instanceof z.ZodObject) {
      shape[key] = field.clone({ ...field.def, element: strictObject(field.def.element) });
    } else shape[key] = field;
    keepMetadata(field, shape[key]);
  }
  const strict = object.clone({ ...object.def, shape, catchall: z.never() });
  keepMetadata(object, strict);
  return strict;
}

/** `.describe()` / `.meta()` live in zod's global registry, keyed by schema instance: carry them to the copy. */
function keepMetadata(from: z.ZodType, to: z.ZodType): void {
  const meta = z.globalRegistry.get(from);
  if (meta !== undefined && from !== to) z.globalRegistry.add(to, meta);
}
