/** Admission and fair scheduling of query tasks (pure bookkeeping; the pool test runs threads). */
import { describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { FairQueue, type Release, RETRY_AFTER_MS } from '../../../src/query/pool/fair-queue.js';
import { defaultShare } from '../../../src/query/pool/settings.js';

/** Acquires for `client` and records, in `started`, when the task may run. */
function submit(queue: FairQueue, client: string, started: string[], label = client): Promise<Release> {
  return queue.acquire(client).then((release) => {
    started.push(label);
    return release;
  });
}

function refusal(work: () => unknown): { code: string; retryAfterMs?: number } | null {
  try {
    work();
    return null;
  } catch (error) {
    if (!isOcidexError(error)) throw error;
    return { code: error.code, retryAfterMs: error.details.retryAfterMs };
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('gives a client at most half the workers, so another client is served at once', async () => {
    const queue = new FairQueue({ slots: 2, maxQueued: 10, maxPerClient: 10, share: 1 });
    const started: string[] = [];
    const first = submit(queue, 'attacker', started, 'a1');
    void submit(queue, 'attacker', started, 'a2');
    void submit(queue, 'attacker', started, 'a3');
    void submit(queue, 'user', started, 'u1');
    await flush();
    expect(started).toEqual(['a1', 'u1']);
    expect(queue.stats).toEqual({ running: 2, waiting: 2 });
    (await first)();
    await flush();
    expect(started).toEqual(['a1', 'u1', 'a2']);
  });

  it('refuses a client past maxPerClient with overloaded and a retry hint, other clients still admitted', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 10, maxPerClient: 2, share: 1 });
    const started: string[] = [];
    void submit(queue, 'a', started);
    void submit(queue, 'a', started);
    expect(refusal(() => queue.acquire('a'))).toEqual({ code: 'overloaded', retryAfterMs: RETRY_AFTER_MS });
    expect(refusal(() => void queue.acquire('b'))).toBeNull();
  });

  it('refuses any client once maxQueued tasks wait, and admits again when one starts', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 2, maxPerClient: 10, share: 1 });
    const started: string[] = [];
    const running = submit(queue, 'a', started);
    void submit(queue, 'b', started);
    void submit(queue, 'c', started);
    expect(refusal(() => queue.acquire('d'))?.code).toBe('overloaded');
    (await running)();
    await flush();
    expect(started).toEqual(['a', 'b']);
    expect(refusal(() => void queue.acquire('d'))).toBeNull();
  });

  it('counts a release once, however often it is called', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 10, maxPerClient: 10, share: 1 });
    const started: string[] = [];
    const release = await submit(queue, 'a', started);
    void submit(queue, 'b', started);
    void submit(queue, 'c', started);
    release();
    release();
    await flush();
    expect(started).toEqual(['a', 'b']);
    expect(queue.stats).toEqual({ running: 1, waiting: 1 });
  });

  it('drops a waiting task whose client went away, freeing its place and its count', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 1, maxPerClient: 2, share: 1 });
    const started: string[] = [];
    const running = submit(queue, 'a', started, 'a1');
    const client = new AbortController();
    const waiting = queue.acquire('a', client.signal);
    expect(refusal(() => queue.acquire('b'))?.code).toBe('overloaded');
    client.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    expect(queue.stats).toEqual({ running: 1, waiting: 0 });
    void submit(queue, 'a', started, 'a2');
    (await running)();
    await flush();
    expect(started).toEqual(['a1', 'a2']);
  });

  it('refuses a task whose client is already gone, and ignores an abort once the task runs', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 1, maxPerClient: 1, share: 1 });
    expect(refusal(() => queue.acquire('a', AbortSignal.abort()))?.code).toBe('aborted');
    const client = new AbortController();
    const release = await queue.acquire('a', client.signal);
    client.abort();
    expect(queue.stats).toEqual({ running: 1, waiting: 0 });
    release();
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('lets a client hold its whole share when the share allows it', async () => {
    const queue = new FairQueue({ slots: 2, maxQueued: 10, maxPerClient: 10, share: 2 });
    const started: string[] = [];
    void submit(queue, 'a', started, 'a1');
    void submit(queue, 'a', started, 'a2');
    await flush();
    expect(started).toEqual(['a1', 'a2']);
  });

  it('shares half the workers per client by default, at least one', () => {
    expect([1, 2, 3, 4, 8].map(defaultShare)).toEqual([1, 1, 1, 2, 4]);
  });
});
