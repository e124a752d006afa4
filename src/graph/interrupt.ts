/**
 * interrupt(): pause the graph inside a node and wait for a human.
 */
import type { z } from 'zod';
import { InterruptOutsideNodeError, InvalidInterruptError } from '../errors.js';
import { parseDuration } from './compile.js';
import type { InterruptInfo } from '../protocol/payloads.js';
import { reviveMessagesDeep } from './message-codec.js';
import { currentNodeContext } from './node-context.js';
import { isNodeInterrupt } from './node-interrupt.js';

const PAUSE = Symbol.for('durable-graph.node-paused');

/**
 * What `interrupt()` throws to stop the node (a {@link GraphInterrupt}); the worker turns it into data.
 * @internal
 */
export interface NodePause {
  readonly [PAUSE]: true;
  readonly index: number;
  readonly value: unknown;
  /** The zod schema the resume value must match. */
  readonly responseSchema?: z.ZodType;
  /** Why the resume value given for this interrupt was refused (it stays pending). */
  readonly rejected?: string;
  /** Durable deadline: how long to wait, and what happens then. */
  readonly deadline?: { timeoutMs: number; onTimeout: InterruptTimeoutAction };
  /** Set when a graph this node called with `invoke()` paused: its thread and pending interrupts (ids unchanged). */
  readonly child?: { workflowId: string; interrupts: InterruptInfo[] };
}

/**
 * The pause a node takes when a graph it called with `invoke()` pauses: the node stops as at `interrupt()`,
 * and the child's interrupts become the parent's, with the same ids.
 * @internal
 */
export function childPause(index: number, workflowId: string, interrupts: InterruptInfo[]): NodePause {
  return new GraphInterrupt({ index, value: interrupts[0]?.value, child: { workflowId, interrupts } });
}

/**
 * The error `interrupt()` throws to stop the node, as LangGraph's: `name` is `"GraphInterrupt"`, `message` the
 * JSON of `interrupts`, and `interrupts` lists `{ value }` (the `id` is given by the workflow once the pause is
 * recorded, so it is not known here). A `catch` that swallows it swallows the pause, as in LangGraph: rethrow it
 * (`if (isGraphInterrupt(e)) throw e;`).
 */
export class GraphInterrupt extends Error implements NodePause {
  readonly [PAUSE] = true as const;
  readonly index: number;
  readonly value: unknown;
  readonly interrupts: Array<{ value: unknown }>;
  readonly responseSchema?: z.ZodType;
  readonly rejected?: string;
  readonly deadline?: { timeoutMs: number; onTimeout: InterruptTimeoutAction };
  readonly child?: { workflowId: string; interrupts: InterruptInfo[] };

  /** @internal */
  constructor(pause: Omit<NodePause, typeof PAUSE>) {
    super(describeInterrupts(pause.child?.interrupts ?? [{ value: pause.value }]));
    this.name = 'GraphInterrupt';
    this.index = pause.index;
    this.value = pause.value;
    this.interrupts = pause.child ? pause.child.interrupts.map((i) => ({ ...i })) : [{ value: pause.value }];
    if (pause.responseSchema) this.responseSchema = pause.responseSchema;
    if (pause.rejected !== undefined) this.rejected = pause.rejected;
    if (pause.deadline) this.deadline = pause.deadline;
    if (pause.child) this.child = pause.child;
  }
}

/** LangGraph's message: the interrupts as indented JSON (a payload that is not JSON is reported later, by name). */
function describeInterrupts(interrupts: unknown[]): string {
  try {
    return JSON.stringify(interrupts, null, 2);
  } catch {
    return 'GraphInterrupt';
  }
}

