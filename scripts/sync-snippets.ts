/**
 * Keeps README code blocks identical to the tested example files. A block preceded by
 * `<!-- snippet: examples/approval/graph.ts#define -->` is replaced by the lines between
 * `// #region define` and `// #endregion define` of that file.
 * `tsx scripts/sync-snippets.ts` rewrites README.md; `--check` exits 1 if it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Returns the README text with every snippet block refreshed from its source region. */
export function syncSnippets(readme: string, read: (path: string) => string = (p) => readFileSync(join(root, p), 'utf8')): string {
  return readme.replace(/(<!-- snippet: ([^#\s]+)#([\w-]+) -->\n```(\w*)\n)([\s\S]*?)(```)/g, (_all, head: string, path: string, region: string, _lang, _body, fence: string) => {
    const source = read(path);
    const match = new RegExp(`// #region ${region}\\n([\\s\\S]*?)// #endregion ${region}`).exec(source);
    if (!match) throw new Error(`README snippet ${path}#${region}: region not found in ${path}`);
    return `${head}${match[1]}${fence}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = join(root, 'README.md');
  const current = readFileSync(path, 'utf8');
  const synced = syncSnippets(current);
  if (process.argv.includes('--check')) {
    if (synced !== current) {
      console.error('README.md snippets are out of date: run `npx tsx scripts/sync-snippets.ts`.');
      process.exit(1);
    }
    console.log('README.md snippets are in sync.');
  } else {
    writeFileSync(path, synced);
    console.log('README.md snippets synced.');
  }
}
