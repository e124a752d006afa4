/**
 * Send: run a node once with its own input (LangGraph's map-reduce fan-out). Return Sends from a
 * conditional edge's router, or put them in a node's `Command({ goto })`. Plain data with a tag, so
 * it survives payload conversion and duplicate copies of the package.
 */
export class Send<Node extends string = string, Arg = unknown> {
  readonly lg_name = 'Send' as const;
  readonly node: Node;
  readonly arg: Arg;

  constructor(node: Node, arg: Arg) {
    this.node = node;
    this.arg = arg;
  }

  toJSON(): { lg_name: 'Send'; node: Node; arg: Arg } {
    return { lg_name: 'Send', node: this.node, arg: this.arg };
  }
}

/** True for a {@link Send} from any copy of the package (or LangGraph's own, by its tag). */
export function isSend(value: unknown): value is Send {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { lg_name?: unknown }).lg_name === 'Send' &&
    typeof (value as { node?: unknown }).node === 'string'
  );
}
