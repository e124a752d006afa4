/**
 * Every error durable-graph throws, in one place. Each one says what happened, where (thread, node)
 * and what to do next, and carries a stable {@link ErrorCode}. This file imports nothing, so the
 * workflow sandbox, activities, worker and client can all share it.
 */

/** Stable error codes. A released code never changes meaning; each has an anchor in docs/errors.md. */
export const ErrorCode = {
  GRAPH_DEFINITION: 'GRAPH_DEFINITION',
  UNKNOWN_GRAPH: 'UNKNOWN_GRAPH',
  UNKNOWN_NODE: 'UNKNOWN_NODE',
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_UPDATE: 'INVALID_UPDATE',
  MISSING_THREAD_ID: 'MISSING_THREAD_ID',
  THREAD_NOT_FOUND: 'THREAD_NOT_FOUND',
  THREAD_BUSY: 'THREAD_BUSY',
  NO_PENDING_INTERRUPT: 'NO_PENDING_INTERRUPT',
  INVALID_RESUME: 'INVALID_RESUME',
  INTERRUPT_OUTSIDE_NODE: 'INTERRUPT_OUTSIDE_NODE',
  NODE_FAILED: 'NODE_FAILED',
  RECURSION_LIMIT: 'RECURSION_LIMIT',
  SEARCH_ATTRIBUTES_MISSING: 'SEARCH_ATTRIBUTES_MISSING',
  SERVER_UNREACHABLE: 'SERVER_UNREACHABLE',
  INTERRUPT_TIMEOUT: 'INTERRUPT_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const MARKER = Symbol.for('durable-graph.error');

/** Where an error happened; every field is optional because not every error has all of them. */
export interface ErrorContext {
  threadId?: string;
  node?: string;
  cause?: unknown;
}

/**
 * Base class of every durable-graph error.
 *
 * Use {@link isDurableGraphError} rather than `instanceof`: errors cross the workflow sandbox and
 * may come from a duplicate copy of the package.
 */
export class DurableGraphError extends Error {
  readonly code: ErrorCode;
  readonly threadId?: string;
  readonly node?: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(withCode(code, message), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    if (context.threadId !== undefined) this.threadId = context.threadId;
    if (context.node !== undefined) this.node = context.node;
    Object.defineProperty(this, MARKER, { value: true });
  }
}

/** Appends the code and its docs anchor to a message: the one place the message shape is decided. */
export function withCode(code: ErrorCode, message: string): string {
  if (message.includes(`[${code}]`)) return message; // already formatted (rebuilt from a Temporal failure)
  return `${message} [${code}] docs/errors.md#${code.toLowerCase()}`;
}

/** True for any durable-graph error, including ones rebuilt from a Temporal failure. */
export function isDurableGraphError(value: unknown): value is DurableGraphError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Thrown by `compile()`: lists every problem in the graph at once. */
export class GraphDefinitionError extends DurableGraphError {
  readonly problems: readonly string[];
  constructor(graph: string, problems: readonly string[]) {
    super(
      ErrorCode.GRAPH_DEFINITION,
      `Graph "${graph}" cannot be compiled:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the graph definition and compile again.`,
    );
    this.problems = problems;
  }
}

/** Thrown when a worker or client is asked for a graph it does not host. */
export class UnknownGraphError extends DurableGraphError {
  constructor(graph: string, known: readonly string[], context: ErrorContext = {}) {
    super(
      ErrorCode.UNKNOWN_GRAPH,
      `No graph named "${graph}" is registered${context.threadId ? ` (thread "${context.threadId}")` : ''}. ` +
        `Known graphs: ${known.length ? known.map((k) => `"${k}"`).join(', ') : '(none)'}. ` +
        `Pass the compiled graph to createWorker({ graphs: [...] }) on the worker polling this task queue.`,
      context,
    );
  }
}

/** Thrown when input or a node's update does not match the graph's state schema. */
export class InvalidInputError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_INPUT, message, context);
  }
}

/** Thrown when a node returns something that is not a state update or a Command. */
export class InvalidUpdateError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_UPDATE, message, context);
  }
}

