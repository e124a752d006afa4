/**
 * StateGraph: the builder users know from LangGraph.js. It only records what the user asked for;
 * `compile()` validates everything at once and produces a {@link CompiledGraph}.
 */
import { GraphDefinitionError } from '../errors.js';
import { OWN_ACTIVITY_PREFIX } from '../protocol/activities.js';
import { END, START } from '../protocol/spec.js';
import {
  CompiledGraph,
  isCompiledGraph,
  type AnyCompiledGraph,
  type BranchDef,
  type NodeDef,
} from './compiled-graph.js';
import { buildSpec } from './compile.js';
import { isAnnotationRoot, type StateSchema } from './state.js';
import type { EdgeSource, EdgeTarget, NodeFn, NodeOptions, Router, StateOf, UpdateOf } from './types.js';

/** Options of `compile()`. */
export interface CompileOptions {
  /** The graph's name: it is the Temporal Workflow Type of every thread of this graph. Letters, digits, `_ . : -`. */
  name: string;
  /** Static breakpoints: pause before these nodes run; continue with `invoke(null)` or `Command({ resume })`. @default [] */
  interruptBefore?: string[];
  /** Static breakpoints: pause after these nodes ran. @default [] */
  interruptAfter?: string[];
  /**
   * Write each pause to the thread's search attributes (`DurableGraphStatus`, `DurableGraphPendingNodes`) and memo,
   * and take them back at the resume, so `temporal workflow list/describe`, `durable-graph threads` and the audit
   * trail see pending interrupts with no worker running (the ops contract). `false` skips those 4 writes per pause
   * and resume (4 history events, 4 visibility updates on the server, 2 search-attribute upserts that Temporal Cloud
   * bills as actions): for threads that services resume, not people. A pause then shows through the `getState`
   * Query and the Web UI's current details (both need a running worker) and in `invoke`'s result; the audit trail
   * learns what was pending from the Update results only. Recorded in each run's spec when the run starts.
   * @default true
   */
  publishPauses?: boolean;
  /**
   * What a node that fails after its retry policy is spent does to the thread. `'park'` (the default): the run stays
   * open with status `error`, naming the node, the error and the answer it ran with; `invoke(null)` (or
   * `durable-graph retry`) runs it again once the cause is fixed, and the interrupt it ran with can be answered
   * again (`Command({ resume })`, `durable-graph resume`). `'fail'`: the run ends Failed, as LangGraph's `invoke`
   * throws and leaves the thread's last checkpoint behind.
   * @default 'park'
   */
  onNodeFailure?: 'park' | 'fail';
}

/**
 * A graph whose nodes read and update one shared state, described by a zod object schema or by a
 * LangGraph `Annotation.Root({ ... })` / `MessagesAnnotation`.
 *
 * @typeParam S - the zod object schema (or LangGraph AnnotationRoot) of the state.
 * @typeParam N - the names of the nodes added so far (grows with each `addNode`).
 * @example
 * ```ts
 * const graph = new StateGraph(z.object({ topic: z.string(), draft: z.string().optional() }))
 *   .addNode('write', (s) => ({ draft: `About ${s.topic}` }))
 *   .addEdge(START, 'write')
 *   .addEdge('write', END)
 *   .compile({ name: 'writer' });
 * ```
 */
export class StateGraph<S extends StateSchema, N extends string = never> {
  readonly schema: S;
  readonly #nodes = new Map<string, NodeDef>();
  readonly #edges: Array<{ from: string[]; to: string }> = [];
  readonly #branches: BranchDef[] = [];
  readonly #problems: string[] = [];
  /** The state is neither a zod object nor an AnnotationRoot: every field-based check would only add noise, so compile() reports just that. */
  readonly #badSchema: boolean;

  constructor(schema: S) {
    this.schema = schema;
    const problem = stateSchemaProblem(schema);
    if (problem) this.#problems.push(problem);
    this.#badSchema = problem !== undefined;
  }

