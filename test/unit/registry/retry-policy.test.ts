import { describe, expect, it } from 'vitest';
import { OcidexError } from '../../../src/domain/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableError,
  parseRetryAfter,
  retryDelayMs,
  retryPolicy,
} from '../../../src/registry/retry-policy.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['delta seconds', '3', 3000],
    ['zero', '0', 0],
    ['HTTP date 90 s ahead', 'Wed, 01 Jan 2025 00:01:30 GMT', 90_000],
    ['HTTP date in the past', 'Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['absent', undefined, undefined],
  ])('%s', (_name, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  const policy = retryPolicy({ minDelayMs: 100, maxDelayMs: 1000, retryAfterCapMs: 5000 });

  it('caps Retry-After at retryAfterCapMs', () => {
    expect(retryDelayMs(policy, 1, 3_600_000)).toBe(5000);
    expect(retryDelayMs(policy, 1, 2000)).toBe(2000);
  });

  it('grows exponentially within [min, max] with jitter', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(100);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(200);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(800);
    expect(retryDelayMs(policy, 10, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 10, undefined, () => 0.5)).toBe(550);
  });

  it('defaults retry 408, 429 and 5xx only, and keeps overrides', () => {
    expect(DEFAULT_RETRY_POLICY.retryStatuses).toEqual([408, 429, 500, 502, 503, 504]);
    expect(retryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
    expect(retryPolicy({ minDelayMs: 7 }).maxDelayMs).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('isRetryableError', () => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  it.each([
    ['reset', new OcidexError('unreachable', 'x', {}, { cause: reset }), true],
    ['refused', new OcidexError('unreachable', 'x', {}, { cause: refused }), false],
    ['truncated', new OcidexError('truncated_body', 'x'), true],
    ['timeout', new OcidexError('timeout', 'x'), true],
    ['digest mismatch', new OcidexError('digest_mismatch', 'x'), false],
    ['plain error', new Error('x'), false],
  ])('%s', (_name, error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});
