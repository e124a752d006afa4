import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeBlock, codeSpan } from '../../../src/protocol/markdown.js';

describe('codeSpan and codeBlock (text the Web UI shows exactly)', () => {
  it('wraps text in a span whose fence is longer than any backtick run inside', () => {
    assert.equal(codeSpan('{"resume": <value>}'), '`{"resume": <value>}`');
    assert.equal(codeSpan('a `b` c'), '``a `b` c``');
    assert.equal(codeSpan('`x`'), '`` `x` ``');
    assert.equal(codeSpan('two\nlines'), '`two lines`');
  });

  it('fences a block with at least three backticks, more when the text holds a run of them', () => {
    assert.equal(codeBlock('{"a": 1}', 'json'), '```json\n{"a": 1}\n```');
    assert.equal(codeBlock('```\ninner\n```'), '````\n```\ninner\n```\n````');
  });
});
