/**
 * The Redis rate limiter on a real redis-server, two connections standing for two workers. The
 * clock is injected, so every expected wait is exact: nothing here measures time.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisRateLimiter, registryRateKey } from '../../src/queue/rate-limit.js';
import { useRedisPair } from '../support/redis-pair.js';

const T0 = 1_700_000_000_000;

const redis = useRedisPair();

/** A fresh key per test, as if each test crawled its own registry. */
function freshKey(registry = 'registry.example:5000'): string {
  return registryRateKey(`test-${randomUUID()}`, registry);
}

function limiter(connection: Redis, key: string, ratePerSecond: number, burst?: number): RedisRateLimiter {
  return new RedisRateLimiter({ redis: connection, key, ratePerSecond, burst, now: () => T0 });
}

describe('RedisRateLimiter', () => {
  it('shares one budget between two workers on one key', async () => {
    const key = freshKey();
    const a = limiter(redis.first, key, 10, 1);
    const b = limiter(redis.second, key, 10, 1);
    const waits = [await a.reserve(), await b.reserve(), await a.reserve(), await b.reserve()];
    expect(waits).toEqual([0, 100, 200, 300]);
  });

  it('lets a burst through at once, then spaces by the interval', async () => {
    const key = freshKey();
    const a = limiter(redis.first, key, 10, 3);
    const b = limiter(redis.second, key, 10, 3);
    const waits = [await a.reserve(), await b.reserve(), await a.reserve(), await b.reserve()];
    expect(waits).toEqual([0, 0, 0, 100]);
  });

  it('refills the budget as time passes', async () => {
    const a = limiter(redis.first, freshKey(), 10, 3);
    for (let i = 0; i < 4; i++) await a.reserve(T0);
    const later = T0 + 1_000;
    const waits = [await a.reserve(later), await a.reserve(later), await a.reserve(later), await a.reserve(later)];
    expect(waits).toEqual([0, 0, 0, 100]);
  });

  it('keeps separate budgets per registry', async () => {
    const prefix = `test-${randomUUID()}`;
    const one = limiter(redis.first, registryRateKey(prefix, 'one.example'), 10, 1);
    const other = limiter(redis.second, registryRateKey(prefix, 'other.example'), 10, 1);
    expect([await one.reserve(), await other.reserve(), await one.reserve(), await other.reserve()]).toEqual([
      0, 0, 100, 100,
    ]);
  });

  it('gives the key a time to live', async () => {
    const key = freshKey();
    await limiter(redis.first, key, 10).reserve();
    expect(await redis.first.pttl(key)).toBeGreaterThan(0);
  });

  it('spaces requests by 2 s at 0.5 requests per second', async () => {
    const a = limiter(redis.first, freshKey(), 0.5);
    expect([await a.reserve(), await a.reserve(), await a.reserve()]).toEqual([0, 2_000, 4_000]);
  });

  it('rejects an already aborted acquire with the reason, reserving nothing', async () => {
    const key = freshKey();
    const a = limiter(redis.first, key, 10, 1);
    const reason = new Error('shutting down');
    await expect(a.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(await redis.first.exists(key)).toBe(0);
  });

  it('acquires at once while within the burst', async () => {
    const key = freshKey();
    await limiter(redis.first, key, 10, 2).acquire();
    expect(await limiter(redis.second, key, 10, 2).reserve()).toBe(0);
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const key = freshKey();
    const a = limiter(redis.first, key, 0.001, 1);
    await a.reserve();
    const controller = new AbortController();
    const waiting = a.acquire(controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => limiter(redis.first, freshKey(), 0)).toThrow(RangeError);
  });
});
