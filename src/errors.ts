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
  UNSERIALIZABLE_VALUE: 'UNSERIALIZABLE_VALUE',
  INVALID_DESTINATION: 'INVALID_DESTINATION',
  INVALID_INTERRUPT: 'INVALID_INTERRUPT',
  REDUCER_FAILED: 'REDUCER_FAILED',
  CONFLICTING_WRITES: 'CONFLICTING_WRITES',
  NO_PARENT_GRAPH: 'NO_PARENT_GRAPH',
  MULTIPLE_PARENT_COMMANDS: 'MULTIPLE_PARENT_COMMANDS',
  INVALID_PARENT_COMMAND: 'INVALID_PARENT_COMMAND',
  UPDATE_STATE_REFUSED: 'UPDATE_STATE_REFUSED',
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
  STREAM_READ: 'STREAM_READ',
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
 * What an error carries across Temporal in its ApplicationFailure's `details[0]`: where it happened (`threadId`,
 * `node`) and what its class needs to be built again through its constructor on the other side. Plain JSON only.
 */
export interface ErrorDetails {
  threadId?: string;
  node?: string;
  [field: string]: unknown;
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

  /** The details that travel with this error across Temporal: where, plus each field a subclass declares. */
  toDetails(): ErrorDetails {
    const details: ErrorDetails = {};
    if (this.threadId !== undefined) details.threadId = this.threadId;
    if (this.node !== undefined) details.node = this.node;
    return details;
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

/** Thrown by `compile()`: lists every problem in the graph at once. Also thrown by `createWorker()` for its graph list. */
export class GraphDefinitionError extends DurableGraphError {
  /** The graph's name. */
  readonly graph: string;
  /** Every problem found, one sentence each. */
  readonly problems: readonly string[];
  /** @param message replaces the default one (for `createWorker()`, which compiles nothing). */
  constructor(graph: string, problems: readonly string[], message?: string) {
    super(
      ErrorCode.GRAPH_DEFINITION,
      message ??
        `Graph "${graph}" cannot be compiled:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the graph definition and compile again.`,
    );
    this.graph = graph;
    this.problems = problems;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), graph: this.graph, problems: [...this.problems] };
  }
}

/**
 * Thrown when a worker is asked for a graph it does not host (a thread's Workflow Type, or a graph a node calls with
 * `invoke()`); `message` replaces the default one where the caller can say more.
 */
export class UnknownGraphError extends DurableGraphError {
  /** The graph (Workflow Type) that was asked for. */
  readonly graph: string;
  /** The graphs the worker hosts (`[]` when the error was raised where they are not known). */
  readonly known: readonly string[];
  constructor(graph: string, known: readonly string[], context: ErrorContext & { message?: string } = {}) {
    super(
      ErrorCode.UNKNOWN_GRAPH,
      context.message ??
        `No graph named "${graph}" is registered${context.threadId ? ` (thread "${context.threadId}")` : ''}. ` +
          `Known graphs: ${known.length ? known.map((k) => `"${k}"`).join(', ') : '(none)'}. ` +
          `Pass the compiled graph to createWorker({ graphs: [...] }) on the worker polling this task queue.`,
      context,
    );
    this.graph = graph;
    this.known = known;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), graph: this.graph, known: [...this.known] };
  }
}

/**
 * Thrown when a running thread reaches a node that the worker's graph no longer has: the deployed code changed
 * under a thread started with the old graph.
 */
export class UnknownNodeError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UNKNOWN_NODE, message, context);
  }
}

/** Thrown when input does not match the graph's state schema, or a config value is not plain JSON. */
export class InvalidInputError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_INPUT, message, context);
  }
}

/**
 * Thrown when a node's output does not fit the state: an unknown field, a value of the wrong type, an update that
 * is not an object, a Command with `resume`, or a RemoveMessage of a message the state does not have.
 */
export class InvalidUpdateError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_UPDATE, message, context);
  }
}

/**
 * Thrown when a value a node hands over (an update, a Send's argument, an `interrupt()` payload or `onTimeout`
 * value, a `NodeInterrupt` value, a `step()` result, a `config.writer()` chunk) would not survive JSON unchanged.
 */
export class UnserializableValueError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UNSERIALIZABLE_VALUE, message, context);
  }
}

