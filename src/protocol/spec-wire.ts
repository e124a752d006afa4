/**
 * The graph spec as history records it: {@link GraphSpec} with every default and everything derivable left out, so
 * that a thread's start event holds its shape in a few hundred bytes instead of a few thousand. Left out: the name
 * of the run's own graph (its Workflow Type), the hash (computed again), spec version 1, default node options, and
 * a chain of plain edges is written as one path. `unpackSpec(packSpec(s), s.name)` is `s`, field for field.
 * Plain JSON; sandbox-safe.
 */
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  LEGACY_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  type ChannelSpec,
  type GraphSpec,
  type NodeSpec,
  type ReducerKind,
  type RetryPolicySpec,
  hashSpec,
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

/** A path `[a, b, c]` is the plain edges a → b and b → c; `{ join, to }` is the edge from every node of `join`. */
export type WireEdge = string[] | { join: string[]; to: string };

/** `[source, destinations]`: `null` destinations when the router has no path map. */
export type WireBranch = [source: string, destinations: string[] | null];

/** A state field: its reducer alone when it has no default. */
export type WireChannel = ReducerKind | { reducer: ReducerKind; default: unknown };

export interface WireSpec {
  /** Absent: 1. */
  specVersion?: number;
  /** Absent for the run's own graph, whose name is the Workflow Type; set on a subgraph's spec. */
  name?: string;
  nodes: WireNode[];
  edges: WireEdge[];
  /** Absent when the graph has no conditional edges. */
  branches?: WireBranch[];
  channels: Record<string, WireChannel>;
  interruptBefore?: string[];
  interruptAfter?: string[];
  publishPauses?: false;
  onNodeFailure?: 'fail';
  /** The heartbeat timeout of nodes that set none; absent: {@link LEGACY_HEARTBEAT_TIMEOUT_MS} (a 0.1 spec). */
  heartbeatTimeoutMs?: number;
}

/** The spec without its defaults, as it is written into history; `named` keeps its name (a subgraph's spec). */
export function packSpec(spec: GraphSpec, named = false): WireSpec {
  const wire: WireSpec = {
    ...(spec.specVersion !== 1 ? { specVersion: spec.specVersion } : {}),
    ...(named ? { name: spec.name } : {}),
    nodes: spec.nodes.map(packNode),
    edges: packEdges(spec.edges),
    heartbeatTimeoutMs: DEFAULT_HEARTBEAT_TIMEOUT_MS,
    channels: Object.fromEntries(
      Object.entries(spec.channels).map(([name, c]): [string, WireChannel] => [
        name,
        c.hasDefault ? { reducer: c.reducer, default: c.default } : c.reducer,
      ]),
    ),
  };
  if (spec.branches.length) wire.branches = spec.branches.map((b) => [b.source, b.destinations]);
  if (spec.interruptBefore) wire.interruptBefore = spec.interruptBefore;
  if (spec.interruptAfter) wire.interruptAfter = spec.interruptAfter;
  if (spec.publishPauses === false) wire.publishPauses = false;
  if (spec.onNodeFailure === 'fail') wire.onNodeFailure = 'fail';
  return wire;
}

/**
 * The full spec the engine interprets, from its recorded form; `name` is the graph's when the record has none (the
 * run's Workflow Type). Fields in the order `compile()` writes them, so the hash comes out the same.
 */
export function unpackSpec(wire: WireSpec, name: string): GraphSpec {
  const branches = (wire.branches ?? []).map(([source, destinations]) => ({ source, destinations }));
  const body: Omit<GraphSpec, 'hash'> = {
    specVersion: (wire.specVersion ?? 1) as GraphSpec['specVersion'],
    name: wire.name ?? name,
    nodes: wire.nodes.map((node) => unpackNode(node, branches, wire.heartbeatTimeoutMs ?? LEGACY_HEARTBEAT_TIMEOUT_MS)),
    edges: unpackEdges(wire.edges),
    branches,
    channels: Object.fromEntries(
      Object.entries(wire.channels).map(([field, c]): [string, ChannelSpec] => [
        field,
        typeof c === 'string'
          ? { reducer: c, hasDefault: false }
          : { reducer: c.reducer, hasDefault: true, default: c.default },
      ]),
    ),
  };
  if (wire.interruptBefore) body.interruptBefore = wire.interruptBefore;
  if (wire.interruptAfter) body.interruptAfter = wire.interruptAfter;
  if (wire.publishPauses === false) body.publishPauses = false;
  if (wire.onNodeFailure === 'fail') body.onNodeFailure = 'fail';
  return { ...body, hash: hashSpec(body) };
}

