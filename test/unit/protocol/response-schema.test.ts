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

  /** The problems part of a refusal (before "Sent: …"). */
  const problems = (schema: z.ZodType, value: unknown) => checkResponse(recorded(schema), value)!.split('. Sent: ')[0];

  it('names the path of the offending field, what was expected and what was sent', () => {
    const nested = z.object({ a: z.object({ b: z.number() }) });
    assert.equal(problems(nested, { a: { b: 'x' } }), 'field "a.b": expected number, got "x"');
    assert.equal(problems(nested, { a: {} }), 'field "a.b" is required (missing)');
    assert.equal(
      problems(z.array(z.object({ id: z.string() })), [{ id: 'a' }, { id: 2 }]),
      'field "[1].id": expected string, got 2',
    );
    assert.equal(
      problems(z.object({ pick: z.enum(['a', 'b']) }), { pick: 'c' }),
      'field "pick": expected one of "a" | "b", got "c"',
    );
    assert.equal(
      problems(z.object({ approved: z.boolean(), n: z.number() }), { approved: 'yes', n: 'x' }),
      'field "approved": expected boolean, got "yes"; field "n": expected number, got "x"',
    );
    assert.equal(problems(z.boolean(), 'yes'), 'expected boolean, got "yes"');
  });

  it('says bounds and lengths in words', () => {
    assert.equal(problems(z.number().int().min(1).max(5), 0), 'expected at least 1, got 0');
    assert.equal(problems(z.number().int().min(1).max(5), 2.5), 'expected integer, got 2.5');
    assert.equal(problems(z.string().max(4), 'abcde'), 'expected at most 4 characters, got 5');
    assert.equal(
      problems(z.object({ tags: z.array(z.string()).min(1) }), { tags: [] }),
      'field "tags": expected at least 1 item, got 0',
    );
  });

  it('ends with what was sent and an example that fits', () => {
    const refusal = checkResponse(recorded(z.object({ approved: z.boolean(), note: z.string() })), { approved: 1 })!;
    assert.match(refusal, / Sent: \{"approved":1\}\. A value that fits: \{"approved":false,"note":"<note>"\}$/);
  });

  describe('a discriminated union (approve | edit with args | reject), as a tool review asks for it', () => {
    const EmailArgs = z.object({ to: z.string(), subject: z.string(), body: z.string() });
    const Review = z.discriminatedUnion('action', [
      z.object({ action: z.literal('approve') }),
      z.object({ action: z.literal('edit'), args: EmailArgs }),
      z.object({ action: z.literal('reject'), message: z.string() }),
    ]);
    const schema = recorded(Review);

    it('explains the branch the value names: for action "edit", field "args" is missing, with that branch as the example', () => {
      assert.equal(
        checkResponse(schema, { action: 'edit' }),
        'for action "edit": field "args" is required (missing). Sent: {"action":"edit"}. ' +
          'A value that fits: {"action":"edit","args":{"to":"<to>","subject":"<subject>","body":"<body>"}}',
      );
    });

    it('names every problem inside the branch', () => {
      assert.equal(
        problems(Review, { action: 'edit', args: { to: 7, subject: 's' } }),
        'for action "edit": field "args.to": expected string, got 7; field "args.body" is required (missing)',
      );
    });

    it('lists the allowed actions when the action is unknown or missing', () => {
      assert.equal(
        problems(Review, { action: 'send' }),
        'field "action": expected one of "approve", "edit", "reject", got "send"',
      );
      assert.equal(problems(Review, {}), 'field "action" is required (missing): one of "approve", "edit", "reject"');
    });

    it('shows the shapes it takes when the value is not an object at all (true, as 0.1.0 suggested)', () => {
      assert.equal(
        problems(Review, true),
        'expected { action: "approve" } | { action: "edit", args: { to: string, subject: string, body: string } } | ' +
          '{ action: "reject", message: string }, got true',
      );
    });

    it('accepts each branch', () => {
      for (const value of [
        { action: 'approve' },
        { action: 'edit', args: { to: 'a', subject: 'b', body: 'c' } },
        { action: 'reject', message: 'no' },
      ])
        assert.equal(checkResponse(schema, value), undefined, JSON.stringify(value));
    });
  });

  it('explains a union field inside an object by the branch of the same type', () => {
    const schema = z.object({ decision: z.union([z.literal('skip'), z.object({ edit: z.string() })]) });
    assert.equal(problems(schema, { decision: { edit: 1 } }), 'field "decision.edit": expected string, got 1');
    assert.equal(problems(schema, { decision: 'other' }), 'field "decision": expected "skip", got "other"');
    assert.equal(problems(schema, { decision: 3 }), 'field "decision": expected "skip" | { edit: string }, got 3');
  });

  it('follows $refs of a recursive schema to the offending field', () => {
    type Item = { name: string; children: Item[] };
    const Item: z.ZodType<Item> = z.lazy(() => z.object({ name: z.string(), children: z.array(Item) }));
    assert.equal(
      problems(z.object({ root: Item }), { root: { name: 'a', children: [{ name: 1, children: [] }] } }),
      'field "root.children[0].name": expected string, got 1',
    );
  });
});
