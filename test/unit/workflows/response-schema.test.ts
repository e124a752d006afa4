import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { checkResponse } from '../../../src/workflows/response-schema.js';

/** The JSON Schema the node records for a zod schema (the input side, as run-node.ts does). */
const recorded = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

describe('checkResponse (the workflow-side check of a resume against its recorded response schema)', () => {
  const cases: Array<[string, z.ZodType, unknown[], unknown[]]> = [
    ['an object with a required boolean and an optional string', z.object({ approved: z.boolean(), comment: z.string().optional() }), [{ approved: true }, { approved: false, comment: 'x', extra: 1 }], [{}, { approved: 'yes' }, { approved: true, comment: 3 }, null, 'true']],
    ['an enum', z.enum(['approve', 'reject']), ['approve'], ['maybe', 1]],
    ['a bounded number', z.number().int().min(1).max(5), [1, 5], [0, 6, 2.5, '3']],
    ['a string with a length', z.string().min(2).max(4), ['ab', 'abcd'], ['a', 'abcde', 5]],
    ['an array of objects', z.array(z.object({ id: z.string() })).min(1), [[{ id: 'a' }]], [[], [{ id: 1 }], {}]],
    ['a union', z.union([z.literal('skip'), z.object({ edit: z.string() })]), ['skip', { edit: 'new' }], ['other', { edit: 1 }]],
    ['a nullable field', z.object({ note: z.string().nullable() }), [{ note: null }, { note: 'n' }], [{ note: 1 }]],
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
    assert.match(checkResponse(recorded(z.object({ a: z.object({ b: z.number() }) })), { a: { b: 'x' } })!, /^a\.b: expected number, got string/);
  });
});
