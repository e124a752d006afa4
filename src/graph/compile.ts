/**
 * Validation and spec building for `StateGraph.compile()`: collects every problem at once and turns
 * the builder's records into the serialisable {@link GraphSpec} the engine interprets.
 */
import ms from 'ms';
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  END,
  SPEC_VERSION,
  START,
  hashSpec,
  type BranchSpec,
  type ChannelSpec,
  type GraphSpec,
  type NodeSpec,
  type RetryPolicySpec,
} from '../protocol/spec.js';
import type { BranchDef, NodeDef } from './compiled-graph.js';
import { isAnnotationRoot, readAnnotationFields, readFields, type FieldInfo, type StateSchema } from './state.js';
import type { RetryPolicy } from './types.js';

interface BuildInput {
  name: string;
  schema: StateSchema;
  nodes: NodeDef[];
  edges: Array<{ from: string[]; to: string }>;
  branches: BranchDef[];
  interruptBefore: string[];
  interruptAfter: string[];
  publishPauses: boolean;
  failRunOnNodeFailure: boolean;
}

/** Builds the spec and lists every problem in the definition. */
export function buildSpec(input: BuildInput): { spec: GraphSpec; problems: string[]; fields: FieldInfo[] } {
  const problems: string[] = [];
  const nodeNames = new Set(input.nodes.map((n) => n.name));
  const isTarget = (t: string) => t === END || nodeNames.has(t);
  const isSource = (s: string) => s === START || nodeNames.has(s);

  for (const edge of input.edges) {
    for (const from of edge.from) {
      if (from === END) problems.push(`An edge cannot start at END (edge "${from}" -> "${edge.to}").`);
      else if (!isSource(from)) problems.push(`Edge "${from}" -> "${edge.to}" starts at unknown node "${from}".`);
    }
    if (edge.to === START)
      problems.push(`An edge cannot lead to START (edge from ${edge.from.map((f) => `"${f}"`).join(', ')}).`);
    else if (!isTarget(edge.to))
      problems.push(
        `Edge from ${edge.from.map((f) => `"${f}"`).join(', ')} leads to unknown node "${edge.to}" (edge to nowhere).`,
      );
    if (edge.from.length > 1 && edge.from.includes(START))
      problems.push(`START cannot be part of a join (edge to "${edge.to}").`);
  }

  const branchSpecs: BranchSpec[] = [];
  for (const branch of input.branches) {
    if (!isSource(branch.source)) problems.push(`Conditional edge starts at unknown node "${branch.source}".`);
    let destinations: string[] | null = null;
    if (branch.pathMap !== undefined) {
      destinations = Array.isArray(branch.pathMap) ? branch.pathMap : Object.values(branch.pathMap);
      for (const d of destinations) {
        if (!isTarget(d)) problems.push(`Conditional edge from "${branch.source}" has path to unknown node "${d}".`);
      }
    }
    branchSpecs.push({ source: branch.source, destinations });
  }

  const nodeSpecs: NodeSpec[] = [];
  for (const node of input.nodes) {
    const ends = [...(node.options.ends ?? [])];
    for (const e of ends) if (!isTarget(e)) problems.push(`Node "${node.name}" lists unknown node "${e}" in ends.`);
    const timeoutMs = parseDuration(node.options.timeout ?? DEFAULT_TIMEOUT_MS);
    if (timeoutMs === undefined)
      problems.push(
        `Node "${node.name}" has an invalid timeout ${JSON.stringify(node.options.timeout)}; use milliseconds or "30s", "5m", "1h".`,
      );
    const heartbeatTimeoutMs = parseDuration(node.options.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT_MS);
    if (heartbeatTimeoutMs === undefined)
      problems.push(
        `Node "${node.name}" has an invalid heartbeatTimeout ${JSON.stringify(node.options.heartbeatTimeout)}; use milliseconds or "30s", "5m".`,
      );
    nodeSpecs.push({
      name: node.name,
      ends,
      retryPolicy: toRetrySpec(node.options.retryPolicy, node.name, problems),
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
      heartbeatTimeoutMs: heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
      branches: input.branches.filter((b) => b.source === node.name).length,
      ...(node.subgraph ? { subgraph: node.subgraph.spec } : {}),
      // Recorded only when set, so graphs that do not use the option keep their spec (and hash).
      ...(node.options.local !== undefined ? { local: node.options.local } : {}),
    });
    if (node.subgraph && node.options.local)
      problems.push(`Node "${node.name}" is a subgraph (a child workflow) and cannot be local.`);
    if (node.subgraph && node.subgraph.name === input.name)
      problems.push(
        `Node "${node.name}" uses graph "${input.name}" as its own subgraph; give the subgraph another name.`,
      );
  }

  const hasEntry = input.edges.some((e) => e.from.includes(START)) || input.branches.some((b) => b.source === START);
  if (!hasEntry && nodeNames.size > 0)
    problems.push(`The graph has no entry point: add addEdge(START, "<first node>").`);
  if (nodeNames.size === 0) problems.push('The graph has no nodes: add at least one with addNode().');

  for (const unreachable of findUnreachable(input, nodeNames)) {
    problems.push(
      `Node "${unreachable}" is not reachable from START. Add an edge to it, or list it in the ends option ` +
        `of the node whose Command goes to it: addNode("<from>", fn, { ends: ["${unreachable}"] }).`,
    );
  }

  let fields: FieldInfo[];
  if (isAnnotationRoot(input.schema)) {
    const read = readAnnotationFields(input.schema);
    fields = read.fields;
    problems.push(...read.problems);
  } else fields = readFields(input.schema);
  const channels: Record<string, ChannelSpec> = {};
  for (const field of fields) {
    const channel: ChannelSpec = { reducer: field.reducerKind, hasDefault: false };
    if (field.defaultFn) {
      try {
        const value = field.defaultFn();
        if (!isJsonStable(value))
          problems.push(
            `The default of state field "${field.name}" is not plain JSON; defaults are recorded in history.`,
          );
        channel.default = value;
        channel.hasDefault = true;
      } catch (error) {
        problems.push(`The default of state field "${field.name}" threw: ${(error as Error).message}`);
      }
    }
    channels[field.name] = channel;
  }

  for (const [option, names] of [
    ['interruptBefore', input.interruptBefore],
    ['interruptAfter', input.interruptAfter],
  ] as const) {
    for (const name of names)
      if (!nodeNames.has(name)) problems.push(`compile({ ${option} }) names unknown node "${name}".`);
  }

  const body: Omit<GraphSpec, 'hash'> = {
    specVersion: SPEC_VERSION,
    name: input.name,
    nodes: nodeSpecs,
    edges: input.edges.map((e) => ({ from: [...e.from], to: e.to })),
    branches: branchSpecs,
    channels,
  };
  // Only present when used, so graphs without breakpoints keep the spec (and hash) they always had.
  if (input.interruptBefore.length) body.interruptBefore = [...input.interruptBefore];
  if (input.interruptAfter.length) body.interruptAfter = [...input.interruptAfter];
  if (!input.publishPauses) body.publishPauses = false;
  if (input.failRunOnNodeFailure) body.onNodeFailure = 'fail';
  return { spec: { ...body, hash: hashSpec(body) }, problems, fields };
}

