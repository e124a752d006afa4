import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliMessageOf, didYouMean } from '../../../src/cli/cli-message.js';
import {
  InterruptTimeoutError,
  InvalidResumeError,
  InvalidUpdateError,
  NoPendingInterruptError,
  ThreadBusyError,
  ThreadFinishedError,
  ThreadNotFoundError,
} from '../../../src/errors.js';
import { matchCommand } from '../../../src/protocol/resume.js';
import { parkedFailure } from '../../../src/workflows/run-failure.js';

/** Advice in code that a shell user cannot run. */
const CODE_ADVICE = /invoke\(|new Command\(|Command\(\{|getState\(/;

describe('cliMessageOf', () => {
  for (const status of ['not started', 'completed', 'failed', 'running', 'error', 'terminated']) {
    it(`gives CLI commands for NO_PENDING_INTERRUPT on a ${status} thread, and keeps the code and its anchor`, () => {
      const message = cliMessageOf(new NoPendingInterruptError('email-7', status));
      // Starting a run, or running an ended run's step again, has no CLI command: only that may be said in code.
      assert.doesNotMatch(
        message.replace('invoke(input, config) from code', '').replace('From code, invoke(null, config)', ''),
        CODE_ADVICE,
      );
      assert.match(message, /`durable-graph (show|threads|audit) /);
      assert.match(message, /\[NO_PENDING_INTERRUPT\] docs\/errors\.md#no_pending_interrupt$/);
      assert.match(message, new RegExp(`^Thread "email-7" has no pending interrupt \\(status: ${status}\\)`));
    });
  }

  for (const status of ['completed', 'failed', 'terminated']) {
    it(`says a ${status} thread has nothing to move (THREAD_FINISHED), with \`durable-graph show\` and what starts a new run`, () => {
      const message = cliMessageOf(new ThreadFinishedError('email-7', status));
      assert.match(
        message,
        new RegExp(`^Thread "email-7" has finished \\(status: ${status}\\): .*nothing was changed\\.`),
      );
      assert.match(message, /`durable-graph show email-7` prints its final state and the build it ran on/);
      assert.match(
        message,
        /on the deployment's current version\. \[THREAD_FINISHED\] docs\/errors\.md#thread_finished$/,
      );
      // Starting a run has no CLI command: only that may be said in code.
      assert.doesNotMatch(
        message.replace('invoke(input, config) from code', '').replace('From code, invoke(null, config)', ''),
        CODE_ADVICE,
      );
    });
  }

  it('does not send a thread whose run failed and ended to `retry`, which takes only parked (open) threads', () => {
    const message = cliMessageOf(new NoPendingInterruptError('email-7', 'failed'));
    assert.doesNotMatch(message, /durable-graph retry/);
    assert.match(message, /`durable-graph show email-7` says why/);
    assert.match(message, /`durable-graph rewind email-7` goes back to its last answered pause/);
  });

  it('says "did you mean" for a thread id with a trailing space or newline, showing the stray character', () => {
    const notFound = cliMessageOf(new ThreadNotFoundError('email-7 '));
    assert.match(notFound, /^Thread "email-7 " does not exist\. Did you mean "email-7"\?/);
    assert.doesNotMatch(notFound, CODE_ADVICE);
    const notStarted = cliMessageOf(new NoPendingInterruptError('email-7\n', 'not started'));
    assert.match(notStarted, /^Thread "email-7\\n" has no pending interrupt .* Did you mean "email-7"\?/);
    assert.equal(didYouMean('email-7'), '');
    assert.equal(didYouMean('  '), '');
    assert.match(didYouMean('\u200bemail-7'), /Did you mean "email-7"\?/);
  });

  it('turns the NodeInterrupt advice of a refused resume into `resume --continue`', () => {
    const match = matchCommand(
      { resume: true },
      { pending: [], pausedAt: 'interrupt', nodes: [], nodeInterrupts: [{ node: 'check', value: 'x too big' }] },
      'email-7',
    );
    assert.equal(match.ok, false);
    const message = cliMessageOf(new InvalidResumeError(match.ok ? '' : match.message, { threadId: 'email-7' }));
    assert.doesNotMatch(message, CODE_ADVICE);
    assert.match(message, /Run the node again with `durable-graph resume email-7 --continue`/);
    assert.match(message, /updateState\(config, values\) from code\), then `durable-graph resume email-7 --continue`/);
  });

  it('turns the advice for a thread parked on a failed node into `retry`', () => {
    const match = matchCommand(
      { resume: true },
      { pending: [], pausedAt: 'error', nodes: [], failed: [{ node: 'send', message: 'SMTP down' }] },
      'email-7',
    );
    assert.equal(match.ok, false);
    const message = cliMessageOf(new InvalidResumeError(match.ok ? '' : match.message, { threadId: 'email-7' }));
    assert.doesNotMatch(message, CODE_ADVICE);
    assert.match(message, /Run the node again with `durable-graph retry email-7` once the cause is fixed/);
    const busy = cliMessageOf(
      new ThreadBusyError('email-7', 'error', { interrupts: [{ id: 'a'.repeat(32), node: 'review' }] }),
    );
    assert.match(busy, /Run the node again with `durable-graph retry email-7` once the cause is fixed/);
    assert.match(busy, /answer that interrupt again with `durable-graph resume email-7 '<value>'`/);
    assert.doesNotMatch(busy, /invoke\(null|new Command\(|getState\(/);
  });

  it("turns the engine's message for a thread that just parked into `retry` and `resume`", () => {
    const parked = parkedFailure('email-7', 2, [
      { node: 'send', error: new Error('SMTP down'), interruptId: 'a'.repeat(32) },
    ]);
    const message = cliMessageOf(new InvalidUpdateError(parked.message, { threadId: 'email-7', node: 'send' }));
    assert.match(message, /Run the node again with `durable-graph retry email-7` once the cause is fixed/);
    assert.match(message, /again with `durable-graph resume email-7 '<value>'` to run it with a new answer/);
    assert.doesNotMatch(message, /invoke\(null|new Command\(|getState\(/);
  });

  it('turns the map form of an ambiguous resume into `--id`', () => {
    const pending = [
      { id: 'a'.repeat(32), node: 'x' },
      { id: 'b'.repeat(32), node: 'y' },
    ];
    const match = matchCommand({ resume: true }, { pending, pausedAt: 'interrupt', nodes: [] }, 'email-7');
    const message = cliMessageOf(new InvalidResumeError(match.ok ? '' : match.message, { threadId: 'email-7' }));
    assert.match(message, /Answer them by id: `durable-graph resume email-7 '<value>' --id <interrupt id>`/);
  });

  it('rewrites every code phrase of a busy thread and of an expired interrupt', () => {
    const busy = new ThreadBusyError('email 7', 'interrupted', {
      interrupts: [
        { id: 'a'.repeat(32), node: 'x' },
        { id: 'b'.repeat(32), node: 'y' },
      ],
      nodeInterrupts: [{ node: 'check' }],
      breakpoint: { at: 'before', nodes: ['z'] },
    });
    const busyMessage = cliMessageOf(busy);
    assert.match(busyMessage, /`durable-graph resume 'email 7' '<value>' --id <interrupt id>`/);
    assert.match(busyMessage, /`durable-graph show 'email 7'`/);
    assert.doesNotMatch(busyMessage, /invoke\(null|new Command\(|getState\(/);
    const expired = cliMessageOf(
      new InterruptTimeoutError(
        `Interrupt "i1" in node "ask" of thread "t1" expired with no resume (interrupt(value, { timeout }) with onTimeout 'fail'). invoke(null, config) runs the node again and asks again; or give the interrupt a longer timeout.`,
        { threadId: 't1' },
      ),
    );
    assert.match(expired, /invoke\(null, config\) from code runs the node again/);
    assert.doesNotMatch(expired, /durable-graph retry/, 'the run has ended: retry would refuse it');
  });

  it('leaves errors that are not durable-graph errors as they are', () => {
    assert.equal(cliMessageOf(new Error('boom invoke(null)')), 'boom invoke(null)');
    assert.equal(cliMessageOf('plain'), 'plain');
  });
});
