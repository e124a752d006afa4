/**
 * Every error class survives Temporal's failure conversion: turned into an ApplicationFailure, encoded as the
 * server stores it, decoded and rebuilt, it has its class, its code, its message and every field it declares.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import * as errors from '../../../src/errors.js';
import { ErrorCode, isDurableGraphError, type DurableGraphError } from '../../../src/errors.js';
import { fromFailure, fromTemporalError, toFailure } from '../../../src/protocol/failures.js';

const where = { threadId: 't-1', node: 'ask' };
const pending = {
  interrupts: [{ id: 'a'.repeat(32), node: 'ask' }],
  nodeInterrupts: [{ node: 'check' }],
  breakpoint: { at: 'before' as const, nodes: ['ship'] },
};

/** One error of each class, with every field set to something other than its default. */
const samples: Record<ErrorCode, () => DurableGraphError> = {
  GRAPH_DEFINITION: () => new errors.GraphDefinitionError('g', ['edge to nowhere', 'no entry point']),
  UNKNOWN_GRAPH: () => new errors.UnknownGraphError('missing', ['a', 'b'], where),
  UNKNOWN_NODE: () => new errors.UnknownNodeError('Node "gone" is not in graph "g".', where),
  INVALID_INPUT: () => new errors.InvalidInputError('Input is wrong.', where),
  INVALID_UPDATE: () => new errors.InvalidUpdateError('Update is wrong.', where),
  UNSERIALIZABLE_VALUE: () => new errors.UnserializableValueError('A Map.', where),
  INVALID_DESTINATION: () => new errors.InvalidDestinationError('Leads nowhere.', where),
  INVALID_INTERRUPT: () => new errors.InvalidInterruptError('Bad timeout.', where),
  REDUCER_FAILED: () => new errors.ReducerFailedError('Reducer threw.', { ...where, cause: new Error('boom') }),
  CONFLICTING_WRITES: () => new errors.ConflictingWritesError('Two writers.', where),
  NO_PARENT_GRAPH: () => new errors.NoParentGraphError('No parent.', where),
  MULTIPLE_PARENT_COMMANDS: () => new errors.MultipleParentCommandsError('Two.', where),
  INVALID_PARENT_COMMAND: () => new errors.InvalidParentCommandError('Unknown goto.', where),
  UPDATE_STATE_REFUSED: () => new errors.UpdateStateRefusedError('Running.', where),
  MISSING_THREAD_ID: () => new errors.MissingThreadIdError(undefined),
  THREAD_NOT_FOUND: () => new errors.ThreadNotFoundError('t-1'),
  THREAD_FINISHED: () => new errors.ThreadFinishedError('t-1', 'failed'),
  THREAD_BUSY: () => new errors.ThreadBusyError('t-1', 'interrupted', pending),
  NO_PENDING_INTERRUPT: () => new errors.NoPendingInterruptError('t-1', 'failed'),
  INVALID_RESUME: () =>
    new errors.InvalidResumeError('Unknown id.', { ...where, pendingIds: ['a'.repeat(32), 'b'.repeat(32)] }),
  INTERRUPT_OUTSIDE_NODE: () => new errors.InterruptOutsideNodeError('Outside.', where),
  NODE_FAILED: () => new errors.NodeFailedError('Node failed.', { ...where, cause: new Error('boom') }),
  RECURSION_LIMIT: () => new errors.RecursionLimitError('t-1', 7),
  SEARCH_ATTRIBUTES_MISSING: () => new errors.SearchAttributesMissingError('ns', ['DurableGraphStatus=Keyword']),
  SERVER_UNREACHABLE: () => new errors.ServerUnreachableError('localhost:1', undefined, 't-1'),
  SERVER_BUSY: () => new errors.ServerBusyError('namespace rate limit exceeded', { threadId: 't-1' }),
  SERVER_REJECTED: () =>
    new errors.ServerRejectedError('FAILED_PRECONDITION', 'Workflow is not running', { threadId: 't-1' }),
  INTERRUPT_TIMEOUT: () => new errors.InterruptTimeoutError('Expired.', where),
  STREAM_READ: () => new errors.StreamReadError('Offset out of range.', { threadId: 't-1' }),
  REWIND_REFUSED: () =>
    new errors.RewindRefusedError('Unknown pause.', {
      threadId: 't-1',
      pauses: [{ id: 'a'.repeat(32), node: 'review', value: { question: 'ok?' }, at: '2025-01-01T00:00:00.000Z' }],
    }),
  PAYLOAD_TOO_LARGE: () =>
    new errors.PayloadTooLargeError('Too large.', {
      threadId: 't-1',
      node: 'draft',
      what: 'node "draft"\'s update',
      bytes: 3_000_000,
      limit: 1_048_576,
    }),
  ENCRYPTION_KEY: () => new errors.EncryptionKeyError('Unknown key.', { threadId: 't-1', keyId: 'k1' }),
  STORAGE_UNAVAILABLE: () =>
    new errors.StorageUnavailableError('Cannot write.', { threadId: 't-1', location: 's3://threads/prod/' }),
};

