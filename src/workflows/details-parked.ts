/**
 * The Web UI's "Current Details" for a thread parked on failed nodes: what failed, with which answer, and the two
 * ways on (run it again, or answer its interrupt again).
 * Determinism: pure text from the status view.
 */
import { codeSpan } from '../protocol/markdown.js';
import { summarizeSchema } from '../protocol/schema-summary.js';
import type { PendingView, StatusView } from './snapshot.js';

/**
 * Markdown for a parked thread; `signalCommand(pending)` is the `temporal workflow signal` command answering those
 * interrupts (none: `{}`, which runs the failed nodes again).
 */
export function renderParked(view: StatusView, signalCommand: (answering: readonly PendingView[]) => string): string {
  const failures = view.failures ?? [];
  const nodes = [...new Set(failures.map((f) => `\`${f.node}\``))].join(', ');
  const lines = [
    `### Parked: ${nodes} failed after its retries`,
    '',
    `**Thread** \`${view.threadId}\` · **Graph** \`${view.graph}\` · **Step** ${view.step}`,
    '',
  ];
  for (const f of failures) {
    lines.push(`Node \`${f.node}\` failed with \`${f.error.name}\`:`, '', '```text', clip(f.error.message), '```', '');
    if (f.interrupt)
      lines.push(
        `It ran with this answer to interrupt \`${f.interrupt.id}\`:`,
        '',
        '```json',
        clip(JSON.stringify(f.interrupt.answer, null, 2) ?? 'undefined'),
        '```',
        '',
      );
    const schema = f.interrupt && view.pending.find((p) => p.id === f.interrupt!.id)?.response_schema;
    if (schema) lines.push(`Expects ${codeSpan(summarizeSchema(schema))}`, '');
  }
  lines.push(
    'Nothing is lost: the thread stays open. **Run the node again** once the cause is fixed:',
    '',
    '```sh',
    signalCommand([]),
    '```',
  );
  const again = failures.filter((f) => f.interrupt);
  if (again.length)
    lines.push(
      '',
      '**Or answer again** (the node runs with the new answer; edit the value):',
      '',
      '```sh',
      signalCommand(view.pending.filter((p) => p.answered)),
      '```',
    );
  return lines.join('\n');
}

function clip(text: string): string {
  return text.length > 4000 ? `${text.slice(0, 4000)}\n… (truncated)` : text;
}
