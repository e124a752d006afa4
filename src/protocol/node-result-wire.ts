/**
 * A node's result as history records it (the node Activity's result, a local run's marker): {@link NodeResult}
 * without its defaults. An update has no `kind` and leaves out `update: null` and an empty `next`; an interrupt
 * leaves out `index: 0`. Plain JSON; sandbox-safe.
 */
import type { LocalRunReceipt, NodeOutcome, NodeResult } from './payloads.js';

type Update = Extract<NodeOutcome, { kind: 'update' }>;
type Interrupt = Extract<NodeOutcome, { kind: 'interrupt' }>;
type Parent = Extract<NodeOutcome, { kind: 'parent' }>;

/** An update: absent `update` is null, absent `next` is none. */
export type WireUpdate = Partial<Omit<Update, 'kind'>> & { kind?: undefined };
/** An interrupt: absent `index` is 0. */
export type WireInterrupt = Omit<Interrupt, 'index'> & { index?: number };

export type WireNodeResult = (WireUpdate | WireInterrupt | Parent) & { receipt?: LocalRunReceipt };

export function packNodeResult(result: NodeResult): WireNodeResult {
  if (result.kind === 'update') {
    const { kind: _kind, update, next, ...rest } = result;
    return { ...(update !== null ? { update } : {}), ...(next.length ? { next } : {}), ...rest };
  }
  if (result.kind === 'interrupt' && result.index === 0) {
    const { index: _index, ...rest } = result;
    return rest;
  }
  return result;
}

export function unpackNodeResult(wire: WireNodeResult): NodeResult {
  if (wire.kind === 'interrupt') return { ...wire, index: wire.index ?? 0 };
  if (wire.kind === 'parent') return wire;
  const { kind: _kind, update, next, ...rest } = wire;
  return { kind: 'update', update: update ?? null, next: next ?? [], ...rest };
}

/** Whether `value` looks like a recorded node result (any client can write history, so readers check). */
export function isWireNodeResult(value: unknown): value is WireNodeResult {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === undefined || kind === 'interrupt' || kind === 'parent';
}
