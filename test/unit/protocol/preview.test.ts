import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { previewJson } from '../../../src/protocol/preview.js';

describe('previewJson', () => {
  it('shows short values as one line of JSON', () => assert.equal(previewJson({ a: [1, 'x'] }), '{"a":[1,"x"]}'));
  it('shows undefined as undefined rather than nothing', () => assert.equal(previewJson(undefined), 'undefined'));
  it('cuts long values to max characters, ending with …', () => {
    const text = previewJson('x'.repeat(100), { max: 10 });
    assert.equal(text.length, 10);
    assert.ok(text.endsWith('…'));
  });
  it('indents with pretty', () => assert.equal(previewJson({ a: 1 }, { pretty: true }), '{\n  "a": 1\n}'));
  it('does not throw for values JSON cannot show', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(previewJson(circular), '[object Object]');
    assert.equal(previewJson(10n), '10');
  });
});
