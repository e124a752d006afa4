/**
 * Markdown that the Temporal Web UI renders exactly. Its renderer turns straight quotes into curly ones, `--` into a
 * dash and `<word>` into an HTML tag in running text; inside a code span or a fenced block, text is shown as written.
 * So every value we did not write ourselves (ids, JSON, commands, error messages) goes into code. Sandbox-safe.
 */

/** `text` as one inline code span, shown exactly; line breaks become spaces (a span cannot hold them). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  // A span that starts or ends with a backtick needs a space inside the fence; CommonMark strips one space each side.
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .* $/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `text` as a fenced code block (several lines, no wrapping), with a fence longer than any run of backticks in it. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}
