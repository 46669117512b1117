/** An injected RequestRateLimiter (e.g. the one shared in Redis) replaces the local token bucket. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RegistryClient, RequestRateLimiter } from '../../../src/registry/index.js';
import { TokenBucket } from '../../../src/registry/throttle.js';
import { FakeRegistry } from '../../support/fake-registry.js';
import { clientFor } from './helpers.js';

let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await client?.close();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

function stubLimiter(): RequestRateLimiter & { signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return { signals, acquire: async (signal) => void signals.push(signal) };
}

describe('rateLimiter option', () => {
  it('is awaited once per request sent, retries included, and the local bucket is not used', async () => {
    const bucket = vi.spyOn(TokenBucket.prototype, 'acquire');
    fake = await FakeRegistry.start();
    const pushed = fake.pushArtifact('repo', { tag: 'v1', config: { x: 1 } });
    fake.faults.add({ path: '/v2/repo/manifests/v1', status: 503, times: 2 });
    const limiter = stubLimiter();
    // A tiny local rate: were the bucket used, the second request would wait for 1000 s.
    client = clientFor(fake, { rateLimiter: limiter, requestsPerSecond: 0.001 });
    const controller = new AbortController();

    await client.ping(controller.signal);
    expect((await client.fetchManifest('repo', 'v1', controller.signal)).digest).toBe(pushed.digest);

    expect(client.stats.total).toBe(4);
    expect(limiter.signals).toHaveLength(client.stats.total);
    expect(fake.requests).toHaveLength(client.stats.total);
    expect(limiter.signals.every((signal) => signal === controller.signal)).toBe(true);
    expect(bucket).not.toHaveBeenCalled();
  });

  it('fails the request without sending it when the limiter rejects', async () => {
    fake = await FakeRegistry.start();
    const refusal = new Error('no budget');
    client = clientFor(fake, { rateLimiter: { acquire: () => Promise.reject(refusal) }, retry: { maxAttempts: 1 } });
    await expect(client.ping()).rejects.toMatchObject({ cause: refusal });
    expect(fake.requests).toHaveLength(0);
  });

  it('fails with `aborted` when the limiter rejects because the signal aborted', async () => {
    fake = await FakeRegistry.start();
    let called!: () => void;
    const waiting = new Promise<void>((resolve) => (called = resolve));
    const rejectOnAbort: RequestRateLimiter = {
      acquire: (signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          called();
        }),
    };
    client = clientFor(fake, { rateLimiter: rejectOnAbort });
    const controller = new AbortController();
    const pinging = client.ping(controller.signal);
    await waiting;
    controller.abort();
    await expect(pinging).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('without a rateLimiter', () => {
  it('still uses the local token bucket for requestsPerSecond', async () => {
    const bucket = vi.spyOn(TokenBucket.prototype, 'acquire');
    fake = await FakeRegistry.start();
    client = clientFor(fake, { requestsPerSecond: 100 });
    await client.ping();
    expect(bucket).toHaveBeenCalledTimes(client.stats.total);
  });
});
