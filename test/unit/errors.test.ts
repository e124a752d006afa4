import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ErrorCode, NoPendingInterruptError, ThreadBusyError } from '../../src/errors.js';

describe('ErrorCode', () => {
  it('has an anchor in docs/errors.md for every code, and no anchor without a code', () => {
    const anchors = [
      ...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^## (\w+)$/gm),
    ].map((m) => m[1]);
    assert.deepEqual(
      [...anchors].sort(),
      Object.values(ErrorCode)
        .map((c) => c.toLowerCase())
        .sort(),
    );
  });
});

describe('ThreadBusyError', () => {
  it('asks for the answer first, then invoke(null), when an interrupt and a NodeInterrupt are both pending', () => {
    const error = new ThreadBusyError('t1', 'interrupted', {
      interrupts: [{ id: 'i1', node: 'ask' }],
      nodeInterrupts: [{ node: 'check' }],
    });
    assert.match(
      error.message,
      /^Thread "t1" is interrupted \(paused at interrupt "i1" in node "ask", a NodeInterrupt in node "check"\); new input would be lost\./,
    );
    assert.match(
      error.message,
      /Answer it with invoke\(new Command\(\{ resume: <value> \}\), config\)\. Then run node\(s\) "check" again with invoke\(null, config\)/,
    );
    assert.match(error.message, /\{ abandonPendingInterrupts: true \}/);
    assert.match(error.message, /\[THREAD_BUSY\] docs\/errors\.md#thread_busy$/);
    assert.deepEqual(error.pendingIds, ['i1']);
  });

  it('names both ways to continue when what is pending is not known', () => {
    const error = new ThreadBusyError('t1', 'interrupted');
    assert.match(error.message, /paused at an interrupt/);
    assert.match(error.message, /invoke\(null, config\) continues at a breakpoint or NodeInterrupt/);
    assert.match(error.message, /abandonPendingInterrupts/);
    assert.deepEqual(error.pendingIds, []);
  });

  it('tells a caller to wait for a running thread, without suggesting a resume', () => {
    const error = new ThreadBusyError('t1', 'running');
    assert.match(error.message, /is running; new input would be lost\. Wait for the current run to finish/);
    assert.doesNotMatch(error.message, /Command|abandonPendingInterrupts/);
  });
});

describe('NoPendingInterruptError', () => {
  it('says what to do next for each status', () => {
    assert.match(
      new NoPendingInterruptError('t', 'failed').message,
      /status: failed\).*invoke\(null, config\) re-runs the failed step/,
    );
    assert.match(new NoPendingInterruptError('t', 'completed').message, /start a new run with invoke\(input, config\)/);
    assert.match(
      new NoPendingInterruptError('t', 'not started').message,
      /No thread has this id: start it with invoke\(input, config\)/,
    );
    assert.match(
      new NoPendingInterruptError('t', 'terminated').message,
      /\(status: terminated\); the resume was not applied\. Check getState\(config\)/,
    );
  });
});
