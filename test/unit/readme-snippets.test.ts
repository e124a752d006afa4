import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { documentFiles, syncSnippets } from '../../scripts/sync-snippets.js';

describe('README and docs code blocks', () => {
  it('are identical to the regions of the tested example files they name', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.match(readme, /<!-- snippet: /, 'the README embeds at least one snippet');
    for (const file of documentFiles()) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      assert.equal(syncSnippets(text), text, `${file}: run \`npx tsx scripts/sync-snippets.ts\` to refresh it`);
    }
  });

  it('detects a block that drifted from its source', () => {
    const readme = '<!-- snippet: a.ts#x -->\n```ts\nold\n```\n';
    assert.equal(
      syncSnippets(readme, () => '// #region x\nnew\n// #endregion x\n'),
      '<!-- snippet: a.ts#x -->\n```ts\nnew\n```\n',
    );
  });

  it('takes the body of the fenced block a Markdown region wraps', () => {
    const readme = '<!-- snippet: a.md#out -->\n```text\nold\n```\n';
    const source = '# A\n<!-- #region out -->\n```sh\n$ run\nok\n```\n<!-- #endregion out -->\n';
    assert.equal(
      syncSnippets(readme, () => source),
      '<!-- snippet: a.md#out -->\n```text\n$ run\nok\n```\n',
    );
  });

  it('names the file and region when a region is missing', () => {
    assert.throws(
      () => syncSnippets('<!-- snippet: a.ts#gone -->\n```ts\n```\n', () => ''),
      /a\.ts#gone: region not found/,
    );
  });
});
