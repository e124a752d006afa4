import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, isCommand } from '../../../src/graph/command.js';

describe('Command', () => {
  for (const resume of [false, 0, '', null, undefined]) {
    it(`has a resume when constructed with { resume: ${String(JSON.stringify(resume))} }`, () => {
      const command = new Command({ resume });
      assert.equal(command.hasResume(), true);
      assert.equal(command.resume, resume);
    });
  }

  it('has no resume when the resume key is absent', () => {
    const command = new Command({ update: {} });
    assert.equal(command.hasResume(), false);
    assert.equal('resume' in command, false);
    assert.deepEqual(command.update, {});
  });

  it('normalises goto to an array', () => {
    assert.deepEqual(new Command({ goto: 'next' }).goto, ['next']);
    assert.deepEqual(new Command({ goto: ['a', 'b'] }).goto, ['a', 'b']);
    assert.deepEqual(new Command({}).goto, []);
  });

  it('serialises to JSON with the LangGraph tag, keeping absent keys absent', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(new Command({ goto: 'x' }))), { lg_name: 'Command', goto: ['x'] });
    assert.deepEqual(JSON.parse(JSON.stringify(new Command({ resume: false, update: { a: 1 } }))), {
      lg_name: 'Command',
      goto: [],
      resume: false,
      update: { a: 1 },
    });
  });
});

describe('isCommand', () => {
  it('is true for a Command', () => {
    assert.equal(isCommand(new Command({ resume: 1 })), true);
  });

  it("is true for a plain object tagged lg_name: 'Command' (LangGraph's own, or a Command after JSON)", () => {
    assert.equal(isCommand({ lg_name: 'Command', resume: true }), true);
    assert.equal(isCommand(JSON.parse(JSON.stringify(new Command({ goto: 'a' })))), true);
  });

  it("is true for a plain object tagged kind: 'durable-graph.command' (a duplicate copy of the package)", () => {
    assert.equal(isCommand({ kind: 'durable-graph.command' }), true);
  });

  for (const [label, value] of [
    ['null', null],
    ['a state update', { resume: true, goto: ['a'] }],
    ['another tag', { lg_name: 'Send' }],
    ['a string', 'Command'],
  ] as const) {
    it(`is false for ${label}`, () => {
      assert.equal(isCommand(value), false);
    });
  }
});
