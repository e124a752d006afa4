/**
 * Interrupt ids: 32 hex characters (LangGraph's format), derived from the task that raised the interrupt, as
 * LangGraph derives them from the task's namespace. A reset that replays the same run of a task gives its interrupt
 * the same id, so a pause that a rewind re-opens is answered with the id operators were shown.
 * Determinism: a pure function of its arguments.
 */

/** The id of the `nth` (0-based) interrupt id given to task `taskId`. */
export function interruptId(taskId: string, nth: number): string {
  const text = `${taskId}:${nth}`;
  // Four 32-bit FNV-1a lanes with distinct offsets: 128 bits, enough for ids of random (uuid4) task ids.
  const lanes = [0x811c9dc5, 0x050c5d1f, 0x2b9f4a63, 0x6c62272e];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (let l = 0; l < lanes.length; l++) lanes[l] = Math.imul(lanes[l]! ^ c, 0x01000193 + 2 * l) >>> 0;
  }
  return lanes.map((h) => h.toString(16).padStart(8, '0')).join('');
}
