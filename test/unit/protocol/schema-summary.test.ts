import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';
import { summarizeSchema } from '../../../src/protocol/schema-summary.js';

const summary = (schema: z.ZodType) => summarizeSchema(toResponseSchema(schema));

describe('summarizeSchema (a response schema in one line, as a TypeScript type reads)', () => {
  it('shows a tool review as its three shapes', () => {
    const review = z.discriminatedUnion('action', [
      z.object({ action: z.literal('approve') }),
      z.object({ action: z.literal('edit'), args: z.object({ to: z.string(), subject: z.string() }) }),
      z.object({ action: z.literal('reject'), message: z.string() }),
    ]);
    assert.equal(
      summary(review),
      '{ action: "approve" } | { action: "edit", args: { to: string, subject: string } } | { action: "reject", message: string }',
    );
  });

  const cases: Array<[z.ZodType, string]> = [
    [z.boolean(), 'boolean'],
    [z.enum(['a', 'b']), '"a" | "b"'],
    [z.object({ note: z.string().optional(), n: z.number().int() }), '{ note?: string, n: integer }'],
    [z.object({ 'two words': z.string().nullable() }), '{ "two words": string | null }'],
    [z.array(z.union([z.string(), z.number()])), '(string | number)[]'],
    [z.array(z.object({ id: z.string() })), '{ id: string }[]'],
    [z.object({ when: z.date() }), '{ when: any }'],
  ];
  for (const [schema, expected] of cases) {
    it(`writes ${expected}`, () => assert.equal(summary(schema), expected));
  }

  it('names a recursive part where it recurs, and cuts a long summary', () => {
    type Item = { name: string; children: Item[] };
    const Item: z.ZodType<Item> = z.lazy(() => z.object({ name: z.string(), children: z.array(Item) }));
    assert.equal(summary(z.object({ root: Item })), '{ root: { name: string, children: …[] } }');
    const wide = z.object(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, z.string()])));
    const text = summarizeSchema(toResponseSchema(wide), 100);
    assert.equal(text.length, 100);
    assert.ok(text.endsWith('…'));
  });
});
