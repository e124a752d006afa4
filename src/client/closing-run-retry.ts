/**
 * The gRPC retry policy of the connections durable-graph opens: the SDK's default, except that an Update a closing
 * run refused ("workflow is closing", as a run continues as new) is not sent again as it was. Resent with the same
 * Update Id, the server keeps refusing it for as long as the retries last (about 40 s); the client sends it again
 * itself, with a new Id, and it reaches the next run (closed-run.ts `isClosingRunError`). Other calls (a Signal, a
 * start) are retried as the SDK retries them: resent, they reach the next run.
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

type Interceptor = ReturnType<typeof makeGrpcRetryInterceptor>;

/** The interceptors to pass as `ConnectionOptions.interceptors`. */
export function connectionInterceptors(): Interceptor[] {
  const defaults = defaultGrpcRetryOptions();
  const usual = makeGrpcRetryInterceptor(defaults);
  const forUpdates = makeGrpcRetryInterceptor({
    ...defaults,
    retryableDecider: (attempt, status) =>
      !/workflow is closing/i.test(status.details ?? '') && defaults.retryableDecider(attempt, status),
  });
  return [
    (options, nextCall) =>
      (options.method_definition.path.endsWith('/UpdateWorkflowExecution') ? forUpdates : usual)(options, nextCall),
  ];
}