/** Thrown when a conditional edge or a `Command({ goto })` leads to a node the graph does not have. */
export class InvalidDestinationError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_DESTINATION, message, context);
  }
}

/** Thrown when `interrupt()` gets an option it cannot use (a timeout that is not a duration). */
export class InvalidInterruptError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_INTERRUPT, message, context);
  }
}

/** Thrown when a custom reducer throws; `cause` holds the reducer's error. */
export class ReducerFailedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.REDUCER_FAILED, message, context);
  }
}

/** Thrown when two nodes of one step write a state field that has no reducer (it takes one value per step). */
export class ConflictingWritesError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.CONFLICTING_WRITES, message, context);
  }
}

/**
 * Thrown when `Command({ graph: Command.PARENT })` has no parent graph to go to: a node of a graph that runs on its
 * own returned it, or it was passed to `invoke()`.
 */
export class NoParentGraphError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.NO_PARENT_GRAPH, message, context);
  }
}

/** Thrown when several nodes of a subgraph return `Command({ graph: Command.PARENT })` in the same step. */
export class MultipleParentCommandsError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.MULTIPLE_PARENT_COMMANDS, message, context);
  }
}

/** Thrown when `Command({ graph: Command.PARENT })` names a node or a state field the parent graph does not have. */
export class InvalidParentCommandError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INVALID_PARENT_COMMAND, message, context);
  }
}

/**
 * Thrown by `updateState()` when the edit cannot apply: the thread is running, the values are not an object of
 * state fields, or `asNode` names a node that does not exist or is not paused. Nothing was written.
 */
export class UpdateStateRefusedError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.UPDATE_STATE_REFUSED, message, context);
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
  /** The thread's status: `running` or `interrupted`. */
  readonly status: string;
  /** Ids of the pending interrupts when the thread is paused (`[]` otherwise, or when they are not known). */
  readonly pendingIds: readonly string[];
  /** What the paused thread waits for, when known. */
  readonly pending?: PendingPause;
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
    if (pending !== undefined) this.pending = pausePart(pending);
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), status: this.status, ...(this.pending ? { pending: this.pending } : {}) };
  }
}

/** Only what a PendingPause declares (a memo's entries carry more, e.g. interrupt values), as plain JSON. */
function pausePart(pending: PendingPause): PendingPause {
  const part: PendingPause = { interrupts: pending.interrupts.map(({ id, node }) => ({ id, node })) };
  if (pending.nodeInterrupts?.length) part.nodeInterrupts = pending.nodeInterrupts.map(({ node }) => ({ node }));
  if (pending.breakpoint) part.breakpoint = { at: pending.breakpoint.at, nodes: [...pending.breakpoint.nodes] };
  return part;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function describePause(pending: PendingPause | undefined): string {
  const parts = [
    ...(pending?.interrupts ?? []).map((i) => `interrupt "${i.id}" in node "${i.node}"`),
    ...(pending?.nodeInterrupts ?? []).map((i) => `a NodeInterrupt in node "${i.node}"`),
  ];
  if (pending?.breakpoint)
    parts.push(`a breakpoint ${pending.breakpoint.at} node(s) ${quoted(pending.breakpoint.nodes)}`);
  return parts.length ? parts.join(', ') : 'an interrupt';
}

/** The command(s) that continue a paused thread: a plain resume only for a single interrupt(). */
function howToContinue(pending: PendingPause | undefined): string {
  if (!pending)
    return `Continue it as getState(config) shows: invoke(new Command({ resume: <value> }), config) answers one interrupt, invoke(null, config) continues at a breakpoint or NodeInterrupt. `;
  const steps: string[] = [];
  const ids = pending.interrupts.map((i) => i.id);
  if (ids.length === 1) steps.push(`Answer it with invoke(new Command({ resume: <value> }), config).`);
  if (ids.length > 1)
    steps.push(
      `Answer them by id with invoke(new Command({ resume: { ${ids.map((id) => `"${id}": <value>`).join(', ')} } }), config).`,
    );
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
  /** The thread's status: `completed`, `failed`, `running`, `not started`, `terminated`, ... */
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

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), status: this.status };
  }
}

