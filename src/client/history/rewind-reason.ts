/**
 * The reason a rewind records in history, and how the audit trail reads a reset's reason back. Temporal records no
 * identity for a reset (its WorkflowTaskFailed event says `history-service`, the terminated base run
 * `history-resetter`), so the reason is the only place that can say who rewound and to which pause.
 */

/** What a rewind's reason carries. */
export interface RewindReason {
  /** Who asked for the rewind (the client's Temporal identity); empty when unknown. */
  identity: string;
  /** The pause gone back to, when the reason names it. */
  rewoundTo?: { id: string; node: string };
  /** The words the operator gave, if any. */
  reason: string;
}

const PREFIX = 'durable-graph rewind to interrupt ';
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const OURS = new RegExp(`^${PREFIX}([0-9a-f]{32}) \\(node (${QUOTED})\\) by (${QUOTED})(?:: ([\\s\\S]*))?$`);
/** `temporal workflow reset --reason x` records `<OS user>: x`. */
const STOCK_CLI = /^([^\s:]+): ([\s\S]*)$/;

/**
 * The reason a rewind sends: `durable-graph rewind to interrupt <id> (node "<node>") by "<identity>": <reason>`.
 * Readable as is in the Web UI and `temporal workflow show`; {@link readResetReason} reads it back.
 */
export function formatRewindReason(rewind: Required<Pick<RewindReason, 'rewoundTo'>> & RewindReason): string {
  const { rewoundTo, identity, reason } = rewind;
  const head = `${PREFIX}${rewoundTo.id} (node ${JSON.stringify(rewoundTo.node)}) by ${JSON.stringify(identity)}`;
  return reason ? `${head}: ${reason}` : head;
}

/**
 * Reads a reset's reason: ours in full; the stock CLI's (`temporal workflow reset` puts the OS user name in front of
 * the reason) as that user and the words (and the pause, when the words are ours); any other reason as words, with
 * no identity.
 */
export function readResetReason(message: string): RewindReason {
  const ours = OURS.exec(message);
  if (ours) {
    const [, id, node, identity, reason] = ours;
    return {
      identity: JSON.parse(identity!) as string,
      rewoundTo: { id: id!, node: JSON.parse(node!) as string },
      reason: reason ?? '',
    };
  }
  const stock = STOCK_CLI.exec(message);
  if (stock) {
    // `rewind --dry-run` prints the stock command with our reason: the pause is ours, the one who ran it the CLI's.
    const inner = OURS.test(stock[2]!) ? readResetReason(stock[2]!) : undefined;
    return inner?.rewoundTo
      ? { identity: stock[1]!, rewoundTo: inner.rewoundTo, reason: inner.reason }
      : { identity: stock[1]!, reason: stock[2]! };
  }
  return { identity: '', reason: message };
}
