/** The error a failed start throws, and the port-race case that `startDevServer` retries with new ports. */

/** Thrown by {@link startDevServer} when the server exits early or does not become ready in time. */
export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
  /** The last lines the server printed (stdout and stderr, or the log file). */
  readonly outputTail: string;
  constructor(message: string, outputTail: string, options?: { cause?: unknown }) {
    super(message, options);
    this.outputTail = outputTail;
  }
}

/** A start that failed because a port was taken; internal, `startDevServer` catches it to pick new ports. */
export class PortInUseError extends DevServerStartError {}