/** What to do instead of a resume, by the thread's status. */
const NEXT_STEP_BY_STATUS: Record<string, string> = {
  failed:
    'Its last run failed: invoke(null, config) re-runs the failed step in a new run (its nodes that completed keep their writes), as LangGraph does. ',
  completed: 'Its last run finished: start a new run with invoke(input, config). ',
  'not started': 'Start it with invoke(input, config). ',
  running: 'It is running: wait until it pauses (its interrupts then show in getState(config)). ',
};

/** Thrown when a resume value is malformed: wrong JSON shape, empty, or naming unknown interrupts. */
export class InvalidResumeError extends DurableGraphError {
  /** Ids of the interrupts still pending (`[]` when none are, or when they are not known). */
  readonly pendingIds: readonly string[];
  constructor(message: string, context: ErrorContext & { pendingIds?: readonly string[] } = {}) {
    super(ErrorCode.INVALID_RESUME, message, context);
    this.pendingIds = context.pendingIds ?? [];
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), pendingIds: [...this.pendingIds] };
  }
}

/**
 * Thrown by `interrupt()` (and `step()`, and a compiled graph's `invoke()`) when it is called outside a node run
 * by durable-graph; `message` replaces the default one for the latter.
 */
export class InterruptOutsideNodeError extends DurableGraphError {
  constructor(
    message = 'interrupt() was called outside a node; call it only inside a function passed to addNode(), while the graph runs on a durable-graph worker.',
    context: ErrorContext = {},
  ) {
    super(ErrorCode.INTERRUPT_OUTSIDE_NODE, message, context);
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
  /** The recursion limit the run reached. */
  readonly limit: number;
  constructor(threadId: string, limit: number) {
    super(
      ErrorCode.RECURSION_LIMIT,
      `Thread "${threadId}" reached the recursion limit of ${limit} supersteps without hitting END. ` +
        `Check the graph for a loop with no exit, or raise it with { recursionLimit: <n> } in the config.`,
      { threadId },
    );
    this.limit = limit;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), limit: this.limit };
  }
}

/**
 * Thrown when an `interrupt(value, { timeout })` whose `onTimeout` is `'fail'` (the default) passed its deadline
 * with no resume: the run has failed; `node` is the node that asked.
 */
export class InterruptTimeoutError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.INTERRUPT_TIMEOUT, message, context);
  }
}

/** Thrown when a read of a run's stream cannot be served (stream modes or offset out of range). */
export class StreamReadError extends DurableGraphError {
  constructor(message: string, context: ErrorContext = {}) {
    super(ErrorCode.STREAM_READ, message, context);
  }
}

/** Thrown by `createWorker()` when the namespace lacks durable-graph's search attributes and they cannot be added. */
export class SearchAttributesMissingError extends DurableGraphError {
  /** The namespace that lacks them. */
  readonly namespace: string;
  /** The missing search attributes, as `Name=Type`. */
  readonly missing: readonly string[];
  constructor(namespace: string, missing: readonly string[], cause?: unknown) {
    super(
      ErrorCode.SEARCH_ATTRIBUTES_MISSING,
      `Namespace "${namespace}" lacks the search attributes ${missing.join(', ')} and they could not be registered. ` +
        `Register them once: ${missing.map((m) => `\`temporal operator search-attribute create --namespace ${namespace} --name ${m.split('=')[0]} --type ${m.split('=')[1]}\``).join('; ')}.`,
      { cause },
    );
    this.namespace = namespace;
    this.missing = missing;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), namespace: this.namespace, missing: [...this.missing] };
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
  /** The address that was tried. */
  readonly address: string;
  constructor(address: string, cause?: unknown) {
    super(
      ErrorCode.SERVER_UNREACHABLE,
      `No Temporal server answered at ${address}. Start one (\`npx durable-graph dev\` or \`temporal server start-dev\`), or point TEMPORAL_ADDRESS (or the address option) at yours.`,
      { cause },
    );
    this.address = address;
  }

  override toDetails(): ErrorDetails {
    return { ...super.toDetails(), address: this.address };
  }
}

type Rebuild = (details: ErrorDetails, message: string) => DurableGraphError;

