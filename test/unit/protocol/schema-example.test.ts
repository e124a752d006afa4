import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';
import { checkResponse } from '../../../src/protocol/response-schema.js';
import { exampleOf } from '../../../src/protocol/schema-example.js';

/** The example for a zod schema, through the JSON Schema a node records for it. */
const example = (schema: z.ZodType) => exampleOf(toResponseSchema(schema));

describe('exampleOf (an answer to edit, built from a response schema)', () => {
  const cases: Array<[string, z.ZodType, unknown]> = [
    ['text', z.string(), '<text>'],
    ['a boolean', z.boolean(), false],
    ['a number with a minimum', z.number().int().min(3), 3],
    ['a number with an exclusive minimum', z.number().positive(), 1],
    ['an enum: its first value', z.enum(['approve', 'reject']), 'approve'],
    ['a literal', z.literal(42), 42],
    [
      'an object: its required fields, each text field named after itself',
      z.object({ approved: z.boolean(), comment: z.string().optional(), to: z.email() }),
      { approved: false, to: '<to>' },
    ],
    [
      'a field with a default: the default',
      z.object({ level: z.enum(['low', 'high']).default('high') }),
      { level: 'high' },
    ],
    ['an array: one item', z.object({ tags: z.array(z.string()) }), { tags: ['<tags>'] }],
    ['an array with minItems', z.array(z.number()).min(2), [0, 0]],
    ['a nullable field: the non-null branch', z.object({ note: z.string().nullable() }), { note: '<note>' }],
    [
      'a discriminated union: the first branch',
      z.discriminatedUnion('action', [
        z.object({ action: z.literal('approve') }),
        z.object({ action: z.literal('reject'), message: z.string() }),
      ]),
      { action: 'approve' },
    ],
    ['a union: the first branch', z.union([z.object({ edit: z.string() }), z.literal('skip')]), { edit: '<edit>' }],
    ['anything (a date JSON Schema cannot show)', z.object({ when: z.date() }), { when: '<when>' }],
  ];
  for (const [label, schema, expected] of cases) {
    it(`gives ${JSON.stringify(expected)} for ${label}`, () => assert.deepEqual(example(schema), expected));
  }

  it('gives a value the schema accepts, so what a person edits is only the content', () => {
    for (const [, schema] of cases) {
      const recorded = toResponseSchema(schema);
      assert.equal(checkResponse(recorded, exampleOf(recorded)), undefined, JSON.stringify(recorded));
    }
  });

  it('stops a recursive schema one level down (an empty list of children)', () => {
    type Item = { name: string; children: Item[] };
    const Item: z.ZodType<Item> = z.lazy(() => z.object({ name: z.string(), children: z.array(Item) }));
    assert.deepEqual(example(z.object({ root: Item })), { root: { name: '<name>', children: [] } });
  });
});
