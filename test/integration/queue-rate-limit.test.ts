/**
 * The Redis rate limiter on a real redis-server, two connections standing for two workers. The
 * clock is injected, so every expected wait is exact: nothing here measures time.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, registryRateKey } from '../../src/queue/rate-limit.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';

const T0 = 1_700_000_000_000;

let server: RunningRedis;
let first: Redis;
let second: Redis;

beforeAll(async () => {
  server = await startRedis();
  first = new Redis(server.url);
  second = new Redis(server.url);
});

afterAll(async () => {
  first?.disconnect();
  second?.disconnect();
  await server?.stop();
});

/** A fresh key per test, as if each test crawled its own registry. */
function freshKey(registry = 'registry.example:5000'): string {
  return registryRateKey(`test-${randomUUID()}`, registry);
}

function limiter(redis: Redis, key: string, ratePerSecond: number, burst?: number): RedisRateLimiter {
  return new RedisRateLimiter({ redis, key, ratePerSecond, burst, now: () => T0 });
}

describe('RedisRateLimiter', () => {
  it('shares one budget between two workers on one key', async () => {
    const key = freshKey();
    const a = limiter(first, key, 10, 1);
    const b = limiter(second, key, 10, 1);
    const waits = [await a.reserve(), await b.reserve(), await a.reserve(), await b.reserve()];
    expect(waits).toEqual([0, 100, 200, 300]);
  });

  it('lets a burst through at once, then spaces by the interval', async () => {
    const key = freshKey();
    const a = limiter(first, key, 10, 3);
    const b = limiter(second, key, 10, 3);
    const waits = [await a.reserve(), await b.reserve(), await a.reserve(), await b.reserve()];
    expect(waits).toEqual([0, 0, 0, 100]);
  });

  it('refills the budget as time passes', async () => {
    const a = limiter(first, freshKey(), 10, 3);
    for (let i = 0; i < 4; i++) await a.reserve(T0);
    const later = T0 + 1_000;
    const waits = [await a.reserve(later), await a.reserve(later), await a.reserve(later), await a.reserve(later)];
    expect(waits).toEqual([0, 0, 0, 100]);
  });

  it('keeps separate budgets per registry', async () => {
    const prefix = `test-${randomUUID()}`;
    const one = limiter(first, registryRateKey(prefix, 'one.example'), 10, 1);
    const other = limiter(second, registryRateKey(prefix, 'other.example'), 10, 1);
    expect([await one.reserve(), await other.reserve(), await one.reserve(), await other.reserve()]).toEqual([
      0, 0, 100, 100,
    ]);
  });

  it('gives the key a time to live', async () => {
    const key = freshKey();
    await limiter(first, key, 10).reserve();
    expect(await first.pttl(key)).toBeGreaterThan(0);
  });

  it('spaces requests by 2 s at 0.5 requests per second', async () => {
    const a = limiter(first, freshKey(), 0.5);
    expect([await a.reserve(), await a.reserve(), await a.reserve()]).toEqual([0, 2_000, 4_000]);
  });

  it('rejects an already aborted acquire with the reason, reserving nothing', async () => {
    const key = freshKey();
    const a = limiter(first, key, 10, 1);
    const reason = new Error('shutting down');
    await expect(a.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(await first.exists(key)).toBe(0);
  });

  it('acquires at once while within the burst', async () => {
    const key = freshKey();
    await limiter(first, key, 10, 2).acquire();
    expect(await limiter(second, key, 10, 2).reserve()).toBe(0);
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const key = freshKey();
    const a = limiter(first, key, 0.001, 1);
    await a.reserve();
    const controller = new AbortController();
    const waiting = a.acquire(controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => limiter(first, freshKey(), 0)).toThrow(RangeError);
  });
});
