import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interruptId } from '../../../src/workflows/interrupt-id.js';

describe('interruptId (derived from the task and a count)', () => {
  it('is 32 hex characters, the same for the same task and index', () => {
    const task = 'e3762c91-59de-4b9c-9e26-58ef2657e611';
    assert.match(interruptId(task, 0), /^[0-9a-f]{32}$/);
    assert.equal(interruptId(task, 0), interruptId(task, 0));
  });

  it('differs between counts of one task and between tasks', () => {
    const ids = new Set<string>();
    for (let t = 0; t < 200; t++)
      for (let i = 0; i < 5; i++) ids.add(interruptId(`00000000-0000-4000-8000-${String(t).padStart(12, '0')}`, i));
    assert.equal(ids.size, 1000);
  });
});
