import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toResponseSchema } from '../../../src/graph/response-schema.js';
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

/** An interrupt whose answer must be approve | reject-with-a-message. */
const REVIEW = {
  id: A,
  response_schema: toResponseSchema(
    z.discriminatedUnion('action', [
      z.object({ action: z.literal('approve') }),
      z.object({ action: z.literal('reject'), message: z.string() }),
    ]),
  ),
};

describe('resumeInputTemplate', () => {
  it('is {} with nothing to answer, the plain form for one interrupt and the map form for several', () => {
    assert.equal(resumeInputTemplate([]), '{}');
    assert.equal(resumeInputTemplate([A]), '{"resume": <value>}');
    assert.equal(resumeInputTemplate([A, B]), `{"resume": {"${A}": <value>, "${B}": <value>}}`);
  });

  it('never guesses a value: an example from the response schema, else the placeholder, which is not JSON', () => {
    assert.equal(resumeInputTemplate([REVIEW]), '{"resume": {"action": "approve"}}');
    assert.deepEqual(JSON.parse(resumeInputTemplate([REVIEW])), { resume: { action: 'approve' } });
    assert.equal(resumeInputTemplate([REVIEW, B]), `{"resume": {"${A}": {"action": "approve"}, "${B}": <value>}}`);
    assert.throws(() => JSON.parse(resumeInputTemplate([A])), SyntaxError);
  });

  it('writes what a level-0 run wrote when asked to (true)', () => {
    assert.equal(resumeInputTemplate([A], { value: () => 'true' }), '{"resume": true}');
  });
});

describe('temporalResumeCommand', () => {
  it('sends the resume Signal with the connection flags before the workflow id', () => {
    assert.equal(
      temporalResumeCommand('order 42', [A], ['--namespace', 'prod']),
      `temporal workflow signal --namespace prod --workflow-id 'order 42' --name resume --input '{"resume": <value>}'`,
    );
  });

  it('continues with {} when nothing takes a value (breakpoint, NodeInterrupt)', () => {
    assert.equal(
      temporalResumeCommand('t1', []),
      `temporal workflow signal --workflow-id t1 --name resume --input '{}'`,
    );
  });

  it('writes a command that a shell reads the same after a JSON view escaped its quotes (json-safe)', () => {
    const command = temporalResumeCommand('order 42', [REVIEW], [], { quoting: 'json-safe' });
    assert.equal(
      command,
      `temporal workflow signal --workflow-id 'order 42' --name resume --input $'{"resume": {"action": "approve"}}'`,
    );
    // What the Web UI's Memo tab shows between the quotes of the JSON string.
    const shown = JSON.stringify(command).slice(1, -1);
    assert.notEqual(shown, command);
    for (const line of [command, shown]) {
      const words = execFileSync('bash', ['-c', `for w in ${line}; do printf '%s\\0' "$w"; done`], {
        encoding: 'utf8',
      })
        .split('\0')
        .slice(0, -1);
      assert.deepEqual(words.slice(-2), ['--input', '{"resume": {"action": "approve"}}'], line);
      assert.equal(words[4], 'order 42');
    }
  });
});

describe('durableGraphResumeCommands', () => {
  it('gives one command for one interrupt, one per id for several, and --continue for none', () => {
    assert.deepEqual(durableGraphResumeCommands('t1', [A], ['--address', 'h:1']), [
      "durable-graph resume t1 '<value>' --address h:1",
    ]);
    assert.deepEqual(durableGraphResumeCommands('t1', [REVIEW, B]), [
      `durable-graph resume t1 '{"action": "approve"}' --id ${A}`,
      `durable-graph resume t1 '<value>' --id ${B}`,
    ]);
    assert.deepEqual(durableGraphResumeCommands('t1', []), ['durable-graph resume t1 --continue']);
  });
});
