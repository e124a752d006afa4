/**
 * Only the parts of details.ts that need no Workflow context: importing @temporalio/workflow outside a
 * Workflow is fine as long as none of its functions are called (renderDetails and resumeCommand call workflowInfo()).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';
import { detailsMarkdown, renderDetails } from '../../../src/workflows/details.js';
import type { StatusView } from '../../../src/workflows/snapshot.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

const view = (over: Partial<StatusView>): StatusView => ({
  level: 1,
  threadId: 'email-7',
  graph: 'tool-approval',
  status: 'interrupted',
  step: 3,
  pending: [],
  rejected: [],
  ...over,
});

const review = toResponseSchema(
  z.discriminatedUnion('action', [
    z.object({ action: z.literal('approve') }),
    z.object({ action: z.literal('edit'), args: z.object({ to: z.string() }) }),
  ]),
);

/** The Markdown outside code spans and blocks: what the Web UI's renderer may change (quotes, dashes, tags). */
function prose(markdown: string): string {
  return markdown.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '').replace(/(`+)[^`]*?\1/g, '');
}

describe('renderDetails without pending interrupts', () => {
  it('shows the status, thread, graph and step', () => {
    const text = renderDetails(view({ threadId: 'order-42', graph: 'approval', status: 'completed', step: 3 }));
    assert.equal(text, '### Completed (reached END)\n\n**Thread** `order-42` · **Graph** `approval` · **Step** 3');
  });

  it('lists only the last three rejected resumes, each reason as code so the UI shows it exactly', () => {
    const rejected = [1, 2, 3, 4].map((n) => ({
      at: `t${n}`,
      via: 'signal' as const,
      reason: `field "args" <${n}> -- missing`,
    }));
    const text = renderDetails(view({ status: 'running', step: 0, rejected }));
    assert.match(
      text,
      /\*\*Rejected resumes\*\* \(nothing was applied\):\n\n- `t2` via signal: `field "args" <2> -- missing`\n- `t3` via signal: `field "args" <3> -- missing`\n- `t4` via signal: `field "args" <4> -- missing`$/,
    );
    assert.doesNotMatch(text, /<1>/);
  });
});

describe('detailsMarkdown while paused', () => {
  it('shows the schema in one line and resume commands with an example built from it', () => {
    const text = detailsMarkdown(
      view({ pending: [{ id: A, node: 'tools', value: { question: 'Send?' }, response_schema: review }] }),
      'default',
    );
    assert.match(text, /^### Paused at `tools`: waiting for a human\n/);
    assert.match(text, /Expects `\{ action: "approve" \} \| \{ action: "edit", args: \{ to: string \} \}`/);
    assert.match(text, /the value is an example built from the response schema: edit it/);
    assert.match(
      text,
      /```sh\ntemporal workflow signal \\\n {2}--workflow-id email-7 --name resume \\\n {2}--input '\{"resume": \{"action": "approve"\}\}'\n```/,
    );
    assert.match(text, /Signal name `resume`, input:\n\n```json\n\{"resume": \{"action": "approve"\}\}\n```$/);
  });

  it('shows the placeholder <value>, never true, when an interrupt has no schema', () => {
    const text = detailsMarkdown(view({ pending: [{ id: A, node: 'review', value: 'ok?' }] }), 'prod');
    assert.match(text, /replace `<value>` with the answer as JSON/);
    assert.match(
      text,
      /signal --namespace prod \\\n {2}--workflow-id email-7 --name resume \\\n {2}--input '\{"resume": <value>\}'/,
    );
    assert.doesNotMatch(text, /true/);
  });

  it('answers several interrupts by id, mixing examples and placeholders', () => {
    const text = detailsMarkdown(
      view({
        pending: [
          { id: A, node: 'tools', value: 1, response_schema: review },
          { id: B, node: 'review', value: 2 },
        ],
      }),
      'default',
    );
    assert.match(text, /answer each by its id/);
    assert.match(text, new RegExp(`\\{"resume": \\{"${A}": \\{"action": "approve"\\}, "${B}": <value>\\}\\}`));
  });

  it('keeps every quote, angle bracket and double dash inside code, where the Web UI shows them as written', () => {
    const texts = [
      detailsMarkdown(
        view({
          pending: [
            {
              id: A,
              node: 'tools',
              value: { q: '"x" <b>' },
              response_schema: review,
              expiresAt: '2026-01-01T00:00:00Z',
            },
            { node: 'guard', value: 'held' },
          ],
          rejected: [{ at: 't', via: 'update', reason: 'field "x" <y>' }],
        }),
        'default',
      ),
      detailsMarkdown(view({ pending: [{ node: 'guard', value: 'held' }] }), 'default'),
      detailsMarkdown(view({ breakpoint: { at: 'before', nodes: ['a'] } }), 'default'),
    ];
    for (const text of texts) assert.doesNotMatch(prose(text), /["'<>]|--/, prose(text));
  });
});

describe('detailsMarkdown for a thread parked on a failed node', () => {
  it('says what failed with which answer, what is expected, and both ways on as copyable commands', () => {
    const text = detailsMarkdown(
      view({
        level: 2,
        status: 'error',
        pending: [
          {
            id: A,
            node: 'review',
            value: { call: 'send_email' },
            response_schema: review,
            answered: { value: { action: 'edit' } },
          },
        ],
        failures: [
          {
            taskId: 't-1',
            node: 'review',
            error: { name: 'Error', message: 'an edit needs "args"' },
            interrupt: { id: A, answer: { action: 'edit' } },
          },
        ],
      }),
      'default',
    );
    assert.match(text, /^### Parked: `review` failed after its retries/);
    assert.match(text, /```text\nan edit needs "args"\n```/);
    assert.match(text, new RegExp(`answer to interrupt \`${A}\`:\n\n\`\`\`json\n\\{\n {2}"action": "edit"\n\\}`));
    assert.match(text, /Expects `[^`]*action[^`]*`/);
    assert.match(text, /temporal workflow signal --workflow-id email-7 --name resume --input \$?'\{\}'/);
    assert.match(text, /\*\*Or answer again\*\*/);
    assert.doesNotMatch(prose(text), /"|<value>/);
  });
});
