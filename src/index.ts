/**
 * durable-graph: LangGraph-style graphs that run as durable Temporal Workflows.
 *
 * @module
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { StateGraph, START, END, interrupt } from 'durable-graph';
 *
 * export const approvalGraph = new StateGraph(z.object({ request: z.string(), approved: z.boolean().optional() }))
 *   .addNode('human_review', () => ({ approved: interrupt<boolean>({ question: 'Approve?' }) }))
 *   .addEdge(START, 'human_review')
 *   .addEdge('human_review', END)
 *   .compile({ name: 'approval' });
 * ```
 * Run it with `createWorker` from `durable-graph/worker` and `GraphClient` from `durable-graph/client`.
 */
export { StateGraph, type CompileOptions, type RunnableNode } from './graph/state-graph.js';
export { CompiledGraph, type GraphInvokeOptions } from './graph/compiled-graph.js';
export { START, END } from './protocol/spec.js';
export { GraphInterrupt, interrupt, isGraphInterrupt, type InterruptOptions } from './graph/interrupt.js';
export { NodeInterrupt } from './graph/node-interrupt.js';
export { step } from './graph/step.js';
export { idempotencyKey } from './graph/idempotency-key.js';
export { Send, isSend } from './graph/send.js';
export { Command, isCommand, type CommandParams } from './graph/command.js';
export {
  registry,
  withReducer,
  appendReducer,
  type Reducer,
  type StateFieldMeta,
  type StateSchema,
} from './graph/state.js';
export type { NodeFn, NodeConfig, NodeOptions, RetryPolicy, Router, StateOf, UpdateOf } from './graph/types.js';
export { INTERRUPT, isInterrupted } from './graph/interrupted.js';
export {
  DurableGraphError,
  ErrorCode,
  GraphDefinitionError,
  UnknownGraphError,
  UnknownNodeError,
  InvalidInputError,
  InvalidUpdateError,
  UnserializableValueError,
  InvalidDestinationError,
  InvalidInterruptError,
  ReducerFailedError,
  ConflictingWritesError,
  NoParentGraphError,
  MultipleParentCommandsError,
  InvalidParentCommandError,
  UpdateStateRefusedError,
  MissingThreadIdError,
  ThreadNotFoundError,
  ThreadFinishedError,
  PayloadTooLargeError,
  StorageUnavailableError,
  ThreadBusyError,
  NoPendingInterruptError,
  InvalidResumeError,
  InterruptOutsideNodeError,
  NodeFailedError,
  RecursionLimitError,
  InterruptTimeoutError,
  StreamReadError,
  RewindRefusedError,
  SearchAttributesMissingError,
  ServerUnreachableError,
  ServerBusyError,
  ServerRejectedError,
  isDurableGraphError,
  type ErrorDetails,
  type PendingPause,
  type RewindablePause,
} from './errors.js';
export { ThreadStatus, statusSearchAttribute, pendingNodesSearchAttribute } from './protocol/search-attributes.js';
export type { ThreadState, InterruptInfo, TaskSnapshot, RunInput, ResumeInput } from './protocol/payloads.js';
export type { GraphSpec } from './protocol/spec.js';
export {
  MessagesZodState,
  MessagesZodMeta,
  messagesStateReducer,
  addMessages,
  REMOVE_ALL_MESSAGES,
  type Messages,
  type MessageDict,
} from './graph/messages.js';
