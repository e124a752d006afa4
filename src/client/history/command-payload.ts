/** Reading a resume payload (`{ resume, update?, goto? }`) as a Signal or an Update carried it, unchecked. */
import { isResumeMap } from '../../protocol/resume.js';

/** The `goto` node names of a command payload (treated as known when the graph's nodes are not). */
export function gotoOf(input: unknown): string[] {
  const goto = (input as { goto?: unknown } | null)?.goto;
  const list = Array.isArray(goto) ? goto : goto === undefined ? [] : [goto];
  return list.filter((g): g is string => typeof g === 'string');
}

/** The `{ [interruptId]: value }` answers of a resume payload, when it has that form. */
export function answersNamedIn(input: unknown): Array<{ id: string; value: unknown }> {
  const resume = (input as { resume?: unknown } | null)?.resume;
  return isResumeMap(resume) ? Object.entries(resume).map(([id, value]) => ({ id, value })) : [];
}
