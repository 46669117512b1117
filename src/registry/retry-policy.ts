/**
 * When and how long to wait before retrying, as data (oras-go `registry/remote/retry/policy.go`).
 * Tests pass tiny delays; nothing here sleeps.
 */
import { OcidexError } from '../domain/errors.js';

/** When to retry and how long to wait; see DEFAULT_RETRY_POLICY. */
export interface RetryPolicy {
  /** Attempts in total, the first one included; 1 disables retries. */
  maxAttempts: number;
  /** Shortest wait before a retry; also the base of the exponential backoff. */
  minDelayMs: number;
  /** Longest backoff wait. */
  maxDelayMs: number;
  /** Longest wait a `Retry-After` header can ask for. */
  retryAfterCapMs: number;
  /** Statuses worth retrying; other 4xx never are. */
  retryStatuses: readonly number[];
}

/** 5 attempts, 200 ms doubling up to 10 s with jitter, Retry-After up to 60 s; 408, 429, 5xx. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  minDelayMs: 200,
  maxDelayMs: 10_000,
  retryAfterCapMs: 60_000,
  retryStatuses: Object.freeze([408, 429, 500, 502, 503, 504]),
});

/** Error codes of a dropped connection (low-level `code` of the cause), retried like a 503. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** The default policy with the caller's overrides. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  return { ...policy, maxAttempts: Math.max(1, Math.floor(policy.maxAttempts)) };
}

/**
 * Wait before retry number `retry` (1 for the first retry): exponential growth from
 * `minDelayMs`, capped at `maxDelayMs`, with full jitter over [minDelayMs, ceiling].
 * A `Retry-After` wait wins over the backoff, capped at `retryAfterCapMs`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.retryAfterCapMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** retry);
  const floor = Math.min(policy.minDelayMs, ceiling);
  return floor + random() * (ceiling - floor);
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Unparseable values give undefined (use the backoff); dates in the past give 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Whether a failed attempt (no usable response) is worth another attempt. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof OcidexError)) return false;
  if (error.code === 'timeout' || error.code === 'truncated_body') return true;
  if (error.code !== 'unreachable') return false;
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && RETRYABLE_NETWORK_CODES.has(cause.code);
}
