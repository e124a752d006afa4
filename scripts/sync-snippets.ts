/**
 * Keeps the code blocks of README.md and docs/*.md identical to the tested example files. A block preceded by
 * `<!-- snippet: examples/approval/graph.ts#define -->` is replaced by the lines between
 * `// #region define` and `// #endregion define` of that file. In a Markdown source, a region wraps one fenced
 * block (`<!-- #region output -->`, the fence, `<!-- #endregion output -->`) and the block's body is the snippet.
 * `tsx scripts/sync-snippets.ts` rewrites the files; `--check` exits 1 if one of them is out of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files whose snippet blocks are synced, relative to the repository root. */
export function documentFiles(base: string = root): string[] {
  const docs = existsSync(join(base, 'docs'))
    ? readdirSync(join(base, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .sort()
    : [];
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/** The text of one region of a source file: a `// #region` pair, or a Markdown `<!-- #region -->` pair around a fenced block. */
function regionOf(source: string, path: string, region: string): string {
  const code = new RegExp(`// #region ${region}\\n([\\s\\S]*?)// #endregion ${region}`).exec(source);
  if (code) return code[1]!;
  const markdown = new RegExp(
    `<!-- #region ${region} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n<!-- #endregion ${region} -->`,
  ).exec(source);
  if (markdown) return markdown[1]!;
  throw new Error(`Snippet ${path}#${region}: region not found in ${path}`);
}

/** Returns the Markdown text with every snippet block refreshed from its source region. */
export function syncSnippets(
  readme: string,
  read: (path: string) => string = (p) => readFileSync(join(root, p), 'utf8'),
): string {
  return readme.replace(
    /(<!-- snippet: ([^#\s]+)#([\w-]+) -->\n```(\w*)\n)([\s\S]*?)(```)/g,
    (_all, head: string, path: string, region: string, _lang, _body, fence: string) => {
      return `${head}${regionOf(read(path), path, region)}${fence}`;
    },
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const file of documentFiles()) {
    const path = join(root, file);
    const current = readFileSync(path, 'utf8');
    const synced = syncSnippets(current);
    if (synced === current) continue;
    stale.push(file);
    if (!check) writeFileSync(path, synced);
  }
  if (check && stale.length > 0) {
    console.error(`Snippets out of date in ${stale.join(', ')}: run \`npx tsx scripts/sync-snippets.ts\`.`);
    process.exit(1);
  }
  console.log(
    check
      ? 'Snippets are in sync.'
      : stale.length > 0
        ? `Snippets synced in ${stale.join(', ')}.`
        : 'Snippets were already in sync.',
  );
}
