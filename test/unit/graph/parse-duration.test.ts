/** parseDuration: node timeouts and interrupt() timeouts accept what Temporal's Duration strings accept (the ms package). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/graph/compile.js';

describe('parseDuration', () => {
  const valid: [unknown, number][] = [
    [250, 250],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    [' 30 s ', 30_000],
    ['2 days', 172_800_000],
    ['100', 100],
  ];
  for (const [input, expected] of valid) {
    test(`reads ${JSON.stringify(input)} as ${expected} ms`, () => assert.equal(parseDuration(input), expected));
  }

  const invalid: unknown[] = [
    'soon',
    '',
    '0s',
    0,
    -5,
    '-1h',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1'.repeat(101),
    null,
    {},
    '5 fortnights',
  ];
  for (const input of invalid) {
    test(`refuses ${typeof input === 'string' && input.length > 20 ? 'a 101-character string' : (JSON.stringify(input) ?? String(input))}`, () =>
      assert.equal(parseDuration(input), undefined));
  }
});
