/**
 * The gRPC retry policy of the connections durable-graph opens: the SDK's default, except that a request a closing
 * run refused ("workflow is closing", as a run continues as new) is not sent again as it was. Resent with the same
 * Update Id, the server keeps refusing it for as long as the retries last (about 40 s); the client sends it again
 * itself, with a new Id, and it reaches the next run (closed-run.ts `isClosingRunError`).
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/** The interceptors to pass as `ConnectionOptions.interceptors`. */
export function connectionInterceptors(): ReturnType<typeof makeGrpcRetryInterceptor>[] {
  const defaults = defaultGrpcRetryOptions();
  return [
    makeGrpcRetryInterceptor({
      ...defaults,
      retryableDecider: (attempt, status) =>
        !/workflow is closing/i.test(status.details ?? '') && defaults.retryableDecider(attempt, status),
    }),
  ];
}