/** Thrown before anything runs when `config.configurable.thread_id` is missing or not a non-empty string. */
export class MissingThreadIdError extends DurableGraphError {
  constructor(got: unknown) {
    super(
      ErrorCode.MISSING_THREAD_ID,
      `A thread id is required: pass { configurable: { thread_id: "<id>" } } as the config (got ${describe(got)}). ` +
        `The thread id is the Temporal workflow id; nothing was started.`,
    );
  }
}

/** Thrown when a thread (workflow id) does not exist. */
export class ThreadNotFoundError extends DurableGraphError {
  constructor(threadId: string) {
    super(
      ErrorCode.THREAD_NOT_FOUND,
      `Thread "${threadId}" does not exist. Start it with invoke(input, { configurable: { thread_id: "${threadId}" } }).`,
      { threadId },
    );
  }
}

/**
 * What a paused thread waits for, as its memo lists it: {@link ThreadBusyError} names it and says how to answer it.
 */
export interface PendingPause {
  /** Pending `interrupt()` calls, in task order. */
  interrupts: ReadonlyArray<{ id: string; node: string }>;
  /** Pauses raised by `NodeInterrupt` (no id, no resume value). */
  nodeInterrupts?: ReadonlyArray<{ node: string }>;
  /** A static breakpoint (`interruptBefore` / `interruptAfter`). */
  breakpoint?: { at: 'before' | 'after'; nodes: readonly string[] };
}

/** Thrown when new input is sent to a thread that is still running or paused. */
export class ThreadBusyError extends DurableGraphError {
  readonly status: string;
  /** Ids of the pending interrupts when the thread is paused (`[]` otherwise, or when they are not known). */
  readonly pendingIds: readonly string[];
  constructor(threadId: string, status: string, pending?: PendingPause) {
    super(
      ErrorCode.THREAD_BUSY,
      status === 'interrupted'
        ? `Thread "${threadId}" is interrupted (paused at ${describePause(pending)}); new input would be lost. ${howToContinue(pending)}` +
            `Or pass { abandonPendingInterrupts: true } in the config to drop what is pending and start a new run from the paused state with this input. Inspect it with getState(config).`
        : `Thread "${threadId}" is ${status}; new input would be lost. Wait for the current run to finish, or use a new thread id.`,
      { threadId },
    );
    this.status = status;
    this.pendingIds = pending?.interrupts.map((i) => i.id) ?? [];
  }
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function describePause(pending: PendingPause | undefined): string {
  const parts = [
    ...(pending?.interrupts ?? []).map((i) => `interrupt "${i.id}" in node "${i.node}"`),
    ...(pending?.nodeInterrupts ?? []).map((i) => `a NodeInterrupt in node "${i.node}"`),
  ];
  if (pending?.breakpoint) parts.push(`a breakpoint ${pending.breakpoint.at} node(s) ${quoted(pending.breakpoint.nodes)}`);
  return parts.length ? parts.join(', ') : 'an interrupt';
}

/** The command(s) that continue a paused thread: a plain resume only for a single interrupt(). */
function howToContinue(pending: PendingPause | undefined): string {
  if (!pending) return `Continue it as getState(config) shows: invoke(new Command({ resume: <value> }), config) answers one interrupt, invoke(null, config) continues at a breakpoint or NodeInterrupt. `;
  const steps: string[] = [];
  const ids = pending.interrupts.map((i) => i.id);
  if (ids.length === 1) steps.push(`Answer it with invoke(new Command({ resume: <value> }), config).`);
  if (ids.length > 1) steps.push(`Answer them by id with invoke(new Command({ resume: { ${ids.map((id) => `"${id}": <value>`).join(', ')} } }), config).`);
  const held = pending.nodeInterrupts ?? [];
  if (held.length) {
    steps.push(
      `${ids.length ? 'Then run' : 'Run'} node(s) ${quoted(held.map((i) => i.node))} again with invoke(null, config): a NodeInterrupt takes no resume value (change the state first with updateState(config, values) or new Command({ update }) if needed).`,
    );
  }
  if (pending.breakpoint) steps.push(`Continue past the breakpoint with invoke(null, config).`);
  return steps.length ? `${steps.join(' ')} ` : '';
}

/** Thrown when a resume is sent to a thread that has no pending interrupt. */
export class NoPendingInterruptError extends DurableGraphError {
  readonly status: string;
  constructor(threadId: string, status: string) {
    super(
      ErrorCode.NO_PENDING_INTERRUPT,
      `Thread "${threadId}" has no pending interrupt (status: ${status}); the resume was not applied. ` +
        (NEXT_STEP_BY_STATUS[status] ?? '') +
        `Check getState(config) or \`temporal workflow query --workflow-id ${threadId} --name getState\` first.`,
      { threadId },
    );
    this.status = status;
  }
}

/** What to do instead of a resume, by the thread's status. */
const NEXT_STEP_BY_STATUS: Record<string, string> = {
  failed: 'Its last run failed: invoke(null, config) re-runs the failed step in a new run (its nodes that completed keep their writes), as LangGraph does. ',
  completed: 'Its last run finished: start a new run with invoke(input, config). ',
  'not started': 'Start it with invoke(input, config). ',
  running: 'It is running: wait until it pauses (its interrupts then show in getState(config)). ',
};

/** Thrown when a resume value is malformed: wrong JSON shape, empty, or naming unknown interrupts. */
export class InvalidResumeError extends DurableGraphError {
  readonly pendingIds: readonly string[];
  constructor(message: string, context: ErrorContext & { pendingIds?: readonly string[] } = {}) {
    super(ErrorCode.INVALID_RESUME, message, context);
    this.pendingIds = context.pendingIds ?? [];
  }
}

/**
 * Thrown by `interrupt()` (and `step()`, and a compiled graph's `invoke()`) when it is called outside a node run
 * by durable-graph; `message` replaces the default one for the latter.
 */
export class InterruptOutsideNodeError extends DurableGraphError {
  constructor(message = 'interrupt() was called outside a node; call it only inside a function passed to addNode(), while the graph runs on a durable-graph worker.') {
    super(ErrorCode.INTERRUPT_OUTSIDE_NODE, message);
  }
}

/** Thrown when a node failed after its retries; `cause` holds the node's own error. */
export class NodeFailedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.NODE_FAILED, message, context);
  }
}