  /**
   * Adds a node: a function of the state that returns a partial update or a Command, a compiled graph (a subgraph),
   * or a LangChain Runnable such as LangGraph's prebuilt `ToolNode` (called with the state, as LangGraph does).
   */
  addNode<K extends string>(
    name: K,
    fn: NodeFn<StateOf<S>, UpdateOf<S>, N | K> | AnyCompiledGraph | RunnableNode,
    options: NodeOptions<N | K> = {},
  ): StateGraph<S, N | K> {
    if (typeof name !== 'string' || name.length === 0)
      this.#problems.push(`A node name must be a non-empty string (got ${JSON.stringify(name)}).`);
    else if (name === START || name === END) this.#problems.push(`"${name}" is reserved and cannot be a node name.`);
    else if (name.startsWith(OWN_ACTIVITY_PREFIX))
      // A node's Activity Type is its name; this prefix names durable-graph's own Activities.
      this.#problems.push(
        `Node "${name}": names starting with "${OWN_ACTIVITY_PREFIX}" are reserved; rename the node.`,
      );
    else if (this.#nodes.has(name)) this.#problems.push(`Node "${name}" is added twice; node names must be unique.`);
    else if (isCompiledGraph(fn)) {
      // A compiled graph as a node: a subgraph, run as a Temporal child workflow with the parent's state as input.
      const subgraph = fn;
      this.#nodes.set(name, { name, fn: () => undefined, options: options as NodeOptions, subgraph });
    } else if (isRunnable(fn)) {
      // A LangChain Runnable (a prebuilt ToolNode, a chain): the node calls its invoke() with the state, as LangGraph
      // does; interrupt() inside it (a tool asking for approval) pauses the node.
      const runnable = fn as unknown as { invoke(input: unknown, config?: unknown): unknown };
      this.#nodes.set(name, {
        name,
        fn: ((state: unknown, config: { configurable?: unknown }) =>
          runnable.invoke(state, { configurable: config?.configurable })) as NodeDef['fn'],
        options: options as NodeOptions,
      });
    } else if (typeof fn !== 'function') {
      this.#problems.push(nodeProblem(name, fn));
      // Keep the name known, so edges to it are not reported as edges to nowhere on top of this.
      this.#nodes.set(name, { name, fn: () => undefined, options: options as NodeOptions });
    } else this.#nodes.set(name, { name, fn: fn as NodeDef['fn'], options: options as NodeOptions });
    return this as unknown as StateGraph<S, N | K>;
  }

  /** Adds an edge; with an array of sources, `to` runs once all of them have completed (a join). */
  addEdge(from: EdgeSource<N> | Array<EdgeSource<N>>, to: EdgeTarget<N>): this {
    const sources = Array.isArray(from) ? [...from] : [from];
    if (sources.length === 0) this.#problems.push(`addEdge([], "${to}") has no source node.`);
    else this.#edges.push({ from: sources, to });
    return this;
  }

  /**
   * Adds a conditional edge: after `source` runs, `router` picks the next node(s) from the node's own
   * fresh state. With a `pathMap`, the router's result is looked up in it (object) or must be one of it (array).
   */
  addConditionalEdges(
    source: EdgeSource<N>,
    router: Router<StateOf<S>>,
    pathMap?: Record<string, EdgeTarget<N>> | Array<EdgeTarget<N>>,
  ): this {
    if (typeof router !== 'function') {
      this.#problems.push(`The conditional edge from "${source}" needs a router function (got ${typeof router}).`);
      return this;
    }
    const branch: BranchDef = { source, router: router as BranchDef['router'] };
    if (pathMap !== undefined) branch.pathMap = Array.isArray(pathMap) ? [...pathMap] : { ...pathMap };
    this.#branches.push(branch);
    return this;
  }

  /**
   * Validates the graph and returns the runnable {@link CompiledGraph}.
   * @throws {@link GraphDefinitionError} listing every problem found (unknown or unreachable nodes,
   *   duplicate or reserved names, edges to nowhere, a missing name).
   */
  compile(options: CompileOptions): CompiledGraph<S, N> {
    const name = options?.name;
    const problems = [...this.#problems];
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(name)) {
      problems.unshift(
        `compile() needs a name made of letters, digits and _ . : - (got ${JSON.stringify(name)}): ` +
          `compile({ name: "my-graph" }). The name is the Temporal Workflow Type of the graph's threads.`,
      );
    }
    const publishPauses = options?.publishPauses;
    if (publishPauses !== undefined && typeof publishPauses !== 'boolean') {
      problems.push(`compile({ publishPauses }) must be true or false (got ${JSON.stringify(publishPauses)}).`);
    }
    const onNodeFailure = options?.onNodeFailure;
    if (onNodeFailure !== undefined && onNodeFailure !== 'park' && onNodeFailure !== 'fail') {
      problems.push(`compile({ onNodeFailure }) must be "park" or "fail" (got ${JSON.stringify(onNodeFailure)}).`);
    }
    const graphName = typeof name === 'string' && name ? name : '(unnamed)';
    if (this.#badSchema) throw new GraphDefinitionError(graphName, problems);
    const {
      spec,
      problems: specProblems,
      fields,
    } = buildSpec({
      name: graphName,
      schema: this.schema,
      nodes: [...this.#nodes.values()],
      edges: this.#edges,
      branches: this.#branches,
      interruptBefore: options?.interruptBefore ?? [],
      interruptAfter: options?.interruptAfter ?? [],
      publishPauses: publishPauses !== false,
      failRunOnNodeFailure: onNodeFailure === 'fail',
    });
    problems.push(...specProblems);
    if (problems.length > 0) throw new GraphDefinitionError(graphName, problems);
    return new CompiledGraph<S, N>(this.schema, spec, new Map(this.#nodes), [...this.#branches], fields);
  }
}

/** Why `schema` cannot be a state, or undefined for a zod object or a LangGraph AnnotationRoot. */
function stateSchemaProblem(schema: unknown): string | undefined {
  const shape = (schema as { shape?: unknown } | null)?.shape;
  if (
    typeof schema === 'object' &&
    schema !== null &&
    typeof (schema as { safeParse?: unknown }).safeParse === 'function' &&
    typeof shape === 'object' &&
    shape !== null
  )
    return undefined;
  if (isAnnotationRoot(schema)) return undefined;
  return (
    `new StateGraph() got ${describeValue(schema)}; durable-graph's state is a zod object schema. ` +
    `Write the state as z.object({ ... }) (reducers: withReducer(z.array(...), appendReducer, () => []) or .register(registry, { reducer: { fn } })); ` +
    `for chat messages use MessagesZodState (or MessagesZodState.extend({ ... })) from 'durable-graph'. A LangGraph Annotation.Root({ ... }) / MessagesAnnotation is taken too.`
  );
}

/** A LangChain Runnable used as a node (LangGraph's prebuilt `ToolNode`, a chain): it has `invoke` and `lc_namespace`. */
export interface RunnableNode {
  invoke(input: never, config?: never): unknown;
  lc_namespace: string[];
}

/** A LangChain Runnable (has `invoke`), e.g. LangGraph's prebuilt ToolNode. */
function isRunnable(fn: unknown): fn is { invoke(input: unknown, config?: unknown): unknown } {
  return (
    typeof fn === 'object' &&
    fn !== null &&
    typeof (fn as { invoke?: unknown }).invoke === 'function' &&
    'lc_namespace' in fn
  );
}

/** Why a node that is neither a function, a compiled graph nor a Runnable is refused. */
function nodeProblem(name: string, fn: unknown): string {
  const isRunnable = typeof fn === 'object' && fn !== null && typeof (fn as { invoke?: unknown }).invoke === 'function';
  if (!isRunnable) return `Node "${name}" must be a function or a compiled graph (got ${describeValue(fn)}).`;
  const kind = (fn as { constructor?: { name?: string } }).constructor?.name || 'Runnable';
  return (
    `Node "${name}" is a LangChain Runnable (${kind}); durable-graph nodes are functions or compiled graphs. ` +
    `Add a function node that calls it instead: addNode("${name}", (state, config) => ${kind === 'ToolNode' ? 'toolNode' : 'runnable'}.invoke(state)).`
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
}
