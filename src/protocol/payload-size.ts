/**
 * How large a value sent to or from a thread may be. Temporal refuses a payload over 2 MiB, and all the commands of
 * one workflow task over 4 MB; a value sent to a thread travels in several of them at once (a resume value in the
 * node's result, the next node's input and the state the caller gets back), and a workflow task over that size ends
 * the run. So each value is checked against a lower limit where it enters: by the client and the CLI before sending,
 * and by the worker before a node's result is recorded. Sandbox-safe: pure functions.
 */
import { PayloadTooLargeError } from '../errors.js';

/** The most a value sent to or from a thread may have, in bytes of its JSON. */
export const MAX_VALUE_BYTES = 1024 * 1024;
/**
 * The most a thread's whole state may hold without External Storage: it travels in each node's Activity input and in a
 * continued run's input, under Temporal's 2 MiB per payload, with room for the rest of that input.
 */
export const MAX_STATE_BYTES = 1.5 * 1024 * 1024;

/**
 * The most an input or a node's result may have when the process has External Storage: such a value travels as a
 * claim, not in history, so the limit is what a worker can hold and store several times over, not Temporal's. Resume
 * values and state edits stay under {@link MAX_VALUE_BYTES}: the engine checks them, and it cannot see the data
 * converter.
 */
export const MAX_STORED_VALUE_BYTES = 64 * 1024 * 1024;

/** The UTF-8 length of `value`'s JSON (0 for what JSON leaves out). */
function jsonBytes(value: unknown): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return 0; // not JSON: its own check says so
  }
  if (text === undefined) return 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * When `value`'s JSON is larger than a thread may carry: its size and the sentence that says so (`what` first, in
 * sizes a person reads), for each caller to say what happened next; undefined when it fits.
 */
export function oversize(
  what: string,
  value: unknown,
  limit = MAX_VALUE_BYTES,
): { bytes: number; sentence: string } | undefined {
  const bytes = jsonBytes(value);
  if (bytes <= limit) return undefined;
  const allowed =
    limit === MAX_VALUE_BYTES
      ? 'a value sent to or from a thread may have'
      : limit === MAX_STATE_BYTES
        ? "a thread's state may have without External Storage"
        : 'a value sent to or from a thread may have with External Storage';
  const sentence = `${what} is ${size(bytes)} of JSON, ${size(bytes - limit)} over the ${size(limit)} ${allowed}`;
  return { bytes, sentence };
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/**
 * Refuses a value before it is sent to a thread when its JSON is larger than a thread may carry.
 * @param what The value in words, for the message ("the resume value").
 * @throws {@link PayloadTooLargeError}, saying nothing was sent.
 */
export function checkValueSize(threadId: string, what: string, value: unknown, limit = MAX_VALUE_BYTES): void {
  const found = oversize(what.charAt(0).toUpperCase() + what.slice(1), value, limit);
  if (!found) return;
  const storage =
    limit === MAX_VALUE_BYTES
      ? ', or turn on External Storage (docs/storage.md) for large inputs and node results'
      : '';
  throw new PayloadTooLargeError(
    `${found.sentence}: nothing was sent to thread ` +
      `"${threadId}". Keep large data out of the thread: store it elsewhere (a file, a bucket, a database) and send ` +
      `its reference${storage}.`,
    { threadId, what, bytes: found.bytes, limit },
  );
}

/**
 * Refuses a value a node produced (its result, an interrupt payload, a step() result) when its JSON is larger than a
 * thread may carry: it is not recorded, and the node fails without retries, since a retry would produce it again.
 * @param subject The value in a sentence, with where it came from ("The interrupt payload of node \"ask\" in thread …").
 * @param what The value in words, for the error's `what` field.
 * @param advice What to do instead, in the node author's words ("pass its reference").
 * @throws {@link PayloadTooLargeError}
 */
export function checkNodeValueSize(
  where: { threadId: string; node: string },
  subject: string,
  what: string,
  value: unknown,
  advice: string,
  limit = MAX_VALUE_BYTES,
): void {
  const found = oversize(subject, value, limit);
  if (!found) return;
  throw new PayloadTooLargeError(
    `${found.sentence}, so it was not recorded and the node failed without retries. Keep large data out of the ` +
      `thread: store it elsewhere (a file, a bucket, a database) and ${advice}` +
      (limit <= MAX_STATE_BYTES ? ', or turn on External Storage (docs/storage.md) on workers and clients.' : '.'),
    { ...where, what, bytes: found.bytes, limit },
  );
}
