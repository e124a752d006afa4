/**
 * The Temporal Web UI on an encrypted thread, in a headless Chromium: pointed at a codec server (as `durable-graph dev
 * --ui-codec-endpoint` does), it shows the paused node's question in clear, the browser passing the codec server's
 * CORS check from the Web UI's origin. Skipped, saying why, only where no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { chromium, type Frame, type Page } from 'playwright-core';
import { approvalGraph } from '../../examples/approval/graph.js';
import { encryptionCodec, startCodecServer } from '../../src/codec/index.js';
import { GraphClient } from '../../src/client.js';
import { startDevServer } from '../../src/dev-server/index.js';
import { findFreePort } from '../../src/dev-server/free-port.js';
import { createWorker } from '../../src/worker.js';
import { NO_CHROMIUM, findChromium } from '../helpers/chromium.js';
import '../helpers/env.js'; // quiet SDK logs

const chromiumPath = findChromium();

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

describe('the Web UI on an encrypted thread', () => {
  it(
    'shows the paused question in clear through the codec server, called from the Web UI origin, and refuses another origin',
    { skip: chromiumPath === undefined ? NO_CHROMIUM : false },
    async () => {
      const codec = encryptionCodec({ keys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }] });
      const uiPort = await findFreePort('127.0.0.1');
      const origin = `http://127.0.0.1:${uiPort}`;
      let decodes = 0;
      // The Web UI sends no token of ours (only its own login's access token): the local setup runs without one.
      const codecServer = await startCodecServer({
        codec: { encode: (p) => codec.encode(p), decode: (p) => (decodes++, codec.decode(p)) },
        auth: false,
        allowedOrigins: [origin],
        port: 0,
      });
      const server = await startDevServer({
        ui: true,
        uiPort,
        log: () => {},
        extraArgs: ['--ui-codec-endpoint', codecServer.url],
      });
      const taskQueue = `test-${randomUUID()}`;
      const connection = await NativeConnection.connect({ address: server.address });
      const client = await GraphClient.connect({
        address: server.address,
        namespace: server.namespace,
        taskQueue,
        payloadCodec: codec,
      });
      const browser = await chromium.launch({ executablePath: chromiumPath! });
      try {
        const worker = await createWorker({
          graphs: [approvalGraph],
          connection,
          namespace: server.namespace,
          taskQueue,
          payloadCodec: codec,
        });
        await worker.runUntil(async () => {
          const thread = 'encrypted-q3';
          await client.graph(approvalGraph).invoke({ request: 'Q3 secret' }, { configurable: { thread_id: thread } });
          const page = await browser.newPage();
          page.setDefaultTimeout(60_000);
          await page.goto(`${origin}/namespaces/${server.namespace}/workflows/${thread}`);
          await page.getByText(thread, { exact: true }).first().waitFor();
          await page.getByText('User Metadata', { exact: true }).first().click();
          const current = await markdownPanel(page, 'waiting for a human');
          assert.ok(current.includes('send email about Q3 secret'), current);
          assert.ok(decodes > 0, 'the Web UI called the codec server');
          await page.close();

          // The same Web UI under another origin (localhost, not 127.0.0.1): the browser's preflight is refused, so
          // a page there cannot have payloads decoded.
          const stranger = await browser.newPage();
          await stranger.goto(`http://localhost:${uiPort}/`);
          const seen = decodes;
          const outcome = await stranger.evaluate(async (url) => {
            try {
              const response = await fetch(`${url}/decode`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' },
                body: JSON.stringify({ payloads: [] }),
              });
              return `answered ${response.status}`;
            } catch (error) {
              return String(error);
            }
          }, codecServer.url);
          assert.match(outcome, /TypeError: Failed to fetch/);
          assert.equal(decodes, seen, 'nothing was decoded for the other origin');
          await stranger.close();
        });
      } finally {
        await browser.close();
        await client.close();
        await connection.close();
        await server.stop();
        await codecServer.close();
      }
    },
  );
});
