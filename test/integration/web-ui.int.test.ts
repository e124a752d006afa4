/**
 * The Temporal Web UI, as an operator uses it, in a headless Chromium: a paused thread of the approval example shows
 * its node, its question and the command that resumes it (rendered exactly: straight quotes, `<value>` kept), the
 * memo's command can be pasted into a shell as shown, the Signal form offers only `resume`, and sending `resume`
 * through that form completes the thread.
 *
 * It starts its own dev server, with the UI (the suite's shared one is headless). Skipped, saying why, only where no
 * Chromium is installed. `WEB_UI_SCREENSHOT=docs/images/web-ui-pause.png` keeps the screenshot of the pause (as in
 * docs/operations.md); otherwise it goes to the temp folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { chromium, type Frame, type Page } from 'playwright-core';
import { approvalGraph } from '../../examples/approval/graph.js';
import { GraphClient } from '../../src/client.js';
import { startDevServer } from '../../src/dev-server/index.js';
import { createWorker } from '../../src/worker.js';
import { NO_CHROMIUM, findChromium } from '../helpers/chromium.js';
import '../helpers/env.js'; // quiet SDK logs

const chromiumPath = findChromium();
const screenshotPath = resolve(process.env.WEB_UI_SCREENSHOT ?? join(tmpdir(), 'durable-graph-web-ui-pause.png'));

/** The text of the UI's rendered Markdown panel (an iframe) whose text includes `marker`, once it shows. */
async function markdownPanel(page: Page, marker: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const frame of page.frames().filter((f: Frame) => f.url().includes('/render?'))) {
      const text = await frame
        .locator('main')
        .innerText()
        .catch(() => '');
      if (text.includes(marker)) return text;
    }
    if (Date.now() > deadline) throw new Error(`No Markdown panel of the Web UI shows "${marker}" within 60 s`);
    await page.waitForTimeout(250);
  }
}

/** The words a shell makes of a command line (bash: `$'…'` quoting included). */
function shellWords(line: string): string[] {
  const out = execFileSync('bash', ['-c', `for w in ${line}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('the Temporal Web UI on a paused thread', () => {
  it(
    'shows the pause (node, question, exact resume command), lists only resume in its Signal form, and completes the thread with it',
    { skip: chromiumPath === undefined ? NO_CHROMIUM : false },
    async () => {
      const server = await startDevServer({ ui: true, log: () => {} });
      const taskQueue = 'durable-graph';
      const connection = await NativeConnection.connect({ address: server.address });
      const client = await GraphClient.connect({ address: server.address, namespace: server.namespace, taskQueue });
      const browser = await chromium.launch({ executablePath: chromiumPath! });
      try {
        const worker = await createWorker({
          graphs: [approvalGraph],
          connection,
          namespace: server.namespace,
          taskQueue,
        });
        await worker.runUntil(async () => {
          // The server is this test's own: a short, fixed thread id reads well in the screenshot.
          const thread = 'approval-q3';
          const paused = await client
            .graph(approvalGraph)
            .invoke({ request: 'Q3 report' }, { configurable: { thread_id: thread } });
          assert.ok(paused.__interrupt__?.length, 'the thread pauses at human_review');

          const page = await browser.newPage({ viewport: { width: 1280, height: 1180 } });
          page.setDefaultTimeout(60_000);
          await page.goto(`${server.uiUrl}/namespaces/${server.namespace}/workflows/${thread}`);
          await page.getByText(thread, { exact: true }).first().waitFor();

          // User Metadata: the run's summary and details, and Current Details (why it waits, how to resume).
          await page.getByText('User Metadata', { exact: true }).first().click();
          const current = await markdownPanel(page, 'waiting for a human');
          assert.match(current, /Paused at human_review: waiting for a human/);
          assert.ok(current.includes('"question": "Approve this action?"'), current);
          // Shown exactly: straight quotes, and <value> is text, not an HTML tag the renderer swallows.
          assert.ok(current.includes(`--input '{"resume": <value>}'`), current);
          assert.ok(current.includes('{"resume": <value>}\n'), current);
          assert.doesNotMatch(current, /[“”’]/);
          const summary = await markdownPanel(page, 'of graph');
          assert.ok(summary.includes(`Thread ${thread} of graph approval: the input {"request":"Q3 report"}`), summary);
          await page.screenshot({ path: screenshotPath, fullPage: true });

          // The memo's command, copied as the Memo tab shows it (inside a JSON string), still works in a shell.
          await page.getByText('Memo', { exact: true }).first().click();
          const memoText = await page.getByText('resumeCommand').first().locator('xpath=..').innerText();
          const shown = /"resumeCommand": "(.*)"/.exec(memoText)?.[1];
          assert.ok(shown, memoText);
          assert.ok(shown.includes('\\"'), 'the JSON view escapes the quotes');
          assert.deepEqual(shellWords(shown).slice(-2), ['--input', '{"resume": <value>}']);

          // The Signal form offers resume (with its description), and no internal Signal.
          await page.getByRole('button', { name: 'More Actions' }).click();
          await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
          const dialog = page.locator('dialog[open]');
          await dialog.getByTestId('signal-select-button').click();
          // The UI fills the list from the workflow's metadata Query: wait for it.
          await dialog.getByRole('option', { name: /^resume/ }).waitFor();
          const names = (await dialog.getByRole('option').allInnerTexts()).map((t) => t.split('\n')[0]);
          assert.deepEqual(names, ['Custom', 'resume']);
          await dialog.getByRole('option', { name: /^resume/ }).click();
          await dialog.locator('[role=textbox][data-language=json]').fill('{"resume": true}');
          await dialog.getByTestId('confirm-modal-button').click();

          const final = (await client.temporal.workflow.getHandle(thread).result()) as {
            values: { result?: string };
          };
          assert.equal(final.values.result, 'EXECUTED: send email about Q3 report');
          await page.reload();
          await page.getByText('Completed', { exact: true }).first().waitFor();
          await page.close();
        });
      } finally {
        await browser.close();
        await client.close();
        await connection.close();
        await server.stop();
      }
    },
  );
});
