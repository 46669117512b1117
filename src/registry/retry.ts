/**
 * The retry layer (oras-go `registry/remote/retry`): resends a request after a retryable status
 * (408, 429, 5xx) or a dropped connection, timeout or truncated body, waiting as the policy says.
 * The last attempt's response goes to `read` as is, so the caller maps its status.
 */
import { discardBody, headerValue, type RegistryRequest, type RegistryResponse, type Send } from './exchange.js';
import { isRetryableError, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import type { RequestStats } from './stats.js';
import { sleep as defaultSleep } from './throttle.js';

type Outcome<T> = { done: true; value: T } | { done: false; retryAfterMs: number | undefined };

/** The policy, the stats to count retries in, and test seams. */
export interface RetryOptions {
  policy: RetryPolicy;
  stats: RequestStats;
  /** Injected by tests to observe waits; defaults to a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Wraps `inner` with retries. */
export function withRetry(inner: Send, options: RetryOptions): Send {
  const { policy, stats } = options;
  const wait = options.sleep ?? defaultSleep;

  return async <T>(request: RegistryRequest, read: (response: RegistryResponse) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= policy.maxAttempts;
      let outcome: Outcome<T>;
      try {
        outcome = await inner(request, async (response): Promise<Outcome<T>> => {
          if (last || !policy.retryStatuses.includes(response.status)) {
            return { done: true, value: await read(response) };
          }
          await discardBody(response);
          return { done: false, retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after')) };
        });
      } catch (error) {
        if (last || !isRetryableError(error)) throw error;
        outcome = { done: false, retryAfterMs: undefined };
      }
      if (outcome.done) return outcome.value;
      stats.retries += 1;
      await wait(retryDelayMs(policy, attempt, outcome.retryAfterMs, options.random), request.signal);
    }
  };
}
