import { afterEach, describe, expect, it, vi } from 'vitest';
import { Semaphore, TokenBucket } from '../../../src/registry/throttle.js';

afterEach(() => {
  vi.useRealTimers();
});

function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  void promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

describe('Semaphore', () => {
  it('admits `limit` holders and the next when one releases', async () => {
    const semaphore = new Semaphore(2);
    const first = await semaphore.acquire();
    await semaphore.acquire();
    const third = settled(semaphore.acquire());
    await Promise.resolve();
    expect(third.done).toBe(false);
    first();
    first(); // a second release of the same slot changes nothing
    await new Promise((resolve) => setImmediate(resolve));
    expect(third.done).toBe(true);
    const fourth = settled(semaphore.acquire());
    await new Promise((resolve) => setImmediate(resolve));
    expect(fourth.done).toBe(false);
  });

  it('rejects a waiter whose signal aborts', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('TokenBucket', () => {
  it('lets a burst of `rate` through, then one request per 1/rate seconds', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket(2, () => Date.now());
    await bucket.acquire();
    await bucket.acquire();
    const third = settled(bucket.acquire());
    await vi.advanceTimersByTimeAsync(400);
    expect(third.done).toBe(false);
    await vi.advanceTimersByTimeAsync(150);
    expect(third.done).toBe(true);
  });
});
