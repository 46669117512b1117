import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegistryClient } from '../../../src/registry/index.js';
import { withRetry } from '../../../src/registry/retry.js';
import { retryPolicy } from '../../../src/registry/retry-policy.js';
import { createRequestStats } from '../../../src/registry/stats.js';
import { createTransport } from '../../../src/registry/transport.js';
import { FakeRegistry, type FakeDescriptor } from '../../support/fake-registry.js';
import { clientFor, rejectionOf } from './helpers.js';

const MANIFEST_PATH = '/v2/repo/manifests/v1';

let fake: FakeRegistry;
let client: RegistryClient | undefined;
let pushed: FakeDescriptor;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
});

async function start(): Promise<void> {
  fake = await FakeRegistry.start();
  pushed = fake.pushArtifact('repo', { tag: 'v1', config: { x: 1 } });
}

describe('retried failures', () => {
  it('retries 429 with Retry-After in seconds', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, status: 429, headers: { 'retry-after': '1' }, times: 2 });
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(3);
    expect(client.stats).toMatchObject({ total: 3, retries: 2, byStatus: { '429': 2, '200': 1 } });
  });

  it('retries 429 with Retry-After as an HTTP date', async () => {
    await start();
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    fake.faults.add({ path: MANIFEST_PATH, status: 429, headers: { 'retry-after': inAnHour }, times: 1 });
    client = clientFor(fake);
    await client.fetchManifest('repo', 'v1');
    expect(client.stats.retries).toBe(1);
  });

  it.each([500, 502, 503, 504, 408])('retries %i', async (status) => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, status, times: 2 });
    client = clientFor(fake);
    await client.fetchManifest('repo', 'v1');
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(3);
  });

  it('retries a connection reset', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, reset: true, times: 2 });
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
    expect(client.stats.byStatus.error).toBe(2);
    expect(client.stats.retries).toBe(2);
  });

  it('retries a truncated body', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, truncate: true, times: 1 });
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(2);
  });

  it('retries a timed-out request', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, stall: true, times: 1 });
    client = clientFor(fake, { timeoutMs: 300 });
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(2);
  });
});

describe('giving up', () => {
  it('reports persistent 503 as a transient server_error after maxAttempts', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, status: 503 });
    client = clientFor(fake, { retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 2 } });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('server_error');
    expect(error.details).toMatchObject({ status: 503, transient: true });
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(3);
  });

  it('reports persistent 429 as too_many_requests with the wait asked for', async () => {
    await start();
    fake.faults.add({
      path: MANIFEST_PATH,
      status: 429,
      headers: { 'retry-after': '7', 'content-type': 'application/json' },
      body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
    });
    client = clientFor(fake, { retry: { maxAttempts: 2, retryAfterCapMs: 1 } });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('too_many_requests');
    expect(error.details).toMatchObject({ transient: true, retryAfterMs: 7000 });
  });

  it('reports persistent truncation as transient truncated_body', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, truncate: true });
    client = clientFor(fake, { retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 2 } });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('truncated_body');
    expect(error.transient).toBe(true);
  });

  it('reports persistent resets as transient unreachable', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, reset: true });
    client = clientFor(fake, { retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 2 } });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('unreachable');
    expect(error.transient).toBe(true);
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(2);
  });

  it('reports a stalled response as timeout', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, stall: true });
    client = clientFor(fake, { timeoutMs: 200, retry: { maxAttempts: 1 } });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('timeout');
    expect(error.transient).toBe(true);
  });

  it.each([
    [404, 'MANIFEST_UNKNOWN', 'manifest_unknown'],
    [403, 'DENIED', 'denied'],
    [400, 'MANIFEST_INVALID', 'bad_response'],
  ])('never retries %i', async (status, registryCode, code) => {
    await start();
    fake.faults.add({
      path: MANIFEST_PATH,
      status,
      body: JSON.stringify({ errors: [{ code: registryCode, message: 'm' }] }),
    });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe(code);
    expect(error.transient).toBe(false);
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });

  it('stops on abort without retrying', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, stall: true });
    client = clientFor(fake);
    const controller = new AbortController();
    const pending = client.fetchManifest('repo', 'v1', controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);
    expect(error.code).toBe('aborted');
    expect(fake.requestsTo(MANIFEST_PATH)).toHaveLength(1);
  });
});

describe('retry waits', () => {
  async function waitsFor(retryAfter: string): Promise<number[]> {
    fake.faults.add({ path: MANIFEST_PATH, status: 429, headers: { 'retry-after': retryAfter }, times: 2 });
    const waits: number[] = [];
    const stats = createRequestStats();
    const dispatcher = new Agent();
    const send = withRetry(createTransport({ dispatcher, stats, timeoutMs: 5000, concurrency: 2 }), {
      policy: retryPolicy({ retryAfterCapMs: 5000, minDelayMs: 100, maxDelayMs: 400 }),
      stats,
      sleep: async (ms) => void waits.push(ms),
    });
    const status = await send(
      { method: 'GET', url: new URL(MANIFEST_PATH, fake.url), operation: 'manifest.get', headers: { accept: '*/*' } },
      async (response) => {
        await response.body.dump();
        return response.status;
      },
    );
    await dispatcher.close();
    expect(status).toBe(200);
    return waits;
  }

  it('waits as long as Retry-After says, capped', async () => {
    await start();
    expect(await waitsFor('2')).toEqual([2000, 2000]);
    expect(await waitsFor('3600')).toEqual([5000, 5000]);
    const waits = await waitsFor(new Date(Date.now() + 3_600_000).toUTCString());
    expect(waits).toEqual([5000, 5000]);
  });

  it('backs off exponentially without Retry-After', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, status: 503, times: 3 });
    const waits: number[] = [];
    const stats = createRequestStats();
    const dispatcher = new Agent();
    const send = withRetry(createTransport({ dispatcher, stats, timeoutMs: 5000, concurrency: 2 }), {
      policy: retryPolicy({ minDelayMs: 100, maxDelayMs: 300 }),
      stats,
      sleep: async (ms) => void waits.push(ms),
      random: () => 1,
    });
    await send(
      { method: 'GET', url: new URL(MANIFEST_PATH, fake.url), operation: 'manifest.get', headers: { accept: '*/*' } },
      (response) => response.body.dump(),
    );
    await dispatcher.close();
    expect(waits).toEqual([200, 300, 300]);
  });
});

describe('throttling', () => {
  it('keeps requests in flight within the concurrency limit', async () => {
    await start();
    fake.faults.add({ path: MANIFEST_PATH, delayMs: 20 });
    client = clientFor(fake, { concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => client!.fetchManifest('repo', 'v1')));
    expect(fake.maxInFlight).toBe(2);
  });

  it('works under a requests-per-second limit', async () => {
    await start();
    client = clientFor(fake, { requestsPerSecond: 1000 });
    await Promise.all(Array.from({ length: 5 }, () => client!.fetchManifest('repo', 'v1')));
    expect(client.stats.total).toBe(5);
  });
});
