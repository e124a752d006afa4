/**
 * `npm run bench:storage`: history bytes per node of a chat thread with and without External Storage. Each agent
 * turn appends one message of a given size; every node's Activity input carries the whole state, so without storage
 * history grows with the square of the turns, and with it each large payload is a claim of about 200 bytes. Starts its
 * own dev server (or uses TEMPORAL_ADDRESS), a local-folder driver in a temp folder, and writes
 * bench/results/storage.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { NativeConnection } from '@temporalio/worker';
import { GraphClient } from '../src/client.js';
import { END, MessagesZodState, START, StateGraph } from '../src/index.js';
import { startDevServer } from '../src/dev-server/index.js';
import { createWorker } from '../src/worker.js';
import type { StorageSetting } from '../src/storage.js';

interface Case {
  turns: number;
  messageBytes: number;
  storage: boolean;
}

const KiB = 1024;
const cases: Case[] = [
  { turns: 10, messageBytes: 10 * KiB, storage: false },
  { turns: 10, messageBytes: 10 * KiB, storage: true },
  { turns: 10, messageBytes: 100 * KiB, storage: false },
  { turns: 10, messageBytes: 100 * KiB, storage: true },
  { turns: 20, messageBytes: 1024 * KiB, storage: true },
];

function chatGraph(turns: number, messageBytes: number) {
  return new StateGraph(MessagesZodState)
    .addNode('agent', (s) => {
      const turn = s.messages.filter((m) => m instanceof AIMessage).length;
      return { messages: [new AIMessage(String.fromCharCode(97 + (turn % 26)).repeat(messageBytes))] };
    })
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', (s) => (s.messages.length <= turns ? 'agent' : END), ['agent', END])
    .compile({ name: `bench-storage-${turns}x${messageBytes}` });
}

async function measure(address: string, namespace: string, c: Case, folder: string) {
  const graph = chatGraph(c.turns, c.messageBytes);
  const taskQueue = `bench-storage-${randomUUID()}`;
  const storage: StorageSetting = c.storage ? `file://${folder}` : false;
  const connection = await NativeConnection.connect({ address });
  const client = await GraphClient.connect({ address, namespace, taskQueue, storage });
  try {
    const worker = await createWorker({ graphs: [graph], connection, namespace, taskQueue, storage });
    const thread = `bench-storage-${randomUUID()}`;
    const started = Date.now();
    await worker.runUntil(() =>
      client.graph(graph).invoke({ messages: [new HumanMessage('go')] }, { configurable: { thread_id: thread } }),
    );
    const seconds = (Date.now() - started) / 1000;
    const info = await client.temporal.workflow.getHandle(thread).describe();
    const historyBytes = Number(info.historySize);
    return { ...c, seconds, events: info.historyLength, historyBytes, perNode: historyBytes / c.turns };
  } finally {
    await client.close();
    await connection.close();
  }
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

async function main() {
  const server = process.env.TEMPORAL_ADDRESS
    ? { address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE || 'default' }
    : await startDevServer({ ui: false });
  const folder = await mkdtemp(join(tmpdir(), 'durable-graph-bench-storage-'));
  const rows: string[] = [];
  try {
    for (const c of cases) {
      const r = await measure(server.address, server.namespace, c, folder);
      const line = `| ${r.turns} × ${size(r.messageBytes)} | ${size(r.turns * r.messageBytes)} | ${r.storage ? 'local folder' : 'none'} | ${r.events} | ${size(r.historyBytes)} | ${size(r.perNode)} | ${r.seconds.toFixed(1)} s |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const report = [
    '# History bytes per node, with and without External Storage (`npm run bench:storage`)',
    '',
    `Commit ${commit}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ` +
      `Temporal dev server (in memory), threshold 256 KiB, local-folder driver. A chat thread whose agent node runs ` +
      `once per turn and appends one message; history size is the server's own (\`describe().historySize\`).`,
    '',
    '| turns × message | final state | storage | events | history | history per node | wall time |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await writeFile(new URL('./results/storage.md', import.meta.url), report);
  console.log(report);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