/** Options of {@link interrupt}. */
export interface InterruptOptions<Resume> {
  /**
   * A zod schema the resume value must match. It is shown to the human as `response_schema` (JSON Schema),
   * checked before the resume is recorded when it comes through the validated Update, and parsed here:
   * `interrupt()` returns the parsed value (unknown keys stripped).
   */
  responseSchema?: z.ZodType<Resume>;
  /**
   * A durable deadline for the human (a Temporal timer; survives restarts): milliseconds or `"30s"`, `"4h"`,
   * `"168h"` for a week. When it passes with no resume, `onTimeout` applies.
   */
  timeout?: number | string;
  /**
   * What happens at the deadline: `{ resume: value }` resumes with that value (recorded in history like a
   * human's answer), `'fail'` fails the run with {@link InterruptTimeoutError} (code `INTERRUPT_TIMEOUT`).
   * @default 'fail'
   */
  onTimeout?: InterruptTimeoutAction;
}

/** What happens when an interrupt's deadline passes. */
export type InterruptTimeoutAction = 'fail' | { resume: unknown };

/**
 * True for the pause `interrupt()` throws and for a {@link NodeInterrupt}, as LangGraph's `isGraphInterrupt`: in a
 * `catch` that wraps either, rethrow it so the node pauses (`if (isGraphInterrupt(e)) throw e;`).
 */
export function isGraphInterrupt(value: unknown): boolean {
  return isNodePause(value) || isNodeInterrupt(value);
}

/** @internal */
export function isNodePause(value: unknown): value is NodePause {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PAUSE] === true;
}

/**
 * Pauses the thread and hands `value` to whoever resumes it; returns the resume value.
 *
 * How it works: the first time, `interrupt()` stops the node, the worker reports the pending
 * interrupt `{ id, value }`, and the workflow waits durably (for days if needed) for the `resume`
 * Signal or Update. On resume the node **re-executes from its first line**, and this call returns the
 * resume value instead of pausing. With several `interrupt()` calls in one node, the k-th call
 * returns the k-th resume value, so code before an `interrupt()` runs again on every resume: keep
 * it idempotent.
 *
 * Do not swallow the pause in a `try/catch`: rethrow anything you do not recognise.
 *
 * @param value JSON payload shown to the human (in `__interrupt__`, `getState`, and the Web UI).
 * @returns The value sent with `Command({ resume })` or `{"resume": <value>}`.
 * @throws {@link InterruptOutsideNodeError} when called outside a node run by a durable-graph worker.
 * @example
 * ```ts
 * const answer = interrupt({ question: 'Approve?', proposed_action: state.proposed_action });
 * return { approved: answer === true };
 * ```
 */
export function interrupt<Resume = unknown, Value = unknown>(
  value?: Value,
  options: InterruptOptions<Resume> = {},
): Resume {
  const context = currentNodeContext();
  if (!context) throw new InterruptOutsideNodeError();
  const index = context.interruptCount++;
  const schema = options.responseSchema;
  if (index < context.resume.length) {
    // A resume may carry chat messages as JSON (e.g. an edited AI message): hand them back as message objects.
    const resume = reviveMessagesDeep(context.resume[index]);
    if (!schema) return resume as Resume;
    const parsed = schema.safeParse(resume);
    if (parsed.success) return parsed.data;
    // Only reachable through the Signal path (the Update path validates first): stay paused, say why.
    throw new GraphInterrupt({ index, value, responseSchema: schema, rejected: formatZodError(parsed.error) });
  }
  let deadline: NodePause['deadline'];
  if (options.timeout !== undefined) {
    const timeoutMs = parseDuration(options.timeout);
    if (timeoutMs === undefined)
      throw new InvalidInterruptError(
        `interrupt() in node "${context.node}" (thread "${context.threadId}") has an invalid timeout ${JSON.stringify(options.timeout)}; use milliseconds or "30s", "15m", "4h".`,
        { threadId: context.threadId, node: context.node },
      );
    deadline = { timeoutMs, onTimeout: options.onTimeout ?? 'fail' };
  }
  throw new GraphInterrupt({
    index,
    value,
    ...(schema ? { responseSchema: schema } : {}),
    ...(deadline ? { deadline } : {}),
  });
}

/** One line per zod issue: `path: message`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
}