/** What the server stores and hands back: the failure encoded to its proto form and decoded again. */
function acrossTheWire(failure: unknown): ApplicationFailure {
  const converter = new DefaultFailureConverter();
  const decoded = converter.failureToError(
    converter.errorToFailure(failure, defaultPayloadConverter),
    defaultPayloadConverter,
  );
  assert.ok(decoded instanceof ApplicationFailure);
  return decoded;
}

/** The fields an error declares: its own enumerable properties (code, name, threadId, node and the class's). */
function fields(error: Error): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...error })) as Record<string, unknown>;
}

describe('errors across Temporal', () => {
  it('has a sample for every error code', () => {
    assert.deepEqual(Object.keys(samples).sort(), Object.values(ErrorCode).sort());
  });

  for (const [code, make] of Object.entries(samples)) {
    it(`rebuilds ${code} as its class through its constructor, with every field it declares`, () => {
      const original = make();
      const failure = acrossTheWire(toFailure(original));
      assert.equal(failure.type, code);
      const rebuilt = fromFailure(failure);
      assert.ok(rebuilt);
      assert.ok(isDurableGraphError(rebuilt));
      assert.equal(rebuilt.constructor, original.constructor);
      assert.ok(rebuilt instanceof (original.constructor as new (...args: never[]) => Error));
      assert.equal(rebuilt.code, code);
      assert.equal(rebuilt.message, original.message);
      assert.deepEqual(fields(rebuilt), fields(original));
      assert.ok(Object.keys(fields(original)).length >= 2, 'compares something');
      if (original.cause) assert.match(String((rebuilt.cause as Error | undefined)?.message), /boom/);
    });
  }

  it('fills in the thread id a failure does not name, and leaves a foreign failure alone', () => {
    const rebuilt = fromTemporalError(
      Object.assign(new Error('update failed'), {
        cause: acrossTheWire(toFailure(new errors.UnserializableValueError('x'))),
      }),
      't-9',
    );
    assert.ok(isDurableGraphError(rebuilt));
    assert.equal(rebuilt.threadId, 't-9');
    const foreign = ApplicationFailure.create({ type: 'SomethingElse', message: 'not ours' });
    assert.equal(fromTemporalError(foreign, 't-9'), foreign);
  });

  it('rebuilds a failed Query, which carries only the message, from the code the message ends with', () => {
    const message = new errors.StreamReadError('Offset out of range.').message;
    const rebuilt = fromTemporalError(Object.assign(new Error(message), { code: 3 }), 't-3');
    assert.ok(rebuilt instanceof errors.StreamReadError);
    assert.equal(rebuilt.threadId, 't-3');
    assert.equal(rebuilt.message, message);
    const plain = new Error('Offset [STREAM_READ] somewhere in the middle.');
    assert.equal(fromTemporalError(plain, 't-3'), plain);
  });

  it('marks as non-retryable the codes a retry cannot fix', () => {
    const failure = (error: DurableGraphError) => toFailure(error) as ApplicationFailure;
    assert.equal(failure(new errors.ConflictingWritesError('x')).nonRetryable, true);
    assert.equal(failure(new errors.ThreadBusyError('t', 'running')).nonRetryable, false);
    // Another worker, or the thread moved to another version, can run a node this worker lacks.
    assert.equal(failure(new errors.UnknownNodeError('x')).nonRetryable, false);
  });

  it('keeps a thrown value that is not an Error: its JSON as the message, clipped, and the value in the details', () => {
    const failure = (value: unknown) => acrossTheWire(toFailure(value)) as ApplicationFailure;
    const object = failure({ code: 42 });
    assert.deepEqual(
      [object.message, object.type, object.details, object.nonRetryable],
      ['{"code":42}', 'Object', [{ code: 42 }], false],
    );
    assert.deepEqual([failure('text').message, failure('text').type], ['text', 'string']);
    assert.deepEqual([failure(null).message, failure(null).details], ['null', [null]]);
    assert.deepEqual([failure(undefined).message, failure(undefined).details], ['undefined', []]);
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    assert.deepEqual([failure(circular).message, failure(circular).details], ['[object Object]', []]);
    const long = failure(['y'.repeat(40_000)]);
    assert.match(long.message, /^\["y{498}… \(clipped\)$/);
    assert.deepEqual(long.details, [], 'too large to keep in the details');
    // An Error, or an object with a message, is left to Temporal's conversion, which reads it well.
    const error = new TypeError('boom');
    assert.equal(toFailure(error), error);
  });
});
