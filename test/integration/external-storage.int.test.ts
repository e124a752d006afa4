/**
 * States of any size: with External Storage (the SDK's claim check, durable-graph/storage drivers) a chat thread
 * whose state grows to 20 MB runs, pauses on interrupt(), resumes, and shows in getState and getStateHistory, while
 * its history holds claims of a few hundred bytes instead of the values. Once with the local-folder driver, once with
 * the S3 driver on a real MinIO. A value too large even for storage, and storage that cannot be reached, are refused
 * with typed errors before anything starts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import proto from '@temporalio/proto';
import {
  Command,
  END,
  interrupt,
  MessagesZodState,
  PayloadTooLargeError,
  START,
  StateGraph,
  StorageUnavailableError,
} from '../../src/index.js';
import { DEFAULT_STORAGE_THRESHOLD, MAX_STORED_VALUE_BYTES, type StorageSetting } from '../../src/storage.js';
import { durableGraph } from '../helpers/durable-graph-cli.js';
import { eventually } from '../helpers/temporal-cli.js';
import { threadId, withGraphs } from '../helpers/env.js';
import { startMinio, type MinioServer } from '../helpers/minio.js';
import { isClaim, payloadBytes, payloadsIn, rawHistoryEvents } from '../helpers/raw-history.js';

const MiB = 1024 * 1024;
/** Each agent turn adds a 4 MiB message: five turns make a 20 MiB conversation. */
const TURN_BYTES = 4 * MiB;
const STATE_BYTES = 20 * MiB;

const contentBytes = (messages: BaseMessage[]) =>
  messages.reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);

const chatGraph = new StateGraph(MessagesZodState)
  .addNode('agent', (s) => {
    const turn = s.messages.filter((m) => m instanceof AIMessage).length;
    // A different letter each turn: large, and not the same bytes as any other value.
    return { messages: [new AIMessage(String.fromCharCode(97 + turn).repeat(TURN_BYTES))] };
  })
  .addNode('review', (s) => {
    const answer = interrupt({ question: 'Send the transcript?', bytes: contentBytes(s.messages) });
    return { messages: [new HumanMessage(`review: ${String(answer)}`)] };
  })
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', (s) => (contentBytes(s.messages) < STATE_BYTES ? 'agent' : 'review'), [
    'agent',
    'review',
  ])
  .addEdge('review', END)
  .compile({ name: 'storage-chat' });

/** One large answer, then a pause: a thread whose state is in storage, for the CLI. */
const noteGraph = new StateGraph(MessagesZodState)
  .addNode('write', () => ({ messages: [new AIMessage('n'.repeat(MiB))] }))
  .addNode('confirm', () => ({ messages: [new HumanMessage(`confirm: ${String(interrupt('Keep the note?'))}`)] }))
  .addEdge(START, 'write')
  .addEdge('write', 'confirm')
  .addEdge('confirm', END)
  .compile({ name: 'storage-note' });

/** A graph a node calls with invoke(): its 2 MiB start input and 4 MiB state go through the Worker's client. */
const childGraph = new StateGraph(MessagesZodState)
  .addNode('echo', (s) => ({ messages: [new AIMessage(String(s.messages[0]!.content).repeat(2))] }))
  .addEdge(START, 'echo')
  .addEdge('echo', END)
  .compile({ name: 'storage-child' });

const parentGraph = new StateGraph(MessagesZodState)
  .addNode('delegate', async () => {
    const out = await childGraph.invoke({ messages: [new HumanMessage('c'.repeat(2 * MiB))] });
    return { messages: [new AIMessage(`child wrote ${String(out.messages.at(-1)!.content).length} characters`)] };
  })
  .addEdge(START, 'delegate')
  .addEdge('delegate', END)
  .compile({ name: 'storage-parent' });

