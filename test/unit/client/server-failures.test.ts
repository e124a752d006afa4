import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '@temporalio/client';
import { rebuildError } from '../../../src/client.js';
import { attemptsFor, outageRetryOptions } from '../../../src/client/outage-retry.js';
import { ServerBusyError, ServerRejectedError, ServerUnreachableError, StreamReadError } from '../../../src/errors.js';

/** A gRPC failure as grpc-js makes it, wrapped as the SDK wraps it. */
function grpcFailure(code: number, details: string): ServiceError {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Failed to call', { cause: grpc });
}

describe('a gRPC failure of a client call', () => {
  it('becomes SERVER_UNREACHABLE naming the thread and the address when nothing answered', () => {
    const error = rebuildError(grpcFailure(14, 'No connection established'), 't-1', '127.0.0.1:7233');
    assert.ok(error instanceof ServerUnreachableError);
    assert.equal(error.threadId, 't-1');
    assert.equal(error.address, '127.0.0.1:7233');
    assert.match(error.message, /did not answer a call on thread "t-1" in time/);
  });

  it("becomes SERVER_BUSY for RESOURCE_EXHAUSTED, with the server's words", () => {
    const error = rebuildError(grpcFailure(8, 'namespace rate limit exceeded'), 't-1');
    assert.ok(error instanceof ServerBusyError);
    assert.equal(error.detail, 'namespace rate limit exceeded');
    assert.match(error.message, /Nothing was applied/);
  });

  it('becomes SERVER_REJECTED with the status name otherwise', () => {
    const error = rebuildError(grpcFailure(9, 'Workflow is busy'), 't-1');
    assert.ok(error instanceof ServerRejectedError);
    assert.equal(error.status, 'FAILED_PRECONDITION');
    assert.equal(error.threadId, 't-1');
  });

  it('leaves our own errors and a cancelled call alone', () => {
    const ours = new StreamReadError('Offset out of range.', { threadId: 't-1' });
    assert.equal(rebuildError(ours, 't-2'), ours);
    const cancelled = grpcFailure(1, 'Cancelled on client');
    assert.equal(rebuildError(cancelled, 't-1'), cancelled);
  });
});

describe('the outage window', () => {
  it('retries UNAVAILABLE for at least the window, even with every delay jittered short', () => {
    for (const windowMs of [20_000, 120_000, 600_000]) {
      const attempts = attemptsFor(windowMs);
      let shortest = 0;
      for (let attempt = 1; attempt < attempts; attempt++) shortest += Math.min(5_000, 1.7 ** attempt * 100) * 0.8;
      assert.ok(shortest >= windowMs, `${windowMs} ms: ${attempts} attempts wait at least ${shortest} ms`);
      assert.ok(shortest < windowMs + 5_000, `${windowMs} ms: not much longer than asked`);
    }
  });

  it("waits out RESOURCE_EXHAUSTED too, and keeps the SDK's ten attempts for other retryable statuses", () => {
    const { retryableDecider } = outageRetryOptions(600_000);
    const unavailable = { code: 14, details: '', metadata: undefined as never };
    const unknown = { code: 2, details: '', metadata: undefined as never };
    assert.equal(retryableDecider(50, unavailable), true);
    const busy = { code: 8, details: 'namespace concurrent poller limit exceeded', metadata: undefined as never };
    assert.equal(retryableDecider(50, busy), true, 'a busy server is waited out too');
    assert.equal(retryableDecider(9, unknown), true);
    assert.equal(retryableDecider(10, unknown), false);
  });

  it("sends a start, Signal or Update again after the server's own timeout, but not a query", () => {
    const timedOut = { code: 4, details: 'context deadline exceeded', metadata: undefined as never };
    assert.equal(outageRetryOptions(600_000, { resendAfterServerTimeout: true }).retryableDecider(50, timedOut), true);
    assert.equal(outageRetryOptions(600_000).retryableDecider(1, timedOut), false);
  });
});
