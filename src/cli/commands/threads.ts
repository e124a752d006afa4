/**
 * `durable-graph threads`: lists threads through Temporal visibility (search attributes and memo),
 * so it works with no worker running. Visibility is eventually consistent: a thread that paused a
 * moment ago can take a second to appear.
 */
import { Option, type Command } from 'commander';
import { statusSearchAttribute, visibilityString } from '../../protocol/search-attributes.js';
import { connect, parsePositiveInt, print, type GlobalOptions } from '../context.js';
import { compactJson, table } from '../format.js';
import type { GraphClient } from '../../client.js';
import type { Client } from '@temporalio/client';
import { tolerantListingClient } from '../tolerant-listing.js';
import { queuedAnswerLine } from '../queued-answers.js';
import { describeThread, summarize, withQueuedAnswers, type ThreadSummary } from '../thread-summary.js';

const STATUSES = ['running', 'interrupted', 'error', 'completed', 'failed', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

interface ThreadsOptions extends GlobalOptions {
  status: StatusFilter;
  graph?: string;
  query?: string;
  limit: number;
  json?: boolean;
}

export function registerThreads(program: Command): void {
  program
    .command('threads')
    .description('List threads (paused ones by default) with their pending interrupts; needs no worker.')
    .addOption(
      new Option(
        '--status <status>',
        'which threads to list, by their latest run: paused (interrupted), running, parked on a failed node (error), ended (completed, failed), or all',
      )
        .choices(STATUSES)
        .default('interrupted'),
    )
    .option('--graph <name>', 'only threads of this graph (Workflow Type)')
    .option('--query <visibility-query>', 'extra Temporal visibility query, ANDed with the filters above')
    .option('--limit <n>', 'list at most this many threads', parsePositiveInt, 50)
    .option('--json', 'print a JSON array')
    .action(async (_options: unknown, command: Command) => {
      await threads(command.optsWithGlobals<ThreadsOptions>());
    });
}

/** How many describe or history calls run at once. */
const READS_AT_ONCE = 8;

/**
 * The threads the query finds, one row per thread: Visibility lists every run of a Workflow Id, so a thread whose
 * older run failed and whose latest run is paused would show under `failed`. A query on open runs finds latest runs
 * only (one run of a Workflow Id is open at a time); for the others, each thread's latest run is described and kept
 * only when it still fits the filter.
 */
async function listLatestRuns(
  client: GraphClient,
  listing: Client,
  query: string,
  options: Pick<ThreadsOptions, 'status' | 'limit'>,
): Promise<ThreadSummary[]> {
  const byThread = new Map<string, ThreadSummary>();
  for await (const info of listing.workflow.list({ query, pageSize: Math.min(options.limit, 1000) })) {
    const summary = summarize(info);
    const seen = byThread.get(summary.threadId);
    if (!seen || seen.startTime < summary.startTime) byThread.set(summary.threadId, summary);
    if (byThread.size >= options.limit) break;
  }
  const listed = [...byThread.values()];
  if (OPEN_ONLY.has(options.status)) return listed;
  const latest = await mapConcurrently(listed, READS_AT_ONCE, async (t) => {
    try {
      return (await describeThread(client, t.threadId)).summary;
    } catch {
      return t; // gone meanwhile (retention): the listed run is all there is
    }
  });
  return latest.filter((t, i) => t.runId === listed[i]!.runId || fitsFilter(t, options.status));
}

/** Filters that only match open runs: Visibility lists the latest run of each thread and no other. */
const OPEN_ONLY: ReadonlySet<StatusFilter> = new Set(['running', 'interrupted', 'error']);

/** Whether a thread's latest run fits a filter on ended threads (or `all`). */
function fitsFilter(t: ThreadSummary, status: StatusFilter): boolean {
  switch (status) {
    case 'completed':
      return t.executionStatus === 'completed';
    case 'failed':
      return ['failed', 'terminated', 'cancelled', 'timed_out'].includes(t.executionStatus);
    default:
      return true;
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** The visibility query for the filters. A thread ended from outside (terminated...) is never "running" or "interrupted". */
export function threadsQuery(options: Pick<ThreadsOptions, 'status' | 'graph' | 'query'>): string {
  const status = statusSearchAttribute.name;
  const parts: string[] = [];
  switch (options.status) {
    case 'running':
    case 'interrupted':
    case 'error':
      parts.push(`${status}="${options.status}"`, 'ExecutionStatus="Running"');
      break;
    case 'completed':
      parts.push(`${status} IS NOT NULL`, 'ExecutionStatus="Completed"');
      break;
    case 'failed':
      parts.push(`${status} IS NOT NULL`, 'ExecutionStatus IN ("Failed", "Terminated", "Canceled", "TimedOut")');
      break;
    case 'all':
      parts.push(`${status} IS NOT NULL`);
      break;
  }
  if (options.graph) parts.push(`WorkflowType=${visibilityString(options.graph)}`);
  if (options.query) parts.push(`(${options.query})`);
  return parts.join(' AND ');
}

async function threads(options: ThreadsOptions): Promise<void> {
  const query = threadsQuery(options);
  const client = await connect(options);
  let found: ThreadSummary[];
  let parked = 0;
  const listing = tolerantListingClient(client);
  try {
    found = await listLatestRuns(client, listing.temporal, query, options);
    // Only a paused thread can have answers queued: one short read of its history's tail each.
    found = await mapConcurrently(found, READS_AT_ONCE, (t) => withQueuedAnswers(client, t));
    // Parked threads need a person too: the default list of paused ones says how many there are.
    if (options.status === 'interrupted' && !options.json)
      parked = (await client.temporal.workflow.count(threadsQuery({ ...options, status: 'error' }))).count;
  } finally {
    await client.close();
  }

  if (options.json) {
    print(JSON.stringify(found, null, 2));
    return;
  }
  const parkedNote =
    (parked
      ? `\n${parked} thread(s) parked on a failed node: list them with \`durable-graph threads --status error\`.`
      : '') +
    (listing.unreadable()
      ? `\n${listing.unreadable()} value(s) could not be decoded (encrypted under a key this process lacks: set DURABLE_GRAPH_ENCRYPTION_KEYS); those threads are listed from their search attributes.`
      : '');
  if (found.length === 0) {
    print(`No ${options.status === 'all' ? '' : `${options.status} `}threads (query: ${query}).${parkedNote}`);
    return;
  }
  const rows = [['THREAD', 'GRAPH', 'STATUS', 'STEP', 'PENDING NODES', 'STARTED']];
  for (const t of found)
    rows.push([
      t.threadId,
      t.graph,
      t.queuedResumes.length ? `${t.status} (answer queued)` : t.status,
      t.step === null ? '-' : String(t.step),
      t.pendingNodes.join(',') || '-',
      t.startTime,
    ]);
  const lines = table(rows).split('\n');
  print(lines[0]);
  found.forEach((t, i) => {
    print(lines[i + 1]);
    for (const interrupt of t.interrupts)
      print(`  interrupt ${interrupt.id} in ${interrupt.node}: ${compactJson(interrupt.value)}`);
    for (const held of t.nodeInterrupts)
      print(`  NodeInterrupt in ${held.node} (no id; takes no resume value): ${compactJson(held.value)}`);
    if (t.breakpoint) print(`  breakpoint ${t.breakpoint.at} ${t.breakpoint.nodes.join(',')}`);
    for (const q of t.queuedResumes) print(`  queued (applies when a worker runs the thread): ${queuedAnswerLine(q)}`);
    for (const f of t.failures) print(`  failed in ${f.node}: ${f.error.name}: ${compactJson(f.error.message)}`);
  });
  if (found.length >= options.limit) print(`(first ${options.limit}; raise --limit for more)`);
  if (found.some((t) => t.interrupts.length))
    print(
      '\nShow one with `durable-graph show <thread>`; answer it with `durable-graph resume <thread> <json-value>`.',
    );
  if (found.some((t) => t.failures.length))
    print(
      "\nRun a parked thread's failed node again with `durable-graph retry <thread>` once the cause is fixed (or answer its interrupt again).",
    );
  if (parkedNote) print(parkedNote);
  if (found.some((t) => t.nodeInterrupts.length || t.breakpoint)) {
    print(
      '\nA NodeInterrupt or breakpoint takes no value: change the state if needed (updateState), then `durable-graph resume <thread> --continue`.',
    );
  }
}
