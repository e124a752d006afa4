/**
 * Encryption at rest, on a real server: with the codec on, a thread pauses and resumes while its history (read raw,
 * without the codec) holds none of its state, interrupt payload or resume value; the `temporal` CLI reads it in clear
 * through the codec server; a `json/plain` resume typed into the `temporal` CLI is accepted; a thread started under
 * key k1 resumes after k2 became the key that encrypts; and a Worker that lacks the key leaves the thread waiting,
 * with an error naming the key, until a Worker that has it carries it on.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import {
  ExternalStorage,
  StorageDriverClaim,
  type Payload,
  type PayloadCodec,
  type StorageDriver,
} from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { z } from 'zod';
import { GraphClient } from '../../src/client.js';
import { encryptionCodec, startCodecServer, type CodecServer, type EncryptionKey } from '../../src/codec/index.js';
import { Command, END, START, StateGraph, interrupt, isDurableGraphError } from '../../src/index.js';
import { createWorker } from '../../src/worker.js';
import { threadId } from '../helpers/env.js';
import { getTestServer } from '../helpers/server.js';
import { eventually, temporalCli } from '../helpers/temporal-cli.js';

const State = z.object({ request: z.string(), answer: z.string().optional(), result: z.string().optional() });
const graph = new StateGraph(State)
  .addNode('review', (s) => ({
    answer: interrupt<string>({ question: `Approve ${s.request}?` }),
  }))
  .addNode('act', (s) => ({ result: `done: ${s.answer}` }))
  .addEdge(START, 'review')
  .addEdge('review', 'act')
  .addEdge('act', END)
  .compile({ name: 'encrypted-approval' });

// A graph called inside a node: its thread is started by the Worker's own client.
const Child = z.object({ request: z.string(), result: z.string().optional() });
const child = new StateGraph(Child)
  .addNode('work', (s) => ({ result: `child saw ${s.request}` }))
  .addEdge(START, 'work')
  .addEdge('work', END)
  .compile({ name: 'encrypted-child' });
const parent = new StateGraph(State)
  .addNode('delegate', async (s) => ({ result: (await child.invoke({ request: s.request })).result as string }))
  .addEdge(START, 'delegate')
  .addEdge('delegate', END)
  .compile({ name: 'encrypted-parent' });

/** External Storage in memory: keeps what the SDK stores, to look at it. */
class MemoryDriver implements StorageDriver {
  readonly name = 'memory';
  readonly type = 'test.memory';
  readonly stored = new Map<string, Payload>();
  async store(_context: unknown, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    return payloads.map((payload) => {
      const id = randomUUID();
      this.stored.set(id, payload);
      return new StorageDriverClaim({ id });
    });
  }
  async retrieve(_context: unknown, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return claims.map((claim) => this.stored.get(claim.claimData.id!)!);
  }
}

const newKey = (id: string): EncryptionKey => ({ id, key: new Uint8Array(randomBytes(32)) });
const k1 = newKey('k1');
const k2 = newKey('k2');
const TOKEN = `token-${randomUUID()}`;

/** Secrets that must never appear in clear in history: the input, the interrupt payload and the resume value. */
function secrets() {
  const tag = randomUUID().slice(0, 8);
  return { request: `SECRET-INPUT-${tag}`, answer: `SECRET-ANSWER-${tag}` };
}

/**
 * Everything in a thread's history, every byte string read as UTF-8 text (not the base64 of JSON, which would hide
 * plaintext from a search): what anyone with access to the server sees.
 */
async function rawHistoryText(raw: Client, thread: string): Promise<string> {
  const history = await raw.workflow.getHandle(thread).fetchHistory();
  const parts: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (value instanceof Uint8Array) parts.push(`${key}=${Buffer.from(value).toString('utf8')}`);
    else if (typeof value === 'string') parts.push(`${key}=${value}`);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k);
  };
  walk(history, '');
  return parts.join('\n');
}

