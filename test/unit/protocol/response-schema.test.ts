import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';
import { checkResponse } from '../../../src/protocol/response-schema.js';

/** The JSON Schema the node records for a zod schema (LangGraph's shape, as run-node.ts records it). */
const recorded = (schema: z.ZodType) => toResponseSchema(schema);

describe('checkResponse (the workflow-side check of a resume against its recorded response schema)', () => {
  const cases: Array<[string, z.ZodType, unknown[], unknown[]]> = [
    [
      'an object with a required boolean and an optional string',
      z.object({ approved: z.boolean(), comment: z.string().optional() }),
      [{ approved: true }, { approved: false, comment: 'x', extra: 1 }],
      [{}, { approved: 'yes' }, { approved: true, comment: 3 }, null, 'true'],
    ],
    ['an enum', z.enum(['approve', 'reject']), ['approve'], ['maybe', 1]],
    ['a bounded number', z.number().int().min(1).max(5), [1, 5], [0, 6, 2.5, '3']],
    ['a string with a length', z.string().min(2).max(4), ['ab', 'abcd'], ['a', 'abcde', 5]],
    ['an array of objects', z.array(z.object({ id: z.string() })).min(1), [[{ id: 'a' }]], [[], [{ id: 1 }], {}]],
    [
      'a union',
      z.union([z.literal('skip'), z.object({ edit: z.string() })]),
      ['skip', { edit: 'new' }],
      ['other', { edit: 1 }],
    ],
    ['a nullable field', z.object({ note: z.string().nullable() }), [{ note: null }, { note: 'n' }], [{ note: 1 }]],
    [
      'nested objects with extra keys',
      z.object({ a: z.object({ b: z.boolean() }) }),
      [{ a: { b: true, extra: 1 }, more: 2 }],
      [{ a: {} }, { a: { b: 1 } }],
    ],
    [
      'a field with a default (required in the shown schema)',
      z.object({ approved: z.boolean(), notify: z.boolean().default(true) }),
      [{ approved: true }],
      [{ notify: false }, { approved: true, notify: 'no' }],
    ],
    ['an email (format left to the node)', z.object({ to: z.email() }), [{ to: 'a@example.com' }], [{ to: 5 }]],
  ];
  for (const [label, schema, good, bad] of cases) {
    it(`accepts what zod accepts and refuses what zod refuses for ${label}`, () => {
      for (const value of good) {
        assert.equal(schema.safeParse(value).success, true, `zod accepts ${JSON.stringify(value)}`);
        assert.equal(checkResponse(recorded(schema), value), undefined, JSON.stringify(value));
      }
      for (const value of bad) {
        assert.equal(schema.safeParse(value).success, false, `zod refuses ${JSON.stringify(value)}`);
        assert.equal(typeof checkResponse(recorded(schema), value), 'string', JSON.stringify(value));
      }
    });
  }

  it('leaves regex patterns to the node (zod drops the flags from JSON Schema), so a valid value is never refused', () => {
    const schema = z.string().regex(/^ok$/i);
    assert.equal(schema.safeParse('OK').success, true);
    assert.equal(checkResponse(recorded(schema), 'OK'), undefined);
  });

  it('names the path of the offending field', () => {
    assert.match(
      checkResponse(recorded(z.object({ a: z.object({ b: z.number() }) })), { a: { b: 'x' } })!,
      /^a\.b: expected number, got string/,
    );
    assert.equal(checkResponse(recorded(z.object({ a: z.object({ b: z.number() }) })), { a: {} }), 'a.b: required');
    assert.equal(
      checkResponse(recorded(z.array(z.object({ id: z.string() }))), [{ id: 'a' }, { id: 2 }]),
      '1.id: expected string, got number',
    );
    assert.equal(
      checkResponse(recorded(z.object({ pick: z.enum(['a', 'b']) })), { pick: 'c' }),
      'pick: does not match any of ["a","b"]',
    );
    assert.equal(
      checkResponse(recorded(z.object({ approved: z.boolean(), n: z.number() })), { approved: 'yes', n: 'x' }),
      'approved: expected boolean, got string; n: expected number, got string',
    );
  });
});
