import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  REMOVE_ALL_MESSAGES,
  applyBuiltinReducer,
  canMergeInEngine,
  mergeMessages,
  type MessageDict,
} from '../../../src/protocol/reducers.js';

const human = (id: string, content = id): MessageDict => ({ type: 'human', content, id });
const ai = (id: string, content = id): MessageDict => ({ type: 'ai', content, id });
const remove = (id: string): MessageDict => ({ type: 'remove', content: [], id });

describe('the messages reducer the engine applies (mergeMessages)', () => {
  const cases: Array<[string, unknown, unknown, MessageDict[]]> = [
    ['appends new messages in order', [human('1')], [ai('2'), human('3')], [human('1'), ai('2'), human('3')]],
    ['appends a single message written without an array', [human('1')], ai('2'), [human('1'), ai('2')]],
    ['starts from an empty list when the field has no value yet', undefined, [human('1')], [human('1')]],
    ['treats a null current value as empty', null, human('1'), [human('1')]],
    [
      'replaces a message with the same id in place',
      [human('1'), ai('2', 'draft'), human('3')],
      [ai('2', 'edited')],
      [human('1'), ai('2', 'edited'), human('3')],
    ],
    ['deletes the message a remove names', [human('1'), ai('2'), human('3')], [remove('2')], [human('1'), human('3')]],
    ['deletes and appends in one write', [human('1'), ai('2')], [remove('1'), human('3')], [ai('2'), human('3')]],
    [
      'keeps a message written again after its own removal in the same write (in its old place)',
      [human('1'), ai('2')],
      [remove('1'), human('1', 'back')],
      [human('1', 'back'), ai('2')],
    ],
    ['deletes a message added earlier in the same write', [human('1')], [ai('2'), remove('2')], [human('1')]],
    [
      'keeps only what follows a remove-all',
      [human('1'), ai('2')],
      [human('x'), remove(REMOVE_ALL_MESSAGES), human('3'), ai('4')],
      [human('3'), ai('4')],
    ],
    ['empties the list with a remove-all and nothing after it', [human('1')], [remove(REMOVE_ALL_MESSAGES)], []],
    [
      'lets the last of several remove-alls win',
      [human('1')],
      [remove(REMOVE_ALL_MESSAGES), human('2'), remove(REMOVE_ALL_MESSAGES), human('3')],
      [human('3')],
    ],
    [
      'replaces the later of two messages that share an id already in the list',
      [human('1', 'a'), human('1', 'b')],
      [human('1', 'c')],
      [human('1', 'a'), human('1', 'c')],
    ],
  ];
  for (const [behaviour, current, update, expected] of cases) {
    it(behaviour, () => {
      assert.deepEqual(mergeMessages(current, update), expected);
    });
  }

  it('never invents an id: a message without one is appended as it is', () => {
    const anonymous = { type: 'human', content: 'no id' };
    assert.deepEqual(mergeMessages([human('1')], [anonymous]), [human('1'), anonymous]);
  });

  it('reports a removal of an unknown id and otherwise ignores it, without throwing', () => {
    const unknown: string[] = [];
    assert.deepEqual(
      mergeMessages([human('1')], [remove('nope'), ai('2')], (id) => unknown.push(id)),
      [human('1'), ai('2')],
    );
    assert.deepEqual(unknown, ['nope']);
    assert.deepEqual(mergeMessages([human('1')], [remove('nope')]), [human('1')]);
  });

  it('does not change the lists it is given', () => {
    const current = [human('1'), ai('2')];
    const update = [ai('2', 'new'), remove('1')];
    const before = JSON.stringify([current, update]);
    mergeMessages(current, update);
    assert.equal(JSON.stringify([current, update]), before);
  });

  it('is what the engine applies for a field whose reducer kind is "messages"', () => {
    assert.deepEqual(applyBuiltinReducer('messages', [human('1'), ai('2')], [ai('2', 'edited'), human('3')]), [
      human('1'),
      ai('2', 'edited'),
      human('3'),
    ]);
  });

  it('is merged in the engine, without a round trip to the worker', () => {
    const channels = { messages: { reducer: 'messages' as const, hasDefault: true, default: [] } };
    assert.equal(canMergeInEngine(channels, [{ messages: [human('1')] }]), true);
  });
});
