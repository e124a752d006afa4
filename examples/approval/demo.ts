/**
 * `npm run demo`: the whole loop on one machine. Starts a Temporal dev server (state kept in
 * `.data/`) and a worker, runs the approval graph until it pauses, shows the pause as an operator
 * sees it, asks you, resumes, and prints the final state. With TEMPORAL_ADDRESS set, it uses that
 * server instead of starting one.
 *
 * While it asks, the thread can be answered from anywhere else too (the printed `temporal workflow
 * signal` command, the Web UI, another client): the demo watches the thread and ends with its final
 * state when that happens. On a terminal it asks y/N; without one it reads a line from stdin, and
 * approves by itself when stdin ends with no line (`npm run demo < /dev/null`).
 *
 * Options (after `npm run demo --`): `--keep` keeps the dev server it started, and so the Web UI
 * links it printed, running after the thread ends, until Ctrl-C; `--task-queue <name>` (default
 * "durable-graph").
 */
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command, ErrorCode, isDurableGraphError } from 'durable-graph';
import { GraphClient } from 'durable-graph/client';
import { startDevServer, type DevServer } from 'durable-graph/dev-server';
import { createWorker } from 'durable-graph/worker';
import { approvalGraph } from './graph.js';

Runtime.install({ logger: new DefaultLogger('WARN') });

const { values: flags } = parseArgs({
  options: { keep: { type: 'boolean', default: false }, 'task-queue': { type: 'string', default: 'durable-graph' } },
});

type Config = { configurable: { thread_id: string } };
/** What the demo reads of a thread's state to see it move on. */
interface Watched {
  getState(config: Config): Promise<{
    status?: string;
    values: Record<string, unknown>;
    tasks: ReadonlyArray<{ interrupts: ReadonlyArray<{ id?: string }> }>;
  }>;
}

async function main(): Promise<void> {
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  let uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  if (!address) {
    const [port, uiPort] = [(await isFree(7233)) ? 7233 : undefined, (await isFree(8233)) ? 8233 : undefined];
    server = await startDevServer({ dbFilename: '.data/temporal.db', ui: true, port, uiPort });
    address = server.address;
    uiUrl = server.uiUrl!;
  }
  // Show the CLI by the name an operator would type, or by its path when it is only in the project's .tools/.
  const temporal = server && !(await onPath('temporal')) ? server.cliPath : 'temporal';
  const taskQueue = flags['task-queue'];
  const worker = await createWorker({ graphs: [approvalGraph], address, taskQueue });
  const client = await GraphClient.connect({ address, taskQueue });
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
      const ns = namespace === 'default' ? '' : ` --namespace ${namespace}`;
      console.log(`\n   Web UI (Current Details, under User Metadata):`);
      console.log(`   ${uiUrl}/namespaces/${namespace}/workflows/${threadId}/${runId}/user-metadata`);
      console.log('   Resume from any shell with the plain Temporal CLI:');
      console.log(
        `   ${temporal} workflow signal --address ${address}${ns} --workflow-id ${threadId} --name resume --input '{"resume": true}'`,
      );
      if (server)
        console.log(
          flags.keep
            ? '   This dev server keeps running after the demo ends (--keep), until Ctrl-C.'
            : '   This dev server stops when the demo ends; `npm run demo -- --keep` keeps it (and these links) up.',
        );

      // Whoever answers first: the person at this prompt, or anyone who resumes the thread from elsewhere.
      const answered = new AbortController();
      const question = String((pending.value as { question?: string }).question ?? 'Approve?');
      const outcome = await Promise.race([
        askHuman(question, answered.signal).then((approved) => ({ by: 'prompt' as const, approved })),
        nextStop(graph, config, pending.id, answered.signal).then(() => ({ by: 'elsewhere' as const })),
      ]);
      answered.abort();

      let values: Record<string, unknown>;
      if (outcome.by === 'prompt') {
        console.log(`\n▶ invoke(new Command({ resume: ${outcome.approved} }))`);
        try {
          const { __interrupt__: _none, ...done } = await graph.invoke(
            new Command({ resume: outcome.approved }),
            config,
          );
          values = done;
        } catch (error) {
          // Answered elsewhere a moment before this answer: the thread has moved on; show where it is.
          if (!isDurableGraphError(error) || error.code !== ErrorCode.NO_PENDING_INTERRUPT) throw error;
          console.log('\n   The thread was resumed from elsewhere just before; this answer was not applied.');
          values = (await nextStop(graph, config, pending.id)).values;
        }
      } else {
        console.log(
          '\n\n▶ The thread was resumed from elsewhere (a Signal, the Web UI or another client); no need to ask.',
        );
        values = (await nextStop(graph, config, pending.id)).values;
      }
      console.log('\n✔ Final state:');
      console.log(indent(JSON.stringify(values, null, 2)));
      console.log(`\n${String(values.result)}`);
    });
    if (server && flags.keep) {
      console.log(
        `\nThe dev server keeps running (--keep): ${address}, Web UI ${uiUrl}. The links above work until Ctrl-C.`,
      );
      await untilInterrupted();
    } else if (server) {
      console.log(
        `\nStopping the demo's dev server: the links above stop working (\`npm run demo -- --keep\` keeps it up).`,
      );
    } else if (flags.keep) {
      console.log(`\n--keep: nothing to keep; the server at ${address} is not the demo's and keeps running anyway.`);
    }
  } finally {
    await client.close();
    await server?.stop();
  }
}

/**
 * Resolves with the thread's state once it has moved past the interrupt `interruptId`: completed, failed, or paused
 * at another interrupt. Polls getState (a Query, answered by the demo's own worker).
 */
async function nextStop(
  graph: Watched,
  config: Config,
  interruptId: string,
  signal?: AbortSignal,
): Promise<{ values: Record<string, unknown> }> {
  for (;;) {
    let state: Awaited<ReturnType<Watched['getState']>>;
    try {
      state = await graph.getState(config);
    } catch (error) {
      if (signal?.aborted) return never(); // the prompt won meanwhile: this read no longer matters
      throw error;
    }
    if (signal?.aborted) return never();
    const stillPaused = state.tasks.some((t) => t.interrupts.some((i) => i.id === interruptId));
    if (!stillPaused && state.status !== 'running') return state;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A promise that never settles: the side of a race that lost. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/**
 * Asks on a terminal (y/N). Without one, reads a line from stdin; when stdin ends with no line it approves, and says
 * so. Never settles once `signal` aborts (the thread was answered elsewhere).
 */
async function askHuman(question: string, signal: AbortSignal): Promise<boolean> {
  const tty = process.stdin.isTTY === true;
  const prompt = tty
    ? `\n${question} [y/N] `
    : `\n${question} [y/N] (no terminal: reading a line from stdin; approves when stdin ends)\n`;
  const line = await readLine(prompt, signal);
  if (line === undefined && signal.aborted) return never();
  if (line === undefined) {
    console.log('   stdin ended with no answer: auto-approving');
    return true;
  }
  return /^y(es)?$/i.test(line.trim());
}

/** One line from stdin (undefined at its end, or when `signal` aborts); the prompt goes to stdout. */
function readLine(prompt: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true,
    });
    let done = false;
    const finish = (line: string | undefined) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      rl.close();
      process.stdin.pause(); // let the process exit: a paused stdin holds nothing open
      resolve(line);
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    rl.once('line', (line) => finish(line));
    rl.once('close', () => finish(undefined));
    process.stdout.write(prompt);
  });
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const alive = setInterval(() => undefined, 60_000); // signal listeners alone do not keep a process running
    const stop = () => {
      clearInterval(alive);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
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
