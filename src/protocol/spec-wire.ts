/**
 * The graph spec as history records it: {@link GraphSpec} with every default left out, so that a thread's start event
 * holds its shape in a few hundred bytes instead of a few thousand. `unpackSpec(packSpec(s))` is `s`, field for field.
 * Plain JSON; sandbox-safe.
 */
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  type ChannelSpec,
  type GraphSpec,
  type NodeSpec,
  type ReducerKind,
  type RetryPolicySpec,
} from './spec.js';

/** A node: its name alone when all its options are the defaults. */
export type WireNode =
  | string
  | {
      name: string;
      ends?: string[];
      /** Only the fields that differ from {@link DEFAULT_RETRY_POLICY}. */
      retryPolicy?: Partial<RetryPolicySpec>;
      timeoutMs?: number;
      heartbeatTimeoutMs?: number;
      local?: boolean;
      subgraph?: WireSpec;
    };

/** `[from, to]`: `from` is a node name, or the node names of a join. */
export type WireEdge = [from: string | string[], to: string];

/** `[source, destinations]`: `null` destinations when the router has no path map. */
export type WireBranch = [source: string, destinations: string[] | null];

/** A state field: its reducer alone when it has no default. */
export type WireChannel = ReducerKind | { reducer: ReducerKind; default: unknown };

export interface WireSpec {
  specVersion: number;
  name: string;
  nodes: WireNode[];
  edges: WireEdge[];
  /** Absent when the graph has no conditional edges. */
  branches?: WireBranch[];
  channels: Record<string, WireChannel>;
  interruptBefore?: string[];
  interruptAfter?: string[];
  publishPauses?: false;
  hash: string;
}

/** The spec without its defaults, as it is written into history. */
export function packSpec(spec: GraphSpec): WireSpec {
  const wire: WireSpec = {
    specVersion: spec.specVersion,
    name: spec.name,
    nodes: spec.nodes.map(packNode),
    edges: spec.edges.map((e): WireEdge => [e.from.length === 1 ? e.from[0]! : [...e.from], e.to]),
    channels: Object.fromEntries(
      Object.entries(spec.channels).map(([name, c]): [string, WireChannel] => [
        name,
        c.hasDefault ? { reducer: c.reducer, default: c.default } : c.reducer,
      ]),
    ),
    hash: spec.hash,
  };
  if (spec.branches.length) wire.branches = spec.branches.map((b) => [b.source, b.destinations]);
  if (spec.interruptBefore) wire.interruptBefore = spec.interruptBefore;
  if (spec.interruptAfter) wire.interruptAfter = spec.interruptAfter;
  if (spec.publishPauses === false) wire.publishPauses = false;
  return wire;
}

/** The full spec the engine interprets, from its recorded form. */
export function unpackSpec(wire: WireSpec): GraphSpec {
  const branches = (wire.branches ?? []).map(([source, destinations]) => ({ source, destinations }));
  const spec: GraphSpec = {
    specVersion: wire.specVersion as GraphSpec['specVersion'],
    name: wire.name,
    nodes: wire.nodes.map((node) => unpackNode(node, branches)),
    edges: wire.edges.map(([from, to]) => ({ from: typeof from === 'string' ? [from] : [...from], to })),
    branches,
    channels: Object.fromEntries(
      Object.entries(wire.channels).map(([name, c]): [string, ChannelSpec] => [
        name,
        typeof c === 'string'
          ? { reducer: c, hasDefault: false }
          : { reducer: c.reducer, default: c.default, hasDefault: true },
      ]),
    ),
    hash: wire.hash,
  };
  if (wire.interruptBefore) spec.interruptBefore = wire.interruptBefore;
  if (wire.interruptAfter) spec.interruptAfter = wire.interruptAfter;
  if (wire.publishPauses === false) spec.publishPauses = false;
  return spec;
}

/** Whether `value` looks like a recorded spec (any client can write history, so readers check). */
export function isWireSpec(value: unknown): value is WireSpec {
  const spec = value as Partial<WireSpec> | null | undefined;
  return (
    !!spec &&
    typeof spec === 'object' &&
    typeof spec.name === 'string' &&
    typeof spec.hash === 'string' &&
    Array.isArray(spec.nodes) &&
    Array.isArray(spec.edges) &&
    typeof spec.channels === 'object' &&
    spec.nodes.every((n) => typeof n === 'string' || typeof (n as { name?: unknown } | null)?.name === 'string')
  );
}

function packNode(node: NodeSpec): WireNode {
  const wire: Exclude<WireNode, string> = { name: node.name };
  if (node.ends.length) wire.ends = node.ends;
  const retryPolicy = packRetryPolicy(node.retryPolicy);
  if (retryPolicy) wire.retryPolicy = retryPolicy;
  if (node.timeoutMs !== DEFAULT_TIMEOUT_MS) wire.timeoutMs = node.timeoutMs;
  if (node.heartbeatTimeoutMs !== DEFAULT_HEARTBEAT_TIMEOUT_MS) wire.heartbeatTimeoutMs = node.heartbeatTimeoutMs;
  if (node.local !== undefined) wire.local = node.local;
  if (node.subgraph) wire.subgraph = packSpec(node.subgraph);
  return Object.keys(wire).length === 1 ? node.name : wire;
}

function unpackNode(wire: WireNode, branches: GraphSpec['branches']): NodeSpec {
  const node = typeof wire === 'string' ? { name: wire } : wire;
  const spec: NodeSpec = {
    name: node.name,
    ends: [...(node.ends ?? [])],
    retryPolicy: {
      ...DEFAULT_RETRY_POLICY,
      ...node.retryPolicy,
      nonRetryableErrors: [...(node.retryPolicy?.nonRetryableErrors ?? [])],
    },
    timeoutMs: node.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    heartbeatTimeoutMs: node.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    // Conditional edges run in their source node's Activity: the count follows from the graph's branches.
    branches: branches.filter((b) => b.source === node.name).length,
  };
  if (node.subgraph) spec.subgraph = unpackSpec(node.subgraph);
  if (node.local !== undefined) spec.local = node.local;
  return spec;
}

function packRetryPolicy(policy: RetryPolicySpec): Partial<RetryPolicySpec> | undefined {
  const changed: Partial<RetryPolicySpec> = {};
  for (const key of ['maxAttempts', 'initialInterval', 'backoffFactor', 'maxInterval'] as const)
    if (policy[key] !== DEFAULT_RETRY_POLICY[key]) changed[key] = policy[key];
  if (policy.nonRetryableErrors.length) changed.nonRetryableErrors = policy.nonRetryableErrors;
  return Object.keys(changed).length ? changed : undefined;
}