/** Plain edges that follow each other (a → b, b → c) become one path; a join stays an edge of its own. */
function packEdges(edges: GraphSpec['edges']): WireEdge[] {
  const wire: WireEdge[] = [];
  let path: string[] | undefined;
  for (const { from, to } of edges) {
    if (from.length !== 1) {
      path = undefined;
      wire.push({ join: [...from], to });
    } else if (path && path[path.length - 1] === from[0]) path.push(to);
    else wire.push((path = [from[0]!, to]));
  }
  return wire;
}

function unpackEdges(wire: WireEdge[]): GraphSpec['edges'] {
  return wire.flatMap((edge) =>
    Array.isArray(edge)
      ? edge.slice(1).map((to, i) => ({ from: [edge[i]!], to }))
      : [{ from: [...edge.join], to: edge.to }],
  );
}

/**
 * The spec a record holds, in the recorded form or as a whole `GraphSpec` (`compiled.spec`, which a starter without
 * durable-graph's client may pass as the input's `spec`); undefined when it is neither (any client can write history
 * and start runs, so readers check).
 */
export function readSpec(value: unknown, name: string): GraphSpec | undefined {
  if (isGraphSpec(value)) return value;
  if (!isWireSpec(value)) return undefined;
  try {
    return unpackSpec(value, name);
  } catch {
    return undefined; // a node or channel entry of the wrong shape
  }
}

/** Whether `value` has the recorded form's shape. */
export function isWireSpec(value: unknown): value is WireSpec {
  const spec = value as Partial<WireSpec> | null | undefined;
  return (
    !!spec &&
    typeof spec === 'object' &&
    (spec.name === undefined || typeof spec.name === 'string') &&
    Array.isArray(spec.nodes) &&
    spec.nodes.every((n) => typeof n === 'string' || typeof (n as { name?: unknown } | null)?.name === 'string') &&
    Array.isArray(spec.edges) &&
    spec.edges.every((e) =>
      Array.isArray(e)
        ? e.length >= 2 && e.every((n) => typeof n === 'string')
        : !!e && Array.isArray(e.join) && e.join.every((n) => typeof n === 'string') && typeof e.to === 'string',
    ) &&
    (spec.branches === undefined || Array.isArray(spec.branches)) &&
    !!spec.channels &&
    typeof spec.channels === 'object'
  );
}

function isGraphSpec(value: unknown): value is GraphSpec {
  const spec = value as Partial<GraphSpec> | null | undefined;
  return (
    !!spec &&
    typeof spec === 'object' &&
    typeof spec.name === 'string' &&
    typeof spec.hash === 'string' &&
    Array.isArray(spec.nodes) &&
    spec.nodes.every(
      (n) => typeof n?.name === 'string' && typeof n.retryPolicy === 'object' && Array.isArray(n.ends),
    ) &&
    Array.isArray(spec.edges) &&
    spec.edges.every((e) => Array.isArray(e?.from) && typeof e.to === 'string') &&
    Array.isArray(spec.branches) &&
    !!spec.channels &&
    typeof spec.channels === 'object'
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
  if (node.subgraph) wire.subgraph = packSpec(node.subgraph, true);
  return Object.keys(wire).length === 1 ? node.name : wire;
}

function unpackNode(wire: WireNode, branches: GraphSpec['branches'], heartbeatTimeoutMs: number): NodeSpec {
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
    heartbeatTimeoutMs: node.heartbeatTimeoutMs ?? heartbeatTimeoutMs,
    // Conditional edges run in their source node's Activity: the count follows from the graph's branches.
    branches: branches.filter((b) => b.source === node.name).length,
  };
  if (node.subgraph) spec.subgraph = unpackSpec(node.subgraph, node.subgraph.name ?? '');
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