/** Thrown when a run takes more supersteps than its recursion limit. */
export class RecursionLimitError extends DurableGraphError {
  constructor(threadId: string, limit: number) {
    super(
      ErrorCode.RECURSION_LIMIT,
      `Thread "${threadId}" reached the recursion limit of ${limit} supersteps without hitting END. ` +
        `Check the graph for a loop with no exit, or raise it with { recursionLimit: <n> } in the config.`,
      { threadId },
    );
  }
}

/** Thrown by `createWorker()` when the namespace lacks durable-graph's search attributes and they cannot be added. */
export class SearchAttributesMissingError extends DurableGraphError {
  constructor(namespace: string, missing: readonly string[], cause?: unknown) {
    super(
      ErrorCode.SEARCH_ATTRIBUTES_MISSING,
      `Namespace "${namespace}" lacks the search attributes ${missing.join(', ')} and they could not be registered. ` +
        `Register them once: ${missing.map((m) => `\`temporal operator search-attribute create --namespace ${namespace} --name ${m.split('=')[0]} --type ${m.split('=')[1]}\``).join('; ')}.`,
      { cause },
    );
  }
}

/** Shows a value briefly in an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** Thrown by `GraphClient.connect()` and `createWorker()` when no Temporal server answers at the address. */
export class ServerUnreachableError extends DurableGraphError {
  readonly address: string;
  constructor(address: string, cause?: unknown) {
    super(
      ErrorCode.SERVER_UNREACHABLE,
      `No Temporal server answered at ${address}. Start one (\`npx durable-graph dev\` or \`temporal server start-dev\`), or point TEMPORAL_ADDRESS (or the address option) at yours.`,
      { cause },
    );
    this.address = address;
  }
}