function findUnreachable(input: BuildInput, nodeNames: Set<string>): string[] {
  const reached = new Set<string>([START]);
  let changed = true;
  while (changed) {
    changed = false;
    const reach = (name: string) => {
      if (!reached.has(name)) {
        reached.add(name);
        changed = true;
      }
    };
    for (const edge of input.edges) if (edge.from.every((f) => reached.has(f))) reach(edge.to);
    for (const branch of input.branches) {
      if (!reached.has(branch.source)) continue;
      const destinations =
        branch.pathMap === undefined
          ? [...nodeNames]
          : Array.isArray(branch.pathMap)
            ? branch.pathMap
            : Object.values(branch.pathMap);
      destinations.forEach(reach);
    }
    for (const node of input.nodes) if (reached.has(node.name)) (node.options.ends ?? []).forEach(reach);
  }
  return input.nodes.map((n) => n.name).filter((n) => !reached.has(n));
}

function toRetrySpec(policy: RetryPolicy | undefined, node: string, problems: string[]): RetryPolicySpec {
  // Only the fields the engine uses: others (LangGraph's `jitter`, `logWarning`) would change the hash and nothing else.
  const { maxAttempts, initialInterval, backoffFactor, maxInterval } = policy ?? {};
  const spec: RetryPolicySpec = {
    ...DEFAULT_RETRY_POLICY,
    ...stripUndefined({ maxAttempts, initialInterval, backoffFactor, maxInterval }),
    nonRetryableErrors: [...(policy?.nonRetryableErrors ?? [])],
  };
  if (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1)
    problems.push(`Node "${node}": retryPolicy.maxAttempts must be an integer >= 1.`);
  if (!(spec.initialInterval > 0))
    problems.push(`Node "${node}": retryPolicy.initialInterval must be > 0 milliseconds.`);
  if (!(spec.backoffFactor >= 1)) problems.push(`Node "${node}": retryPolicy.backoffFactor must be >= 1.`);
  if (!(spec.maxInterval >= spec.initialInterval))
    problems.push(`Node "${node}": retryPolicy.maxInterval must be >= initialInterval.`);
  return spec;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Milliseconds from a number (taken as milliseconds) or a duration string in the `ms` package's format, the one
 * Temporal's own Duration options use: "250ms", "30s", "5m", "1h", "1.5h", "2 days"; undefined if invalid.
 */
export function parseDuration(value: unknown): number | undefined {
  let millis: number;
  if (typeof value === 'number') millis = value;
  else if (typeof value === 'string') {
    try {
      millis = ms(value.trim());
    } catch {
      return undefined; // empty, or longer than ms accepts
    }
  } else return undefined;
  // Zero would reach Temporal as "no timeout set" and fail every workflow task.
  return Number.isFinite(millis) && millis > 0 ? millis : undefined;
}

/** True when the value survives a JSON round trip unchanged. */
export function isJsonStable(value: unknown): boolean {
  try {
    return value === undefined || deepEqual(JSON.parse(JSON.stringify(value)), value);
  } catch {
    return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(b) !== Object.prototype && !Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
