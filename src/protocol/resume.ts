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

/** True for an object whose keys are all interrupt ids: the `{ [id]: value }` form (LangGraph R16, R20). */
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
    return { ok: false, reason: 'no_pending', message: `Thread "${threadId}" has no pending interrupt; the resume was not applied.` };
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
