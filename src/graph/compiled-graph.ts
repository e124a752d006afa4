/**
 * CompiledGraph: the validated graph. It carries the serialisable {@link GraphSpec} (what the engine
 * interprets) and the user's functions (what workers run). Hand it to `createWorker({ graphs })` and
 * to `GraphClient#graph()`.
 */
import {
  InterruptOutsideNodeError,
  InvalidInputError,
  InvalidUpdateError,
  ReducerFailedError,
  describe,
} from '../errors.js';
import { applyBuiltinReducer, clearFieldWrite, isClearFieldWrite } from '../protocol/reducers.js';
import type { GraphSpec } from '../protocol/spec.js';
import { toWireMessages } from './message-codec.js';
import { currentNodeContext } from './node-context.js';
import type { FieldInfo, StateSchema } from './state.js';
import type { NodeFn, NodeOptions, Router, StateOf, WritesOf } from './types.js';

/** @internal */
export interface NodeDef {
  name: string;
  fn: NodeFn<unknown, unknown>;
  options: NodeOptions;
  /** Set when the node is a compiled graph: it runs as a Temporal child workflow. */
  subgraph?: AnyCompiledGraph;
}

/** @internal */
export interface BranchDef {
  source: string;
  router: Router<unknown>;
  pathMap?: Record<string, string> | string[];
}

/** Options of {@link CompiledGraph.invoke}; a LangGraph config passed along (e.g. the node's `config`) is accepted and ignored. */
export interface GraphInvokeOptions {
  /** Maximum supersteps of the child run. @default 25 */
  recursionLimit?: number;
  [key: string]: unknown;
}

/**
 * A compiled graph. Threads run on Temporal, so start them with
 * `(await GraphClient.connect()).graph(compiled).invoke(input, config)`; its own {@link CompiledGraph.invoke}
 * works only inside a node, where it runs the graph as a child thread.
 *
 * @typeParam S - the zod object schema (or LangGraph AnnotationRoot) of the state.
 * @typeParam N - the graph's node names.
 */
export class CompiledGraph<S extends StateSchema = StateSchema, N extends string = string> {
  /** The graph's name, also the Temporal Workflow Type of its threads. */
  readonly name: string;
  readonly schema: S;
  /** The serialisable shape the engine interprets; recorded in history at the start of each run. */
  readonly spec: GraphSpec;
  /** @internal */
  readonly nodes: ReadonlyMap<string, NodeDef>;
  /** @internal */
  readonly branches: readonly BranchDef[];
  /** @internal */
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Phantom member carrying the node names for type inference. @internal */
  declare readonly __nodes?: N;

  /** @internal Use `StateGraph#compile()`. */
  constructor(schema: S, spec: GraphSpec, nodes: Map<string, NodeDef>, branches: BranchDef[], fields: FieldInfo[]) {
    this.name = spec.name;
    this.schema = schema;
    this.spec = spec;
    this.nodes = nodes;
    this.branches = branches;
    this.fields = new Map(fields.map((f) => [f.name, f]));
  }

  /**
   * Runs this graph from inside a node function as a child thread and resolves to its final state, as
   * `await subgraph.invoke(input)` in a LangGraph node.
   *
   * The child is a Workflow of its own on the same task queue, with the Workflow Id
   * `<thread>/<node>/<task id prefix>/<k>` for the k-th `invoke()` of the node's execution (from 0), so every
   * Worker of that queue must host this graph: list it in `createWorker({ graphs: [parent, child] })`. When the
   * child pauses at `interrupt()`, the node pauses with the child's interrupts (same ids). On resume the node
   * re-executes from its first line (code before `invoke()` runs again: keep it idempotent, or use `step()`)
   * while the child resumes where it paused, and `invoke()` returns its final state. A child that already
   * finished is not run again. The node's `timeout` covers the child's whole run.
   *
   * @param input Fields of this graph's state.
   * @throws {@link InterruptOutsideNodeError} outside a node run by a durable-graph Worker; there, use `GraphClient`.
   * @throws {@link InvalidInputError} when `input` does not match this graph's state.
   * @example
   * ```ts
   * .addNode('review', async (s) => {
   *   const out = await reviewGraph.invoke({ draft: s.draft });
   *   return { verdict: out.verdict };
   * })
   * ```
   */
  async invoke(input: WritesOf<StateOf<S>>, options: GraphInvokeOptions = {}): Promise<StateOf<S>> {
    const context = currentNodeContext();
    if (!context?.invokeGraph) {
      throw new InterruptOutsideNodeError(
        `invoke() of graph "${this.name}" was called outside a node. Inside a function passed to addNode() it runs the graph as a child thread; ` +
          `elsewhere, run a thread with (await GraphClient.connect()).graph(graph).invoke(input, { configurable: { thread_id } }) from "durable-graph/client", ` +
          `or add the graph itself as a node: addNode(name, graph).`,
      );
    }
    const recursionLimit = typeof options.recursionLimit === 'number' ? { recursionLimit: options.recursionLimit } : {};
    return (await context.invokeGraph(this as unknown as AnyCompiledGraph, input, recursionLimit)) as StateOf<S>;
  }