/** Runs the 20 MB chat with `storage` and checks what the caller, getState, getStateHistory and history show. */
async function chatReaches20MB(storage: StorageSetting): Promise<void> {
  await withGraphs(
    [chatGraph],
    async ({ client }) => {
      const thread = threadId('storage-chat');
      const config = { configurable: { thread_id: thread } };
      const chat = client.graph(chatGraph);

      const paused = await chat.invoke({ messages: [new HumanMessage('summarise the logs')] }, config);
      assert.deepEqual(
        paused.__interrupt__?.map((i) => i.value),
        [{ question: 'Send the transcript?', bytes: STATE_BYTES + 'summarise the logs'.length }],
      );
      assert.equal(paused.messages.length, 6);
      assert.equal(contentBytes(paused.messages), STATE_BYTES + 'summarise the logs'.length);

      const whilePaused = await chat.getState(config);
      assert.deepEqual(whilePaused.next, ['review']);
      assert.equal(contentBytes(whilePaused.values.messages), contentBytes(paused.messages));

      const done = await chat.invoke(new Command({ resume: 'yes' }), config);
      assert.equal(done.__interrupt__, undefined);
      assert.equal(done.messages.at(-1)?.content, 'review: yes');
      assert.ok(done.messages.at(-2) instanceof AIMessage, 'messages come back as message objects');
      assert.equal((done.messages.at(-2)!.content as string).slice(0, 3), 'eee');

      const state = await chat.getState(config);
      assert.equal(state.values.messages.length, 7);
      assert.deepEqual(state.next, []);

      const history: number[] = [];
      for await (const snapshot of chat.getStateHistory(config)) history.push(snapshot.values.messages?.length ?? 0);
      assert.equal(history[0], 7, 'the newest snapshot is the final state');
      assert.ok(history.includes(6), `a snapshot at the pause (6 messages): ${history.join(', ')}`);

      // History holds claims, not the values: no payload near the threshold, several claims, a small total.
      const events = await rawHistoryEvents(client.temporal, thread);
      const payloads = payloadsIn(events);
      const largest = Math.max(...payloads.map(payloadBytes));
      assert.ok(largest < DEFAULT_STORAGE_THRESHOLD, `largest payload in history: ${largest} bytes`);
      assert.ok(payloads.filter(isClaim).length >= 10, `claims in history: ${payloads.filter(isClaim).length}`);
      const total = events.reduce<number>(
        (sum, e) =>
          sum +
          proto.temporal.api.history.v1.HistoryEvent.encode(e as proto.temporal.api.history.v1.IHistoryEvent).finish()
            .length,
        0,
      );
      assert.ok(total < MiB, `history is ${total} bytes for a 20 MiB state`);
    },
    { storage },
  );
}

