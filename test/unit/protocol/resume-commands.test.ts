import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  durableGraphResumeCommands,
  resumeInputTemplate,
  shellQuote,
  temporalResumeCommand,
} from '../../../src/protocol/resume-commands.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('shellQuote', () => {
  for (const [word, quoted] of [
    ['order-42', 'order-42'],
    ['localhost:7233', 'localhost:7233'],
    ['two words', "'two words'"],
    ['{"resume": true}', `'{"resume": true}'`],
    ["it's", `'it'\\''s'`],
  ] as const) {
    it(`quotes ${JSON.stringify(word)} as ${quoted}`, () => assert.equal(shellQuote(word), quoted));
  }

  it('gives back every word unchanged when a POSIX shell reads the quoted form', () => {
    const words = ['{"resume": {"abc": "it\'s ok"}}', "'", 'a b\tc\nd', '$(rm -rf /) `x` \\ "q" *', '', 'ümlaut'];
    const script = `for w in ${words.map(shellQuote).join(' ')}; do printf '%s\\0' "$w"; done`;
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    assert.deepEqual(out.split('\0').slice(0, -1), words);
  });
});

describe('resumeInputTemplate', () => {
  it('is {} with nothing to answer, the plain form for one interrupt and the map form for several', () => {
    assert.equal(resumeInputTemplate([]), '{}');
    assert.equal(resumeInputTemplate([A]), '{"resume": true}');
    assert.equal(resumeInputTemplate([A, B]), `{"resume": {"${A}": true, "${B}": true}}`);
  });
});

describe('temporalResumeCommand', () => {
  it('sends the resume Signal with the connection flags before the workflow id', () => {
    assert.equal(
      temporalResumeCommand('order 42', [A], ['--namespace', 'prod']),
      `temporal workflow signal --namespace prod --workflow-id 'order 42' --name resume --input '{"resume": true}'`,
    );
  });

  it('continues with {} when nothing takes a value (breakpoint, NodeInterrupt)', () => {
    assert.equal(
      temporalResumeCommand('t1', []),
      `temporal workflow signal --workflow-id t1 --name resume --input '{}'`,
    );
  });
});

describe('durableGraphResumeCommands', () => {
  it('gives one command for one interrupt, one per id for several, and --continue for none', () => {
    assert.deepEqual(durableGraphResumeCommands('t1', [A], ['--address', 'h:1']), [
      'durable-graph resume t1 true --address h:1',
    ]);
    assert.deepEqual(durableGraphResumeCommands('t1', [A, B]), [
      `durable-graph resume t1 true --id ${A}`,
      `durable-graph resume t1 true --id ${B}`,
    ]);
    assert.deepEqual(durableGraphResumeCommands('t1', []), ['durable-graph resume t1 --continue']);
  });
});