  /**
   * Checks a state input against the schema (every key known, every value valid) and returns the
   * parsed values.
   * @throws {@link InvalidInputError} naming every offending field.
   */
  parseInput(input: unknown, threadId?: string): Record<string, unknown> {
    return this.#parseWrite(
      input,
      (message) =>
        new InvalidInputError(
          `Input for graph "${this.name}"${threadId ? ` (thread "${threadId}")` : ''} is invalid: ${message}`,
          threadId ? { threadId } : {},
        ),
    );
  }

  /**
   * Checks a node's update the same way.
   * @throws {@link InvalidUpdateError} naming the node and every offending field.
   * @internal
   */
  parseUpdate(update: unknown, node: string, threadId: string): Record<string, unknown> {
    return this.#parseWrite(
      update,
      (message) =>
        new InvalidUpdateError(
          `Node "${node}" of graph "${this.name}" (thread "${threadId}") returned an invalid update: ${message}`,
          { threadId, node },
        ),
    );
  }

  /**
   * Merges writes into values with the fields' reducers, in order; returns a new object.
   * @internal
   */
  applyWrites(
    values: Record<string, unknown>,
    writes: readonly Record<string, unknown>[],
    threadId?: string,
  ): Record<string, unknown> {
    const next = { ...values };
    for (const write of writes) {
      for (const [key, value] of Object.entries(write)) {
        const field = this.fields.get(key);
        try {
          // Message writes are already wire JSON here: merge them exactly as the engine does.
          if (field?.reducerKind === 'messages') next[key] = applyBuiltinReducer('messages', next[key], value);
          else if (!field?.reducer && isClearFieldWrite(value)) delete next[key];
          else next[key] = field?.reducer ? field.reducer(next[key], value) : value;
        } catch (error) {
          // A reducer is deterministic: retrying cannot help, so say which one failed and stop.
          throw new ReducerFailedError(
            `The reducer of state field "${key}" in graph "${this.name}"${threadId ? ` (thread "${threadId}")` : ''} threw: ${(error as Error)?.message ?? String(error)}. Fix the reducer; it must accept every write the nodes send.`,
            { ...(threadId ? { threadId } : {}), cause: error },
          );
        }
      }
    }
    return next;
  }

  #parseWrite(write: unknown, fail: (message: string) => Error): Record<string, unknown> {
    if (write === undefined || write === null) return {};
    if (typeof write !== 'object' || Array.isArray(write))
      throw fail(`expected an object of state fields, got ${describe(write)}.`);
    const out: Record<string, unknown> = {};
    const issues: string[] = [];
    for (const [key, value] of Object.entries(write)) {
      const field = this.fields.get(key);
      if (!field) {
        issues.push(`"${key}" is not a field of the state (fields: ${[...this.fields.keys()].join(', ')})`);
        continue;
      }
      if (value === undefined) {
        // LangGraph writes undefined to the field: a last-value field is cleared. A reducer would get undefined as a
        // write (appendReducer would append it), which cannot travel as JSON: refuse it rather than ignore it.
        if (field.reducerKind === 'last') out[key] = clearFieldWrite();
        else
          issues.push(
            `"${key}": undefined cannot be merged by the field's reducer; leave the key out to write nothing, or write an empty value ([] appends nothing)`,
          );
        continue;
      }
      if (!field.updateSchema) {
        out[key] = value;
        continue;
      }
      const parsed = field.updateSchema.safeParse(value);
      if (parsed.success && field.reducerKind === 'messages') {
        // Messages leave as wire JSON, each with an id (given here, on Node, never in the workflow).
        try {
          out[key] = toWireMessages(parsed.data);
        } catch (error) {
          issues.push(`"${key}"${(error as Error).message.startsWith('[') ? '' : ': '}${(error as Error).message}`);
        }
      } else if (parsed.success) out[key] = parsed.data;
      else
        issues.push(
          `"${key}": ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ')}`,
        );
    }
    if (issues.length) throw fail(issues.join('; ') + '.');
    return out;
  }
}

/** True for a compiled graph from any copy of the package (used to tell a subgraph node from a function). */
export function isCompiledGraph(value: unknown): value is AnyCompiledGraph {
  return (
    typeof value === 'object' &&
    value !== null &&
    'spec' in value &&
    'nodes' in value &&
    typeof (value as { name?: unknown }).name === 'string' &&
    (value as { nodes: unknown }).nodes instanceof Map
  );
}

/** The graph and every subgraph used as a node in it, depth first, each once. */
export function withSubgraphs(graphs: readonly AnyCompiledGraph[]): AnyCompiledGraph[] {
  const out = new Map<string, AnyCompiledGraph>();
  const visit = (graph: AnyCompiledGraph) => {
    if (out.has(graph.name)) return;
    out.set(graph.name, graph);
    for (const node of graph.nodes.values()) if (node.subgraph) visit(node.subgraph);
  };
  graphs.forEach(visit);
  return [...out.values()];
}

/** Any compiled graph, whatever its state schema and node names (for APIs that host several graphs). */
export type AnyCompiledGraph = CompiledGraph<StateSchema, string>;