/** Rebuilds each class through its constructor from its details; a code without an entry does not compile. */
const REBUILD: { readonly [C in ErrorCode]: Rebuild } = {
  GRAPH_DEFINITION: (d, message) => new GraphDefinitionError(text(d.graph), texts(d.problems), message),
  UNKNOWN_GRAPH: (d) => new UnknownGraphError(text(d.graph), texts(d.known), placeOf(d)),
  UNKNOWN_NODE: (d, message) => new UnknownNodeError(message, placeOf(d)),
  INVALID_INPUT: (d, message) => new InvalidInputError(message, placeOf(d)),
  INVALID_UPDATE: (d, message) => new InvalidUpdateError(message, placeOf(d)),
  UNSERIALIZABLE_VALUE: (d, message) => new UnserializableValueError(message, placeOf(d)),
  INVALID_DESTINATION: (d, message) => new InvalidDestinationError(message, placeOf(d)),
  INVALID_INTERRUPT: (d, message) => new InvalidInterruptError(message, placeOf(d)),
  REDUCER_FAILED: (d, message) => new ReducerFailedError(message, placeOf(d)),
  CONFLICTING_WRITES: (d, message) => new ConflictingWritesError(message, placeOf(d)),
  NO_PARENT_GRAPH: (d, message) => new NoParentGraphError(message, placeOf(d)),
  MULTIPLE_PARENT_COMMANDS: (d, message) => new MultipleParentCommandsError(message, placeOf(d)),
  INVALID_PARENT_COMMAND: (d, message) => new InvalidParentCommandError(message, placeOf(d)),
  UPDATE_STATE_REFUSED: (d, message) => new UpdateStateRefusedError(message, placeOf(d)),
  MISSING_THREAD_ID: () => new MissingThreadIdError(undefined),
  THREAD_NOT_FOUND: (d) => new ThreadNotFoundError(text(d.threadId)),
  THREAD_BUSY: (d) => new ThreadBusyError(text(d.threadId), text(d.status, 'running'), pendingOf(d.pending)),
  NO_PENDING_INTERRUPT: (d) => new NoPendingInterruptError(text(d.threadId), text(d.status, 'unknown')),
  INVALID_RESUME: (d, message) => new InvalidResumeError(message, { ...placeOf(d), pendingIds: texts(d.pendingIds) }),
  INTERRUPT_OUTSIDE_NODE: (d, message) => new InterruptOutsideNodeError(message, placeOf(d)),
  NODE_FAILED: (d, message) => new NodeFailedError(message, placeOf(d)),
  RECURSION_LIMIT: (d) => new RecursionLimitError(text(d.threadId), typeof d.limit === 'number' ? d.limit : NaN),
  SEARCH_ATTRIBUTES_MISSING: (d) => new SearchAttributesMissingError(text(d.namespace), texts(d.missing)),
  SERVER_UNREACHABLE: (d) => new ServerUnreachableError(text(d.address)),
  INTERRUPT_TIMEOUT: (d, message) => new InterruptTimeoutError(message, placeOf(d)),
  STREAM_READ: (d, message) => new StreamReadError(message, placeOf(d)),
};

/**
 * Builds the error of `code` again from what crossed Temporal: its class, through its constructor, with every field
 * it declares taken from `details` (see {@link DurableGraphError.toDetails}), and the message exactly as recorded.
 */
export function errorFromDetails(
  code: ErrorCode,
  message: string,
  details: ErrorDetails = {},
  cause?: unknown,
): DurableGraphError {
  const error = REBUILD[code](details, message);
  // Classes that word their own message from their fields: keep the recorded one, which may name more.
  error.message = withCode(code, message);
  // Where the class has no constructor argument for them: set them as the constructor would have.
  if (error.threadId === undefined && typeof details.threadId === 'string')
    Object.defineProperty(error, 'threadId', { value: details.threadId, enumerable: true });
  if (error.node === undefined && typeof details.node === 'string')
    Object.defineProperty(error, 'node', { value: details.node, enumerable: true });
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}

/** The names of the error codes, for checking a failure's `type`. */
const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True when `value` is one of our error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function placeOf(details: ErrorDetails): ErrorContext {
  const context: ErrorContext = {};
  if (typeof details.threadId === 'string') context.threadId = details.threadId;
  if (typeof details.node === 'string') context.node = details.node;
  return context;
}

function pendingOf(value: unknown): PendingPause | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as PendingPause).interrupts))
    return undefined;
  return value as PendingPause;
}
