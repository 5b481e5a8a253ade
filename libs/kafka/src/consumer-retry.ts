import type { RetryOptions } from 'kafkajs';

/**
 * Retry settings for a long-lived consumer: a few bounded retries inside kafkajs, after which
 * kafkajs restarts the consumer — but only while `running()` says so.
 *
 * Unbounded retries outlive `disconnect()`: kafkajs cannot cancel a connect loop already under
 * way, which then retries forever against a broker that is gone and keeps the process alive.
 * A caller's own `restartOnFailure` is consulted too, after `running()`.
 */
export function restartingRetry(running: () => boolean, overrides: RetryOptions = {}): RetryOptions {
  const own = overrides.restartOnFailure;
  return {
    retries: 5,
    initialRetryTime: 200,
    maxRetryTime: 5000,
    ...overrides,
    restartOnFailure: async (error) => running() && (own ? await own(error) : true),
  };
}
