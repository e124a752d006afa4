/**
 * The error for new input sent to a thread that is running or paused. Its message is built from what the thread
 * waits for, so the caller reads the exact command that continues it; most of this file is that wording.
 */
import { ErrorCode } from './error-code.js';
import { DurableGraphError, type ErrorDetails } from './durable-graph-error.js';

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
      status === 'error'
        ? `Thread "${threadId}" is parked on a node that failed after its retries${pending?.interrupts.length ? ` (it ran with the answer to ${describePause(pending)})` : ''}; new input would be lost. ` +
            `Run the node again with invoke(null, config) once the cause is fixed${pending?.interrupts.length ? ', or answer that interrupt again with invoke(new Command({ resume: <value> }), config)' : ''}. ` +
            `Or pass { abandonPendingInterrupts: true } in the config to drop the failed step and start a new run from the state before it with this input. Inspect it with getState(config).`
        : status === 'interrupted'
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