/** The text of `temporal workflow show --output json`, with every payload's base64 `data` decoded. */
function cliPayloadText(stdout: string): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k === 'data' && typeof v === 'string') parts.push(Buffer.from(v, 'base64').toString('utf8'));
        else walk(v);
      }
  };
  walk(JSON.parse(stdout));
  return parts.join('\n');
}

/** The key ids recorded in a thread's history. */
function keyIdsIn(text: string): string[] {
  return [...text.matchAll(/^encryption-key-id=(.+)$/gm)].map((m) => m[1]!);
}

describe('encryption at rest', () => {
  let connection: NativeConnection;
  let raw: Client;
  let address: string;
  let namespace: string;
  let codecServer: CodecServer;
  const taskQueue = `test-${randomUUID()}`;
  const running = new Map<Worker, Promise<void>>();

  before(async () => {
    const server = await getTestServer();
    address = server.address;
    namespace = server.namespace;
    connection = await NativeConnection.connect({ address });
    // A client without any codec: what the server stores, as it stores it.
    raw = new Client({ connection, namespace });
    codecServer = await startCodecServer({ codec: encryptionCodec({ keys: [k2, k1] }), token: TOKEN, port: 0 });
  });
  after(async () => {
    for (const worker of [...running.keys()]) await stop(worker);
    await codecServer.close();
    await connection.close();
  });

  /** Starts a Worker with `codec` on the test's task queue; it runs until {@link stop}. */
  async function startWorker(codec: PayloadCodec, externalStorage?: ExternalStorage): Promise<Worker> {
    const worker = await createWorker({
      graphs: [graph, parent, child],
      connection,
      namespace,
      taskQueue,
      payloadCodec: codec,
      ...(externalStorage ? { workerOptions: { dataConverter: { externalStorage } } } : {}),
    });
    running.set(worker, worker.run());
    return worker;
  }
  async function stop(worker: Worker): Promise<void> {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.get(worker);
    running.delete(worker);
  }
  const clientWith = (codec: PayloadCodec | null) =>
    GraphClient.connect({ address, namespace, taskQueue, payloadCodec: codec });
  /** Runs `fn` with a Worker and a client that both use `codec`; stops them afterwards. */
  async function withWorkerAndClient(
    codec: PayloadCodec,
    fn: (env: { worker: Worker; client: GraphClient }) => Promise<void>,
  ): Promise<void> {
    const worker = await startWorker(codec);
    const client = await clientWith(codec);
    try {
      await fn({ worker, client });
    } finally {
      await client.close();
      await stop(worker);
    }
  }

  it('pauses and resumes a thread whose history holds no plaintext of its state, interrupt payload or resume value', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    await withWorkerAndClient(codec, async ({ client }) => {
      const handle = client.graph(graph);
      const { request, answer } = secrets();
      const config = { configurable: { thread_id: threadId('encrypted') } };
      const paused = await handle.invoke({ request }, config);
      assert.deepEqual(paused.__interrupt__?.[0]?.value, { question: `Approve ${request}?` });
      const state = await handle.getState(config);
      assert.equal(state.values.request, request);
      const done = await handle.invoke(new Command({ resume: answer }), config);
      assert.equal(done.result, `done: ${answer}`);
      const answers: unknown[] = [];
      for await (const snapshot of handle.getStateHistory(config)) answers.push(snapshot.values.answer);
      assert.ok(answers.includes(answer), 'getStateHistory decrypts the history');

      const text = await rawHistoryText(raw, config.configurable.thread_id);
      for (const secret of [request, answer])
        assert.ok(!text.includes(secret), `"${secret}" is in clear in the raw history`);
      assert.ok(keyIdsIn(text).length > 0 && keyIdsIn(text).every((id) => id === 'k1'));
      // The Web UI's Current Details and the memo come back through the codec too.
      const details = await raw.workflowService.queryWorkflow({
        namespace,
        execution: { workflowId: config.configurable.thread_id },
        query: { queryType: '__temporal_workflow_metadata' },
      });
      assert.ok(
        !Buffer.from(details.queryResult?.payloads?.[0]?.data ?? [])
          .toString('utf8')
          .includes(request),
      );
    });
  });

  it('shows the thread in clear to `temporal workflow show` through the codec server, and only with its token', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    await withWorkerAndClient(codec, async ({ client }) => {
      const { request } = secrets();
      const thread = threadId('codec-endpoint');
      await client.graph(graph).invoke({ request }, { configurable: { thread_id: thread } });
      const plain = await temporalCli(['workflow', 'show', '--workflow-id', thread, '--output', 'json']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(!cliPayloadText(plain.stdout).includes(request), 'without the codec endpoint the CLI sees ciphertext');
      const endpoint = ['--codec-endpoint', codecServer.url];
      const decoded = await temporalCli([
        'workflow',
        'show',
        '--workflow-id',
        thread,
        '--output',
        'json',
        ...endpoint,
        '--codec-auth',
        `Bearer ${TOKEN}`,
      ]);
      assert.equal(decoded.code, 0, decoded.stderr);
      assert.ok(
        cliPayloadText(decoded.stdout).includes(request),
        'through the codec server the CLI shows the input in clear',
      );
      // The codec server answers 401; the CLI gives up on the history rather than show undecoded payloads.
      const refused = await temporalCli([
        'workflow',
        'show',
        '--workflow-id',
        thread,
        '--output',
        'json',
        ...endpoint,
        '--codec-auth',
        'Bearer nope',
      ]);
      assert.notEqual(refused.code, 0);
      assert.ok(
        !refused.stdout.includes(request) && !refused.stderr.includes(request),
        'a wrong token decodes nothing',
      );
    });
  });

  it('accepts a json/plain resume Signal sent with the stock temporal CLI', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    await withWorkerAndClient(codec, async ({ client }) => {
      const { request } = secrets();
      const thread = threadId('cli-resume');
      await client.graph(graph).invoke({ request }, { configurable: { thread_id: thread } });
      const sent = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        thread,
        '--name',
        'resume',
        '--input',
        JSON.stringify({ resume: 'typed in the CLI' }),
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      const final = await client.temporal.workflow.getHandle(thread).result();
      assert.match(JSON.stringify(final), /done: typed in the CLI/);
    });
  });

  it('resumes a thread paused under key k1 after k2 became the key that encrypts', async () => {
    const before = encryptionCodec({ keys: [k1] });
    const oldWorker = await startWorker(before);
    const oldClient = await clientWith(before);
    const { request, answer } = secrets();
    const config = { configurable: { thread_id: threadId('rotation') } };
    try {
      await oldClient.graph(graph).invoke({ request }, config);
    } finally {
      await oldClient.close();
      await stop(oldWorker);
    }
    const rotated = encryptionCodec({ keys: [k2, k1] });
    await withWorkerAndClient(rotated, async ({ client }) => {
      const done = await client.graph(graph).invoke(new Command({ resume: answer }), config);
      assert.equal(done.result, `done: ${answer}`);
      const text = await rawHistoryText(raw, config.configurable.thread_id);
      assert.ok(!text.includes(answer));
      const ids = new Set(keyIdsIn(text));
      assert.deepEqual([...ids].sort(), ['k1', 'k2'], 'written under k1 before the rotation and k2 after it');
    });
  });

  it('keeps a thread waiting, with an error naming the key, while its Worker lacks the key; a Worker with it carries on', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    const first = await startWorker(codec);
    const client = await clientWith(codec);
    const { request, answer } = secrets();
    const thread = threadId('missing-key');
    try {
      await client.graph(graph).invoke({ request }, { configurable: { thread_id: thread } });
    } finally {
      await stop(first);
    }
    // A client without keys (nothing set in its environment) is told which key to set.
    const keyless = await GraphClient.connect({ address, namespace, taskQueue });
    try {
      await assert.rejects(keyless.graph(graph).getState({ configurable: { thread_id: thread } }), (error: unknown) => {
        assert.ok(isDurableGraphError(error), String(error));
        assert.equal(error.code, 'ENCRYPTION_KEY');
        assert.match(error.message, /encrypted with key "k1".*Set DURABLE_GRAPH_ENCRYPTION_KEYS="k1:/s);
        return true;
      });
    } finally {
      await keyless.close();
    }
    const wrong = await startWorker(encryptionCodec({ keys: [k2] }));
    try {
      await client.temporal.workflow.getHandle(thread).signal('resume', { resume: answer });
      const failure = await eventually(async () => {
        const history = await raw.workflow.getHandle(thread).fetchHistory();
        return history.events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes
          ?.failure?.message;
      }, 'the workflow task failure of the Worker without the key');
      assert.match(failure ?? '', /encrypted with key "k1", which this process does not have \(its keys: "k2"\)/);
      assert.match(failure ?? '', /DURABLE_GRAPH_ENCRYPTION_KEYS/);
    } finally {
      await stop(wrong);
    }
    await client.close();
    const rotated = await clientWith(encryptionCodec({ keys: [k2, k1] }));
    const right = await startWorker(encryptionCodec({ keys: [k2, k1] }));
    try {
      const final = await rotated.temporal.workflow.getHandle(thread).result();
      assert.match(JSON.stringify(final), new RegExp(`done: ${answer}`));
    } finally {
      await rotated.close();
      await stop(right);
    }
  });
  it("encrypts the thread a node starts with invoke(), through the Worker's own client", async () => {
    const codec = encryptionCodec({ keys: [k1] });
    await withWorkerAndClient(codec, async ({ client }) => {
      const { request } = secrets();
      const done = await client.graph(parent).invoke({ request }, { configurable: { thread_id: threadId('nested') } });
      assert.equal(done.result, `child saw ${request}`);
      const childId = await eventually(async () => {
        for await (const run of raw.workflow.list({
          query: `WorkflowType = '${child.name}' AND TaskQueue = '${taskQueue}'`,
        }))
          return run.workflowId;
        return undefined;
      }, 'the child thread in visibility');
      const text = await rawHistoryText(raw, childId);
      assert.ok(!text.includes(request), 'the child thread holds its input in clear');
      assert.ok(keyIdsIn(text).length > 0);
    });
  });

  it('with External Storage on too, stores only ciphertext there (the codec encodes before the SDK offloads)', async () => {
    const codec = encryptionCodec({ keys: [k1] });
    const driver = new MemoryDriver();
    const externalStorage = new ExternalStorage({ drivers: [driver], payloadSizeThreshold: 0 });
    const worker = await startWorker(codec, externalStorage);
    // The SDK's own client with the same data converter as the Worker (GraphClient takes no External Storage here).
    const starter = new Client({ connection, namespace, dataConverter: { payloadCodecs: [codec], externalStorage } });
    try {
      const { request, answer } = secrets();
      const thread = threadId('ext-storage');
      const handle = await starter.workflow.start(graph.name, {
        workflowId: thread,
        taskQueue,
        args: [{ input: { request } }],
      });
      await eventually(async () => {
        const state = await handle.query<{ status: string }>('getState').catch(() => undefined);
        return state?.status === 'interrupted' ? true : undefined;
      }, 'the thread to pause');
      await handle.signal('resume', { resume: answer });
      assert.match(JSON.stringify(await handle.result()), new RegExp(`done: ${answer}`));
      assert.ok(driver.stored.size > 0, 'nothing went to External Storage');
      for (const payload of driver.stored.values()) {
        assert.equal(Buffer.from(payload.metadata!.encoding!).toString(), 'binary/encrypted');
        const bytes = Buffer.from(payload.data ?? []).toString('utf8');
        assert.ok(!bytes.includes(request) && !bytes.includes(answer), 'plaintext in External Storage');
      }
      const text = await rawHistoryText(raw, thread);
      assert.ok(!text.includes(request) && !text.includes(answer));
    } finally {
      await stop(worker);
    }
  });
});
