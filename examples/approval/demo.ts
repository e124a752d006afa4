/**
 * `npm run demo`: the whole loop on one machine. Starts a Temporal dev server (state kept in
 * `.data/`) and a worker, runs the approval graph until it pauses, shows the pause as an operator
 * sees it, asks you (or auto-approves without a TTY), resumes, and prints the final state.
 * With TEMPORAL_ADDRESS set, it uses that server instead of starting one.
 */
import { createInterface } from 'node:readline/promises';
import { createServer } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'durable-graph';
import { GraphClient } from 'durable-graph/client';
import { startDevServer, type DevServer } from 'durable-graph/dev-server';
import { createWorker } from 'durable-graph/worker';
import { approvalGraph } from './graph.js';

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  let uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  if (!address) {
    const [port, uiPort] = [(await isFree(7233)) ? 7233 : undefined, (await isFree(8233)) ? 8233 : undefined];
    server = await startDevServer({ dbFilename: '.data/temporal.db', ui: true, port, uiPort });
    address = server.address;
    uiUrl = server.uiUrl!;
  }
  // Show the CLI by the name an operator would type, or by its path when it is only in the project's .tools/.
  const temporal = server && !(await onPath('temporal')) ? server.cliPath : 'temporal';
  const worker = await createWorker({ graphs: [approvalGraph], address });
  const client = await GraphClient.connect({ address });
  try {
    await worker.runUntil(async () => {
      const threadId = `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const config = { configurable: { thread_id: threadId } };
      const graph = client.graph(approvalGraph);

      console.log(`\n▶ invoke({ request: "Q3 report" }) on thread ${threadId}`);
      const paused = await graph.invoke({ request: 'Q3 report' }, config);
      const pending = paused.__interrupt__?.[0];
      if (!pending) throw new Error('expected the graph to pause at human_review');
      console.log('\n⏸  Paused at node "human_review". Interrupt payload:');
      console.log(indent(JSON.stringify(pending, null, 2)));
      const { runId } = await client.temporal.workflow.getHandle(threadId).describe();
      console.log(`\n   Web UI (Current Details, under User Metadata):`);
      console.log(`   ${uiUrl}/namespaces/default/workflows/${threadId}/${runId}/user-metadata`);
      console.log('   Resume from any shell with the plain Temporal CLI:');
      console.log(
        `   ${temporal} workflow signal --address ${address} --workflow-id ${threadId} --name resume --input '{"resume": true}'`,
      );

      const approved = await askHuman(String((pending.value as { question?: string }).question ?? 'Approve?'));
      console.log(`\n▶ invoke(new Command({ resume: ${approved} }))`);
      const done = await graph.invoke(new Command({ resume: approved }), config);
      console.log('\n✔ Final state:');
      console.log(indent(JSON.stringify(done, null, 2)));
      console.log(`\n${done.result}`);
    });
  } finally {
    await client.close();
    await server?.stop();
  }
}

/** Asks on a TTY; without one (CI, pipes) it approves, and says so. */
async function askHuman(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    console.log(`\n${question} (no TTY: auto-approving)`);
    return true;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`\n${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function onPath(command: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  const { delimiter, join } = await import('node:path');
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (
      await access(join(dir, command)).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

const indent = (text: string) => text.replace(/^/gm, '   ');

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
