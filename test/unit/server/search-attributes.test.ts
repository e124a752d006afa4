import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureSearchAttributes } from '../../../src/server/search-attributes.js';
import { ErrorCode, isDurableGraphError } from '../../../src/errors.js';

/** An operator service double: lists `present`, and answers addSearchAttributes with `addError` when set. */
function fakeConnection(present: string[], addError?: Error & { code?: number }) {
  const added: Array<Record<string, number>> = [];
  const operatorService = {
    listSearchAttributes: async () => ({ customAttributes: Object.fromEntries(present.map((name) => [name, 2])) }),
    addSearchAttributes: async ({ searchAttributes }: { searchAttributes: Record<string, number> }) => {
      added.push(searchAttributes);
      if (addError) throw addError;
      return {};
    },
  };
  return { connection: { operatorService } as never, added };
}

describe('ensureSearchAttributes', () => {
  it('adds only the missing attributes, with their indexed value types', async () => {
    const { connection, added } = fakeConnection(['DurableGraphStatus']);
    assert.deepEqual(await ensureSearchAttributes(connection, 'default'), ['DurableGraphPendingNodes']);
    assert.deepEqual(added, [{ DurableGraphPendingNodes: 7 }]);
  });

  it('adds nothing when all are there', async () => {
    const { connection, added } = fakeConnection(['DurableGraphStatus', 'DurableGraphPendingNodes']);
    assert.deepEqual(await ensureSearchAttributes(connection, 'default'), []);
    assert.equal(added.length, 0);
  });

  it('counts ALREADY_EXISTS (another process registered them first) as success', async () => {
    const { connection } = fakeConnection([], Object.assign(new Error('already exists'), { code: 6 }));
    assert.deepEqual(await ensureSearchAttributes(connection, 'default'), [
      'DurableGraphStatus',
      'DurableGraphPendingNodes',
    ]);
  });

  it('throws SearchAttributesMissingError naming the commands to run when the server refuses', async () => {
    const { connection } = fakeConnection([], Object.assign(new Error('permission denied'), { code: 7 }));
    await assert.rejects(ensureSearchAttributes(connection, 'prod'), (error: unknown) => {
      assert.ok(isDurableGraphError(error) && error.code === ErrorCode.SEARCH_ATTRIBUTES_MISSING);
      assert.match(
        (error as Error).message,
        /temporal operator search-attribute create --namespace prod --name DurableGraphStatus --type Keyword/,
      );
      return true;
    });
  });

  it('with register: false, only checks', async () => {
    const { connection, added } = fakeConnection([]);
    await assert.rejects(
      ensureSearchAttributes(connection, 'default', { register: false }),
      /lacks the search attributes/,
    );
    assert.equal(added.length, 0);
  });
});
