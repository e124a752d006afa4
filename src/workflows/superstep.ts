/**
 * Which nodes run next. The rules live in `src/protocol/triggers.ts`, because the `runLocalSteps` Activity
 * (a segment of local supersteps) applies them too and must agree with the engine exactly.
 * Determinism: pure functions, no Temporal API, no clock, no randomness.
 */
export { inDeclarationOrder, nextTriggers, startTriggers, type CompletedTask, type JoinState } from '../protocol/triggers.js';
