/**
 * The README stays a front door and the docs stay navigable: README.md under 10 KB, every relative link and `#anchor`
 * in README.md, docs/*.md and bench/RESULTS.md pointing at a file and heading that exist (GitHub's heading slugs), and
 * no citation of rule numbers, issue numbers or engine levels, which readers cannot look up.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README_MAX_BYTES = 10_000;

/** The Markdown files readers navigate, relative to the repository root. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`), 'bench/RESULTS.md'];
}

/** The lines of a Markdown text, those of fenced code blocks blanked. */
function unfenced(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker) fence = marker;
    return marker ? '' : line;
  });
}

/** The text outside fenced code blocks and inline code spans, where links live. */
export function prose(markdown: string): string {
  return unfenced(markdown)
    .map((line) => line.replace(/(`+)[^`]*?\1/g, ''))
    .join('\n');
}

/** GitHub's anchor for a heading: lowercase, punctuation removed except `-` and `_`, spaces to `-`. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a Markdown text defines: its headings' slugs, a repeated one numbered `-1`, `-2`, … as GitHub does. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of unfenced(markdown)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The relative link targets of a Markdown text (no scheme, not in code). */
export function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    targets.push(target);
  }
  return targets;
}

/** The problems with the links of one file: each one a sentence naming the file and the link. */
export function brokenLinks(file: string, markdown: string, read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const target of relativeLinks(markdown)) {
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const path = pathPart === '' ? file : normalize(join(dirname(file), decodeURIComponent(pathPart)));
    const text = read(path);
    if (text === undefined) {
      problems.push(`${file}: link (${target}) points to ${path}, which does not exist`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !path.endsWith('.md')) continue;
    if (!anchors(text).has(anchor.toLowerCase()))
      problems.push(`${file}: link (${target}) has no heading "#${anchor}" in ${path}`);
  }
  return problems;
}

/** Citations a reader cannot follow: LangGraph rule numbers (R25), issue numbers, engine levels. */
export function unfollowableCitations(markdown: string): string[] {
  const found: string[] = [];
  for (const pattern of [/\bR\d{1,2}\b/g, /\bissues? #?\d+/gi, /\bengine level \d+/gi]) {
    for (const match of markdown.matchAll(pattern)) found.push(match[0]);
  }
  return found;
}

/** Reads a repository file: its text for a Markdown file, '' for another file or a folder, undefined when missing. */
function readRepo(path: string): string | undefined {
  const full = join(root, path);
  if (relative(root, full).startsWith('..') || !existsSync(full)) return undefined;
  return statSync(full).isFile() && path.endsWith('.md') ? readFileSync(full, 'utf8') : '';
}

describe('README and docs', () => {
  it(`keeps README.md under ${README_MAX_BYTES} bytes`, () => {
    const size = statSync(join(root, 'README.md')).size;
    assert.ok(size <= README_MAX_BYTES, `README.md is ${size} bytes; move detail into docs/ and link to it`);
  });

  it('has a relative link target and heading for every link in README.md, docs/*.md and bench/RESULTS.md', () => {
    const problems = documents().flatMap((file) => brokenLinks(file, readFileSync(join(root, file), 'utf8'), readRepo));
    assert.deepEqual(problems, []);
  });

  it('cites no rule numbers, issue numbers or engine levels', () => {
    const problems = documents().flatMap((file) =>
      unfollowableCitations(readFileSync(join(root, file), 'utf8')).map((c) => `${file}: "${c}"`),
    );
    assert.deepEqual(problems, [], 'write the rule out in words, or link to a doc readers can open');
  });

  it('links every doc in docs/ from the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(readme).map((t) => t.split('#')[0]));
    const missing = documents().filter((f) => f.startsWith('docs/') && !linked.has(f));
    assert.deepEqual(missing, []);
  });
});

describe('the docs checks', () => {
  const files: Record<string, string> = {
    'docs/a.md':
      '# Title\n\n## Step(): once per `task`\n\n## Same\n\n## Same\n\n```md\n## not a heading\n[x](gone.md)\n```\n',
    'README.md': '',
  };
  const read = (path: string) => files[path];

  it('computes GitHub anchors: punctuation and code marks dropped, repeats numbered', () => {
    assert.deepEqual([...anchors(files['docs/a.md']!)], ['title', 'step-once-per-task', 'same', 'same-1']);
  });

  it('accepts links that resolve and ignores links in code and to other sites', () => {
    const text = '[a](docs/a.md#same-1) [b](#top) `[c](nowhere.md)` [d](https://example.com/x.md#y)\n# Top\n';
    assert.deepEqual(
      brokenLinks('README.md', text, (p) => (p === 'README.md' ? text : read(p))),
      [],
    );
  });

  it('reports a missing file and a missing heading, naming the file and the link', () => {
    const text = '[a](docs/gone.md) [b](docs/a.md#nope) [c](a.md#title)';
    assert.deepEqual(brokenLinks('docs/b.md', text, read), [
      'docs/b.md: link (docs/gone.md) points to docs/docs/gone.md, which does not exist',
      'docs/b.md: link (docs/a.md#nope) points to docs/docs/a.md, which does not exist',
    ]);
    assert.deepEqual(brokenLinks('README.md', text, read), [
      'README.md: link (docs/gone.md) points to docs/gone.md, which does not exist',
      'README.md: link (docs/a.md#nope) has no heading "#nope" in docs/a.md',
      'README.md: link (a.md#title) points to a.md, which does not exist',
    ]);
  });

  it('finds rule, issue and engine-level citations but not ordinary words', () => {
    assert.deepEqual(unfollowableCitations('as LangGraph does (R25), see issue 14, from engine level 12'), [
      'R25',
      'issue 14',
      'engine level 12',
    ]);
    assert.deepEqual(unfollowableCitations('RESULTS.md, R&D, 2 rounds, HR2D'), []);
  });
});
