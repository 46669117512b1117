import { describe, expect, it } from 'vitest';
import { TokenCache, type IssuedToken } from '../../../src/registry/token-cache.js';

function clock(start = Date.parse('2025-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenCache', () => {
  it('fetches once for concurrent callers of the same key', async () => {
    const cache = new TokenCache();
    let fetches = 0;
    let resolve!: (token: IssuedToken) => void;
    const issue = () => {
      fetches += 1;
      return new Promise<IssuedToken>((done) => (resolve = done));
    };
    const waiting = Array.from({ length: 10 }, () => cache.fetch('k', issue));
    resolve({ token: 't1', expiresInSeconds: 300 });
    expect(await Promise.all(waiting)).toEqual(Array(10).fill('t1'));
    expect(fetches).toBe(1);
    expect(await cache.fetch('k', issue)).toBe('t1');
    expect(fetches).toBe(1);
  });

  it('keeps tokens until shortly before expiry, expires_in floored at 60 s', async () => {
    const time = clock();
    const cache = new TokenCache(time.now);
    await cache.fetch('k', async () => ({ token: 't', expiresInSeconds: 5 }));
    time.advance(45_000);
    expect(cache.get('k')).toBe('t');
    time.advance(10_000);
    expect(cache.get('k')).toBeUndefined();
  });

  it('counts the lifetime from issued_at when it lies in the past', async () => {
    const time = clock();
    const cache = new TokenCache(time.now);
    const issuedAt = new Date(time.now() - 200_000).toISOString();
    await cache.fetch('k', async () => ({ token: 't', expiresInSeconds: 300, issuedAt }));
    time.advance(85_000);
    expect(cache.get('k')).toBe('t');
    time.advance(10_000);
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets a failed fetch so the next caller retries', async () => {
    const cache = new TokenCache();
    await expect(cache.fetch('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.fetch('k', async () => ({ token: 't2' }))).toBe('t2');
  });

  it('invalidates only the refused token', async () => {
    const cache = new TokenCache();
    await cache.fetch('k', async () => ({ token: 'old' }));
    cache.invalidate('k', 'other');
    expect(cache.get('k')).toBe('old');
    cache.invalidate('k', 'old');
    expect(cache.get('k')).toBeUndefined();
  });
});
