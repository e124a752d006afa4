import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { syncSnippets } from '../../scripts/sync-snippets.js';

describe('README code blocks', () => {
  it('are identical to the regions of the tested example files they name', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.match(readme, /<!-- snippet: /, 'the README embeds at least one snippet');
    assert.equal(syncSnippets(readme), readme, 'run `npx tsx scripts/sync-snippets.ts` to refresh README.md');
  });

  it('detects a block that drifted from its source', () => {
    const readme = '<!-- snippet: a.ts#x -->\n```ts\nold\n```\n';
    assert.equal(syncSnippets(readme, () => '// #region x\nnew\n// #endregion x\n'), '<!-- snippet: a.ts#x -->\n```ts\nnew\n```\n');
  });
});
