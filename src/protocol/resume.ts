/**
 * How a resume payload is matched to pending interrupts. Pure, shared by the engine's Signal and
 * Update handlers and by the client, so every path gives the same answer and the same message.
 */
import { describe } from '../errors.js';

export interface PendingInterrupt {
  id: string;
  node: string;
}

export type ResumeMatch =
  | { ok: true; answers: Array<{ id: string; value: unknown }> }
  | { ok: false; reason: 'no_pending' | 'invalid'; message: string };

const INTERRUPT_ID = /^[0-9a-f]{32}$/;

/** True for an object whose keys are all interrupt ids: the `{ [id]: value }` form. */
export function isResumeMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => INTERRUPT_ID.test(k));
}

/** Matches a `{"resume": ...}` payload against the pending interrupts, or says exactly why it cannot. */
export function matchResume(payload: unknown, pending: readonly PendingInterrupt[], threadId: string): ResumeMatch {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !('resume' in payload)) {
    return {
      ok: false,
      reason: 'invalid',
      message: `Resume for thread "${threadId}" must be a JSON object {"resume": <value>}, got ${describe(payload)}.`,
    };
  }
  const value = (payload as { resume: unknown }).resume;
  if (pending.length === 0) {
    return {
      ok: false,
      reason: 'no_pending',
      message: `Thread "${threadId}" has no pending interrupt; the resume was not applied.`,
    };
  }
  const ids = pending.map((p) => p.id);
  const listing = pending.map((p) => `"${p.id}" (node "${p.node}")`).join(', ');
  if (value === undefined || value === null) {
    return {
      ok: false,
      reason: 'invalid',
      message: `Resume for thread "${threadId}" is empty: {"resume": ${describe(value)}}. Send a value, e.g. {"resume": true}. Pending: ${listing}.`,
    };
  }
  if (isResumeMap(value)) {
    const unknown = Object.keys(value).filter((k) => !ids.includes(k));
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: 'invalid',
        message: `Resume for thread "${threadId}" names interrupt id(s) ${unknown.map((u) => `"${u}"`).join(', ')} that are not pending. Pending: ${listing}.`,
      };
    }
    return { ok: true, answers: Object.entries(value).map(([id, v]) => ({ id, value: v })) };
  }
  if (pending.length > 1) {
    return {
      ok: false,
      reason: 'invalid',
      message:
        `Thread "${threadId}" has ${pending.length} pending interrupts, so a plain resume value is ambiguous. ` +
        `Answer them by id: {"resume": {${ids.map((id) => `"${id}": <value>`).join(', ')}}}. Pending: ${listing}.`,
    };
  }
  return { ok: true, answers: [{ id: ids[0]!, value }] };
}

/** What the engine is waiting for when a command arrives. */
export interface PauseView {
  pending: readonly PendingInterrupt[];
  /** Set while the thread is stopped: at an interrupt, at a static breakpoint before/after nodes, or parked on a failed node. */
  pausedAt?: 'interrupt' | 'before' | 'after' | 'error';
  /** Parked (`pausedAt: 'error'`): the nodes that failed, with their errors. */
  failed?: ReadonlyArray<{ node: string; message: string }>;
  /** The graph's node names, to check `goto`. */
  nodes: readonly string[];
  /** Pauses raised by `NodeInterrupt`: they keep the thread paused but take no resume value. */
  nodeInterrupts?: ReadonlyArray<{ node: string; value: unknown }>;
}

/** A command the engine can apply: answers to interrupts, a state update, extra nodes, or "continue". */
export interface AcceptedCommand {
  answers: Array<{ id: string; value: unknown }>;
  /** A resume sent while paused at a breakpoint: kept for the first `interrupt()` of the node. */
  breakpointResume?: { value: unknown };
  update?: Record<string, unknown>;
  goto: string[];
  /** True when the command had no resume: re-run the paused tasks, or continue past a breakpoint. */
  proceed: boolean;
}

export type CommandMatch =
  ({ ok: true } & AcceptedCommand) | { ok: false; reason: 'no_pending' | 'invalid'; message: string };

const COMMAND_KEYS = new Set(['resume', 'update', 'goto', 'configurable']);

/**
 * Matches a Command payload (`{"resume"?, "update"?, "goto"?}`) against the thread's pause. Shared by the
 * engine's Signal and Update handlers so both give the same answer and message.
 */
