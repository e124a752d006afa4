/**
 * Differential: the `response_schema` an interrupt carries is the one LangGraph.js shows for the same zod schema.
 * The oracle is a real LangGraph graph (in memory, no server) whose node calls interrupt(value, { responseSchema }).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotation, MemorySaver, StateGraph, START, interrupt } from '@langchain/langgraph';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';

/** What LangGraph puts in `__interrupt__[0].response_schema` when a node asks for `schema`. */
async function langGraphResponseSchema(schema: z.ZodType): Promise<unknown> {
  const graph = new StateGraph(Annotation.Root({ answer: Annotation<unknown> }))
    .addNode('ask', () => ({ answer: interrupt('question', { responseSchema: schema }) }))
    .addEdge(START, 'ask')
    .compile({ checkpointer: new MemorySaver() });
  const result = await graph.invoke({}, { configurable: { thread_id: 'differential' } });
  const interrupts = (result as { __interrupt__?: { response_schema?: unknown }[] }).__interrupt__;
  assert.equal(interrupts?.length, 1, 'LangGraph paused at the interrupt');
  return interrupts[0]!.response_schema;
}

describe('response_schema (differential against LangGraph.js)', () => {
  const cases: [string, () => z.ZodType][] = [
    ['an object', () => z.object({ approved: z.boolean(), comment: z.string() })],
    [
      'a nested object',
      () => z.object({ decision: z.object({ approved: z.boolean(), by: z.object({ name: z.string() }) }) }),
    ],
    ['an enum', () => z.enum(['approve', 'reject', 'edit'])],
    ['an object with an optional field', () => z.object({ approved: z.boolean(), comment: z.string().optional() })],
    ['an array', () => z.array(z.string()).min(1)],
    [
      'an array of objects inside an object',
      () => z.object({ edits: z.array(z.object({ path: z.string(), text: z.string() })) }),
    ],
    [
      'a field with a default and a description',
      () => z.object({ approved: z.boolean().describe('Approve the action?'), notify: z.boolean().default(true) }),
    ],
    ['a field with a transform', () => z.object({ amount: z.string().transform((s) => Number(s)) })],
    [
      'a union and a nullable field',
      () =>
        z.object({ action: z.union([z.literal('skip'), z.object({ edit: z.string() })]), note: z.string().nullable() }),
    ],
    ['a loose object', () => z.looseObject({ approved: z.boolean() })],
    ['a bounded number', () => z.number().int().min(1).max(5)],
  ];
  for (const [label, make] of cases) {
    it(`shows LangGraph's schema for ${label}`, async () => {
      // A fresh schema for each side: neither conversion may depend on (or leak into) the other's copy.
      assert.deepEqual(toResponseSchema(make()), await langGraphResponseSchema(make()));
    });
  }

  it('marks a zod object closed (additionalProperties: false), as LangGraph does', () => {
    assert.equal(toResponseSchema(z.object({ approved: z.boolean() })).additionalProperties, false);
  });

  it('leaves the schema it was given unchanged', () => {
    const schema = z.object({ inner: z.object({ a: z.string() }) });
    toResponseSchema(schema);
    assert.deepEqual(z.toJSONSchema(schema, { io: 'input' }), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { inner: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
      required: ['inner'],
    });
  });
});
