/**
 * Reads what the engine publishes outside the worker (the `durableGraph` memo and the search
 * attributes) from a `list()` or `describe()` result, so `threads`, `show` and `resume` work with
 * no worker running.
 */
import {
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { readRecordedSpec, type GraphClient } from '../client.js';
import { ThreadNotFoundError } from '../errors.js';
import { pendingNodesSearchAttribute, statusSearchAttribute } from '../protocol/search-attributes.js';
import { MEMO_KEY } from '../protocol/memo.js';
import { takesResumeValue, type NodeInterruptPause, type PendingInterrupt } from '../protocol/pending.js';
import { readQueuedAnswers, type QueuedAnswer } from './queued-answers.js';

export type { NodeInterruptPause, PendingInterrupt } from '../protocol/pending.js';

/** One thread as the server sees it (no worker involved). */
export interface ThreadSummary {
  threadId: string;
  runId: string;
  /** The graph's name (the Workflow Type). */
  graph: string;
  taskQueue: string;
  /**
   * `running` | `interrupted` from the engine while the Workflow runs; once it has closed, the
   * Workflow's own status: `completed`, `failed`, or `terminated`, `cancelled`, `timed_out`... when
   * it was ended from outside (the memo of a terminated thread still says `interrupted`).
   */
  status: string;
  /** The Temporal Workflow Execution status, lower case: `running`, `completed`, `failed`, `terminated`... */
  executionStatus: string;
  /** The step of the pause the engine's memo describes; null when there is no memo (the thread is not paused). */
  step: number | null;
  pendingNodes: string[];
  /** Pending interrupts; empty unless the thread is paused (a closed Workflow has none, whatever its memo says). */
  interrupts: PendingInterrupt[];
  /** Pauses raised by NodeInterrupt (they take no resume value; `resume --continue` runs the node again); empty unless paused. */
  nodeInterrupts: NodeInterruptPause[];
  /** Set while paused at a static breakpoint (`resume --continue` goes on); else null. */
  breakpoint: { at: 'before' | 'after'; nodes: string[] } | null;
  /**
   * While parked on failed nodes (status `error`): each node, its error and the interrupt it ran with the answer to
   * (also in `interrupts`: it can be answered again); `retry` runs them again. Empty otherwise.
   */
  failures: ParkedNode[];
  /**
   * Answers waiting for a worker: `resume` Signals recorded after the run's last completed workflow task, with the
   * interrupts each will answer. Read for a paused or parked thread by {@link withQueuedAnswers}; `[]` until then.
   */
  queuedResumes: QueuedAnswer[];
  startTime: string;
  closeTime: string | null;
}

/** A node a thread is parked on, as its memo names it. */
export interface ParkedNode {
  node: string;
  error: { name: string; message: string };
  interrupt?: { id: string; answer: unknown };
}

/** The memo written by the engine (workflows/visibility.ts); every field is checked, since any client can write memos. */
interface PublishedMemo {
  failures?: ParkedNode[];
  status?: string;
  step?: number;
  interrupts?: PendingInterrupt[];
  nodeInterrupts?: NodeInterruptPause[];
  breakpoint?: { at: 'before' | 'after'; nodes: string[] };
}

/** Builds a {@link ThreadSummary} from a `list()` entry or a `describe()` result. */
export function summarize(info: Omit<WorkflowExecutionInfo, 'raw'>): ThreadSummary {
  const memo = readMemo(info.memo);
  const executionStatus = info.status.name.toLowerCase();
  const running = info.status.name === 'RUNNING';
  const published = memo.status ?? info.typedSearchAttributes?.get(statusSearchAttribute);
  const status = running ? (published ?? 'running') : executionStatus;
  const pendingNodes = running
    ? (info.typedSearchAttributes?.get(pendingNodesSearchAttribute) ?? [
        ...new Set((memo.interrupts ?? []).map((i) => i.node)),
      ])
    : [];
  return {
    threadId: info.workflowId,
    runId: info.runId,
    graph: info.type,
    taskQueue: info.taskQueue,
    status,
    executionStatus,
    step: memo.step ?? null,
    pendingNodes,
    interrupts: running && (status === 'interrupted' || status === 'error') ? (memo.interrupts ?? []) : [],
    nodeInterrupts: running && (status === 'interrupted' || status === 'error') ? (memo.nodeInterrupts ?? []) : [],
    breakpoint: running && status === 'interrupted' ? (memo.breakpoint ?? null) : null,
    failures: running && status === 'error' ? (memo.failures ?? []) : [],
    queuedResumes: [],
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime ? info.closeTime.toISOString() : null,
  };
}

function readMemo(memo: Record<string, unknown> | undefined): PublishedMemo {
  const raw = memo?.[MEMO_KEY];
  if (typeof raw !== 'object' || raw === null) return {};
  const { status, step, interrupts, nodeInterrupts, breakpoint, failures } = raw as Record<string, unknown>;
  const out: PublishedMemo = {};
  if (typeof status === 'string') out.status = status;
  if (typeof step === 'number') out.step = step;
  if (Array.isArray(interrupts)) {
    out.interrupts = interrupts
      .filter(
        (i): i is Record<string, unknown> & { id: string } =>
          typeof i === 'object' && i !== null && takesResumeValue(i),
      )
      .map((i) => ({
        id: i.id,
        node: typeof i.node === 'string' ? i.node : '?',
        value: i.value,
        // Written from engine level 1: what the answer must match, so the CLI can show and check it with no worker.
        ...(isObject(i.response_schema) ? { response_schema: i.response_schema } : {}),
      }));
  }
  if (Array.isArray(nodeInterrupts)) {
    out.nodeInterrupts = nodeInterrupts
      .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
      .map((i) => ({ node: typeof i.node === 'string' ? i.node : '?', value: i.value }));
  }
  if (Array.isArray(failures)) out.failures = failures.flatMap(parkedNode);
  const { at, nodes } = (breakpoint ?? {}) as Record<string, unknown>;
  if ((at === 'before' || at === 'after') && Array.isArray(nodes))
    out.breakpoint = { at, nodes: nodes.filter((n): n is string => typeof n === 'string') };
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parkedNode(raw: unknown): ParkedNode[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const { node, error, interrupt } = raw as Record<string, unknown>;
  const { name, message } = (error ?? {}) as Record<string, unknown>;
  const { id, answer } = (interrupt ?? {}) as Record<string, unknown>;
  return [
    {
      node: typeof node === 'string' ? node : '?',
      error: { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' },
      ...(typeof id === 'string' ? { interrupt: { id, answer } } : {}),
    },
  ];
}

/** Describes a thread's latest run. */
export async function describeThread(
  client: GraphClient,
  threadId: string,
): Promise<{ summary: ThreadSummary; description: WorkflowExecutionDescription }> {
  try {
    const description = await client.temporal.workflow.getHandle(threadId).describe();
    return { summary: summarize(description), description };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ThreadNotFoundError(threadId);
    throw error;
  }
}

/** The summary with its queued answers read (only a paused thread can have any). */
export async function withQueuedAnswers(client: GraphClient, summary: ThreadSummary): Promise<ThreadSummary> {
  return { ...summary, queuedResumes: await readQueuedAnswers(client, summary) };
}

/**
 * True when a running thread that no published status shows paused belongs to a graph compiled with
 * `publishPauses: false` (its recorded spec says so): whether it is paused then only a worker's `getState` answer
 * tells. Reads the first page of the run's history; false for a thread published as paused.
 */
export async function pausesUnpublished(client: GraphClient, summary: ThreadSummary): Promise<boolean> {
  // Not only when nothing is published: a thread started by name may have written a status before its spec loaded.
  if (summary.status === 'interrupted' || summary.status === 'error' || summary.executionStatus !== 'running')
    return false;
  const spec = await readRecordedSpec(client.temporal, summary.threadId, summary.runId);
  return spec?.publishPauses === false;
}
