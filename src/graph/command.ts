/**
 * Command: returned by a node to update state and choose where to go next, or passed to invoke() to
 * resume a paused thread. Plain data with a `kind` tag so it survives Temporal's payload converter and
 * duplicate copies of the package (checked with {@link isCommand}, never `instanceof` alone).
 */
import type { Send } from './send.js';

export interface CommandParams<Update = Record<string, unknown>, Nodes extends string = string> {
  /** Value returned by the pending `interrupt()` (or a map `{ [interruptId]: value }`). */
  resume?: unknown;
  /** State update, applied as the node's output (or before the resumed node re-runs). */
  update?: Update;
  /**
   * `Command.PARENT` addresses the parent graph (LangGraph). Returned from a node of a subgraph (a compiled graph
   * added as a node, a child workflow), it ends the subgraph's run at that node: the parent applies `update` as the
   * subgraph node's output, runs `goto` (nodes of the parent graph, or `Send`s) and follows its own edges from the
   * subgraph node. A goto or update field the parent lacks fails the step with `INVALID_PARENT_COMMAND`. As `invoke()`
   * input, or from a graph that is not running as a subgraph, there is no parent graph: refused with
   * `NO_PARENT_GRAPH`.
   */
  graph?: typeof Command.PARENT;
  /** Node(s) to run next; from a node, also `Send`s (one task each, with its own input). */
  goto?: Nodes | Send<Nodes> | Array<Nodes | Send<Nodes>>;
}

export class Command<Update = Record<string, unknown>, Nodes extends string = string> {
  /** The parent graph, as a `graph` target (LangGraph's `Command.PARENT`). */
  static readonly PARENT = '__parent__' as const;
  readonly kind = 'durable-graph.command' as const;
  readonly lg_name = 'Command' as const;
  // `declare` keeps absent keys absent: `'resume' in command` must mean the caller passed one.
  declare readonly resume?: unknown;
  declare readonly update?: Update;
  declare readonly graph?: typeof Command.PARENT;
  readonly goto: Array<Nodes | Send<Nodes>>;

  constructor(params: CommandParams<Update, Nodes>) {
    if ('resume' in params) (this as { resume?: unknown }).resume = params.resume;
    if (params.update !== undefined) (this as { update?: Update }).update = params.update;
    if (params.graph !== undefined) (this as { graph?: string }).graph = params.graph;
    this.goto = params.goto === undefined ? [] : Array.isArray(params.goto) ? params.goto : [params.goto];
  }

  /** True when the command carries a resume key (even a falsy value). */
  hasResume(): boolean {
    return 'resume' in this;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { lg_name: 'Command', goto: this.goto };
    if (this.hasResume()) out.resume = this.resume;
    if (this.update !== undefined) out.update = this.update;
    return out;
  }
}

/** True for a {@link Command} from any copy of the package (or LangGraph's own, by its tag). */
export function isCommand(value: unknown): value is Command {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { kind?: unknown }).kind === 'durable-graph.command' ||
      (value as { lg_name?: unknown }).lg_name === 'Command')
  );
}