describe('External Storage: a thread whose state grows past Temporal limits', () => {
  let folder: string;
  let minio: MinioServer;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'durable-graph-storage-'));
    minio = await startMinio();
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
    await minio?.stop();
  });

  it('runs, pauses, resumes and shows a 20 MB chat with the local-folder driver, history holding only claims', async () => {
    await chatReaches20MB(`file://${folder}`);
    const shards = await readdir(folder);
    assert.ok(shards.length > 0, 'values were written to the folder');
  });

  it('runs, pauses, resumes and shows a 20 MB chat with the S3 driver on MinIO, history holding only claims', async () => {
    process.env.AWS_ACCESS_KEY_ID = minio.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = minio.credentials.secretAccessKey;
    await chatReaches20MB(minio.url('threads/'));
  });

  it('the CLI reads a thread kept in storage with DURABLE_GRAPH_STORAGE, and says to set it when it is missing', async () => {
    const url = `file://${folder}`;
    await withGraphs(
      [noteGraph],
      async (env) => {
        const thread = threadId('storage-cli');
        await env.client
          .graph(noteGraph)
          .invoke({ messages: [new HumanMessage('write')] }, { configurable: { thread_id: thread } });
        const saved = process.env.DURABLE_GRAPH_STORAGE;
        try {
          process.env.DURABLE_GRAPH_STORAGE = url;
          const shown = await durableGraph(env, ['show', thread, '--json']);
          assert.equal(shown.code, 0, shown.stderr);
          const view = JSON.parse(shown.stdout) as {
            values: { messages: Array<{ content?: string; kwargs?: { content?: string } }> };
          };
          assert.equal(JSON.stringify(view.values).length > MiB, true, 'the 1 MiB message is shown');
          const audit = await durableGraph(env, ['audit', thread]);
          assert.equal(audit.code, 0, audit.stderr);

          delete process.env.DURABLE_GRAPH_STORAGE;
          // show falls back to what the thread published, and says why it has no values.
          const unshown = await durableGraph(env, ['show', thread]);
          assert.equal(unshown.code, 0, unshown.stderr);
          assert.match(unshown.stdout, /keeps values in External Storage, and this client has none configured/);
          const without = await durableGraph(env, ['audit', thread]);
          assert.equal(without.code, 1);
          assert.match(
            without.stderr,
            /holds values kept in External Storage, and this client has none configured.*DURABLE_GRAPH_STORAGE/s,
          );
        } finally {
          if (saved === undefined) delete process.env.DURABLE_GRAPH_STORAGE;
          else process.env.DURABLE_GRAPH_STORAGE = saved;
        }
      },
      { storage: url },
    );
  });

  it("a node calling a graph with invoke() sends and gets large values through the Worker's storage", async () => {
    await withGraphs(
      [parentGraph, childGraph],
      async ({ client }) => {
        const config = { configurable: { thread_id: threadId('storage-parent') } };
        const done = await client.graph(parentGraph).invoke({ messages: [new HumanMessage('go')] }, config);
        assert.equal(done.messages.at(-1)?.content, `child wrote ${4 * MiB} characters`);
      },
      { storage: `file://${folder}` },
    );
  });

  it('keeps a thread whose worker cannot reach S3 for a while: the resume waits, then completes once S3 is back', async () => {
    process.env.AWS_ACCESS_KEY_ID = minio.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = minio.credentials.secretAccessKey;
    await withGraphs(
      [noteGraph],
      async ({ client }) => {
        const thread = threadId('storage-outage');
        const note = client.graph(noteGraph);
        const paused = await note.invoke(
          { messages: [new HumanMessage('write')] },
          { configurable: { thread_id: thread } },
        );
        assert.equal(paused.__interrupt__?.length, 1);

        await minio.pause();
        try {
          // The next node's input (the 1 MiB state) cannot be stored: the workflow task fails and is retried.
          const handle = client.temporal.workflow.getHandle(thread);
          await handle.signal('resume', { resume: 'yes' });
          await eventually(
            async () => {
              const { events } = await handle.fetchHistory();
              return events?.some((e) => e.workflowTaskFailedEventAttributes) ? true : undefined;
            },
            'a workflow task that failed while storage was down',
            30_000,
          );
        } finally {
          await minio.resume();
        }
        await client.temporal.workflow.getHandle(thread).result();
        const state = await note.getState({ configurable: { thread_id: thread } });
        assert.equal(state.values.messages.at(-1)?.content, 'confirm: yes', 'the thread finished with the answer');
        assert.equal(state.values.messages.length, 3);
      },
      { storage: minio.url('outage/') },
    );
  });

  it('stores ciphertext when encryption is on too: no stored file holds the value in clear', async () => {
    const encrypted = await mkdtemp(join(tmpdir(), 'durable-graph-storage-encrypted-'));
    const saved = process.env.DURABLE_GRAPH_ENCRYPTION_KEYS;
    process.env.DURABLE_GRAPH_ENCRYPTION_KEYS = `k1:${randomBytes(32).toString('base64')}`;
    try {
      await withGraphs(
        [noteGraph],
        async ({ client }) => {
          const config = { configurable: { thread_id: threadId('storage-encrypted') } };
          const paused = await client.graph(noteGraph).invoke({ messages: [new HumanMessage('write')] }, config);
          assert.equal(String(paused.messages[1]!.content).length, MiB, 'the client reads the value back');
        },
        { storage: `file://${encrypted}` },
      );
      const files = (await readdir(encrypted, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
      assert.ok(files.length > 0, 'values were stored');
      for (const file of files) {
        const bytes = await readFile(join(file.parentPath, file.name));
        assert.equal(bytes.includes('nnnnnnnnnnnnnnnn'), false, `${file.name} holds the value in clear`);
      }
    } finally {
      if (saved === undefined) delete process.env.DURABLE_GRAPH_ENCRYPTION_KEYS;
      else process.env.DURABLE_GRAPH_ENCRYPTION_KEYS = saved;
      await rm(encrypted, { recursive: true, force: true });
    }
  });

  it('refuses an input larger than storage takes, with PayloadTooLargeError and nothing started', async () => {
    await withGraphs(
      [chatGraph],
      async ({ client }) => {
        const thread = threadId('storage-too-large');
        const huge = 'x'.repeat(MAX_STORED_VALUE_BYTES + 1);
        await assert.rejects(
          client
            .graph(chatGraph)
            .invoke({ messages: [new HumanMessage(huge)] }, { configurable: { thread_id: thread } }),
          (error: unknown) => {
            assert.ok(error instanceof PayloadTooLargeError, String(error));
            assert.equal(error.limit, MAX_STORED_VALUE_BYTES);
            assert.match(
              error.message,
              /over the 64\.00 MiB a value sent to or from a thread may have with External Storage: nothing was sent/,
            );
            return true;
          },
        );
        await assert.rejects(client.temporal.workflow.getHandle(thread).describe(), /not found/i);
      },
      { storage: `file://${folder}` },
    );
  });

  it('refuses a large input when the S3 server cannot be reached, with StorageUnavailableError and nothing started', async () => {
    const closed = 'http://127.0.0.1:9';
    await withGraphs(
      [chatGraph],
      async ({ client }) => {
        const thread = threadId('storage-unreachable');
        await assert.rejects(
          client
            .graph(chatGraph)
            .invoke({ messages: [new HumanMessage('y'.repeat(MiB))] }, { configurable: { thread_id: thread } }),
          (error: unknown) => {
            assert.ok(error instanceof StorageUnavailableError, String(error));
            assert.equal(error.code, 'STORAGE_UNAVAILABLE');
            assert.match(
              error.message,
              /Could not write a value of \d+ bytes to s3:\/\/threads\/x\/ at http:\/\/127\.0\.0\.1:9/,
            );
            return true;
          },
        );
        await assert.rejects(client.temporal.workflow.getHandle(thread).describe(), /not found/i);
      },
      { storage: `s3://threads/x?endpoint=${encodeURIComponent(closed)}` },
    );
  });
});
