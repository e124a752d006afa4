/**
 * `durable-graph threads`: lists threads through Temporal visibility (search attributes and memo),
 * so it works with no worker running. Visibility is eventually consistent: a thread that paused a
 * moment ago can take a second to appear.
 */
import { Option, type Command } from 'commander';
import { statusSearchAttribute, visibilityString } from '../../protocol/search-attributes.js';
import { connect, parsePositiveInt, print, type GlobalOptions } from '../context.js';
import { compactJson, table } from '../format.js';
import { summarize, type ThreadSummary } from '../thread-summary.js';

const STATUSES = ['running', 'interrupted', 'completed', 'failed', 'all'] as const;
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
    .addOption(new Option('--status <status>', 'which threads to list').choices(STATUSES).default('interrupted'))
    .option('--graph <name>', 'only threads of this graph (Workflow Type)')
    .option('--query <visibility-query>', 'extra Temporal visibility query, ANDed with the filters above')
    .option('--limit <n>', 'list at most this many threads', parsePositiveInt, 50)
    .option('--json', 'print a JSON array')
    .action(async (_options: unknown, command: Command) => {
      await threads(command.optsWithGlobals<ThreadsOptions>());
    });
}

/** The visibility query for the filters. A thread ended from outside (terminated...) is never "running" or "interrupted". */
export function threadsQuery(options: Pick<ThreadsOptions, 'status' | 'graph' | 'query'>): string {
  const status = statusSearchAttribute.name;
  const parts: string[] = [];
  switch (options.status) {
    case 'running':
    case 'interrupted':
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
  const found: ThreadSummary[] = [];
  try {
    for await (const info of client.temporal.workflow.list({ query, pageSize: Math.min(options.limit, 1000) })) {
      found.push(summarize(info));
      if (found.length >= options.limit) break;
    }
  } finally {
    await client.close();
  }

  if (options.json) {
    print(JSON.stringify(found, null, 2));
    return;
  }
  if (found.length === 0) {
    print(`No ${options.status === 'all' ? '' : `${options.status} `}threads (query: ${query}).`);
    return;
  }
  const rows = [['THREAD', 'GRAPH', 'STATUS', 'STEP', 'PENDING NODES', 'STARTED']];
  for (const t of found)
    rows.push([
      t.threadId,
      t.graph,
      t.status,
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
  });
  if (found.length >= options.limit) print(`(first ${options.limit}; raise --limit for more)`);
  if (found.some((t) => t.interrupts.length))
    print(
      '\nShow one with `durable-graph show <thread>`; answer it with `durable-graph resume <thread> <json-value>`.',
    );
  if (found.some((t) => t.nodeInterrupts.length || t.breakpoint)) {
    print(
      '\nA NodeInterrupt or breakpoint takes no value: change the state if needed (updateState), then `durable-graph resume <thread> --continue`.',
    );
  }
}