export function matchCommand(payload: unknown, pause: PauseView, threadId: string): CommandMatch {
  const shape = `Resume for thread "${threadId}" must be a JSON object {"resume": <value>} (optionally with "update": {...} and "goto": [...]), got ${describe(payload)}.`;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { ok: false, reason: 'invalid', message: shape };
  const extra = Object.keys(payload).filter((k) => !COMMAND_KEYS.has(k));
  if (extra.length > 0) return { ok: false, reason: 'invalid', message: shape };
  const command = payload as { resume?: unknown; update?: unknown; goto?: unknown };
  const paused = pause.pending.length > 0 || pause.pausedAt !== undefined;
  if (!paused) {
    return {
      ok: false,
      reason: 'no_pending',
      message: `Thread "${threadId}" has no pending interrupt; the resume was not applied.`,
    };
  }
  const { configurable } = payload as { configurable?: unknown };
  if (
    configurable !== undefined &&
    (typeof configurable !== 'object' || configurable === null || Array.isArray(configurable))
  ) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The "configurable" of a command for thread "${threadId}" must be an object of config keys, got ${describe(configurable)}.`,
    };
  }
  if (
    command.update !== undefined &&
    (typeof command.update !== 'object' || command.update === null || Array.isArray(command.update))
  ) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The "update" of a command for thread "${threadId}" must be an object of state fields, got ${describe(command.update)}.`,
    };
  }
  const goto = command.goto === undefined ? [] : Array.isArray(command.goto) ? command.goto : [command.goto];
  const badGoto = goto.filter((g) => typeof g !== 'string' || !pause.nodes.includes(g));
  if (badGoto.length > 0) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The "goto" of a command for thread "${threadId}" names unknown node(s) ${badGoto.map((g) => describe(g)).join(', ')}. Nodes: ${pause.nodes.join(', ')}.`,
    };
  }
  const accepted: AcceptedCommand = { answers: [], goto: goto as string[], proceed: !('resume' in command) };
  if (command.update !== undefined) accepted.update = command.update as Record<string, unknown>;
  if ('resume' in command) {
    if (pause.pending.length === 0 && pause.pausedAt === 'error') return parkedResume(pause.failed ?? [], threadId);
    if (pause.pending.length === 0 && pause.nodeInterrupts?.length)
      return nodeInterruptResume(pause.nodeInterrupts, threadId);
    if (pause.pending.length === 0) {
      // Paused at a breakpoint: nothing to answer, the value waits for the node's first interrupt().
      if (command.resume === undefined || command.resume === null) {
        return {
          ok: false,
          reason: 'invalid',
          message: `Resume for thread "${threadId}" is empty: {"resume": ${describe(command.resume)}}. Send a value, or {} to continue past the breakpoint.`,
        };
      }
      accepted.breakpointResume = { value: command.resume };
    } else {
      const match = matchResume(command, pause.pending, threadId);
      if (!match.ok) return match;
      accepted.answers = match.answers;
    }
  }
  return { ok: true, ...accepted };
}

/**
 * A resume value sent while the only pauses are NodeInterrupts: refused, never dropped. LangGraph ignores the
 * value and runs the node again; here the caller learns that the value had nowhere to go, and how to go on.
 */
function nodeInterruptResume(paused: ReadonlyArray<{ node: string; value: unknown }>, threadId: string): CommandMatch {
  const where = paused.map((p) => `node "${p.node}" (${describe(p.value)})`).join(', ');
  return {
    ok: false,
    reason: 'invalid',
    message:
      `Thread "${threadId}" is paused by NodeInterrupt in ${where}, which takes no resume value; nothing was applied. ` +
      `Run the node again with invoke(null) (the resume Signal {}), or change the state first: updateState(config, values) then invoke(null), or new Command({ update }) without resume.`,
  };
}

/**
 * A resume value sent to a thread parked on failed nodes that ran with no answer to give again: refused, never
 * dropped. Retrying the node (a command without resume) is the way on.
 */
function parkedResume(failed: ReadonlyArray<{ node: string; message: string }>, threadId: string): CommandMatch {
  const where = failed.map((f) => `node "${f.node}" (${f.message})`).join(', ') || 'a failed node';
  return {
    ok: false,
    reason: 'invalid',
    message:
      `Thread "${threadId}" is parked on ${where}, which did not run with an answer to an interrupt; a resume value has nowhere to go and nothing was applied. ` +
      `Run the node again with invoke(null) (the resume Signal {}) once the cause is fixed, or change the state first with updateState(config, values).`,
  };
}
