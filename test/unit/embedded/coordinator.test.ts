/** The embedded coordinator against the in-process fake registry: real client, real crawl, real index. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedCoordinator } from '../../../src/embedded/index.js';
import { IndexRegistryStore } from '../../../src/runtime/index.js';
import { FakeRegistry } from '../../support/fake-registry.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

const FAST_RETRY = { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 20 };
let fake: FakeRegistry;
let temp: TempIndex;
let registries: IndexRegistryStore;
let coordinator: EmbeddedCoordinator;
const finished: string[] = [];

beforeEach(async () => {
  fake = await FakeRegistry.start();
  temp = tempIndex();
  registries = new IndexRegistryStore(temp.index);
  await registries.create({ id: 'fake', url: fake.url });
  coordinator = new EmbeddedCoordinator({
    index: temp.index,
    registries,
    clientDefaults: { retry: FAST_RETRY, dockerConfigPath: null },
    env: { OCIDEX_CRED_FAKE_TOKEN: 'token' },
    metrics: { crawlFinished: (status) => finished.push(status) },
  });
  for (const name of ['models/a', 'models/b']) {
    fake.pushArtifact(name, {
      tag: 'v1',
      config: { name },
      layers: [{ mediaType: 'application/x-model', content: name }],
    });
  }
});
afterEach(async () => {
  await coordinator.close();
  temp.cleanup();
  await fake.close();
  finished.length = 0;
});

async function until<T>(read: () => T | null | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('EmbeddedCoordinator', () => {
  it('runs one crawl per registry: a second start answers the running crawl', async () => {
    fake.faults.add({ path: /\/v2\/models\/b\/tags\/list/, delayMs: 300 });
    const [first, second] = await Promise.all([
      coordinator.start('fake', 'api'),
      coordinator.start('fake', 'schedule'),
    ]);
    expect(second.crawlId).toBe(first.crawlId);
    expect((await coordinator.start('fake', 'api')).crawlId).toBe(first.crawlId);
    expect(coordinator.activeCrawl('fake')).toBe(first.crawlId);
    await coordinator.idle();
    const run = temp.index.getRun(first.crawlId);
    expect(run).toMatchObject({
      status: 'succeeded',
      registry: fake.host,
      params: { trigger: 'api', registryId: 'fake', include: [], exclude: [] },
    });
    expect(run?.summary?.counts).toMatchObject({ repositories: 2, manifestsNew: 2 });
    expect(temp.index.listRuns()).toHaveLength(1);
    expect(finished).toEqual(['succeeded']);
    const next = await coordinator.start('fake', 'schedule');
    expect(next.crawlId).not.toBe(first.crawlId);
    await coordinator.idle();
    expect(temp.index.getRun(next.crawlId)?.params).toMatchObject({ trigger: 'schedule' });
  });

  it('shows the counts so far while the crawl runs', async () => {
    fake.faults.add({ path: /\/v2\/models\/b\/tags\/list/, delayMs: 400 });
    const { crawlId } = await coordinator.start('fake', 'api');
    const running = await until(() => {
      const run = temp.index.getRun(crawlId);
      return run?.status === 'running' && (run.progress?.repositories ?? 0) >= 1 ? run : null;
    }, 'progress while running');
    expect(running.progress).toMatchObject({ repositories: 1, manifestsNew: 1 });
    expect(running.summary).toBeNull();
    await coordinator.idle();
    expect(temp.index.getRun(crawlId)?.progress).toMatchObject({ repositories: 2 });
  });

  it('crawls the configured repositories only, with credentials from the named variables', async () => {
    await registries.update('fake', {
      repositories: ['models/b'],
      credentials: { passwordEnv: 'OCIDEX_CRED_FAKE_TOKEN' },
    });
    const { crawlId } = await coordinator.start('fake', 'api');
    await coordinator.idle();
    expect(temp.index.getRun(crawlId)?.summary?.counts.repositories).toBe(1);
    expect(temp.index.listRepositories(fake.host)).toEqual(['models/b']);
  });

  it('refuses an unknown registry and one whose credential variable is unset, recording no run', async () => {
    await expect(coordinator.start('nothing', 'api')).rejects.toMatchObject({ code: 'not_found' });
    await registries.update('fake', { credentials: { passwordEnv: 'OCIDEX_CRED_UNSET_TOKEN' } });
    await expect(coordinator.start('fake', 'api')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/OCIDEX_CRED_UNSET_TOKEN is not set/),
    });
    expect(temp.index.listRuns()).toEqual([]);
  });

  it('aborts a running crawl on close; the run records its end and later starts are refused', async () => {
    fake.faults.add({ path: /\/v2\/models\/b\/tags\/list/, delayMs: 10_000 });
    const { crawlId } = await coordinator.start('fake', 'api');
    await until(() => (temp.index.getRun(crawlId)?.progress ? true : null), 'first repository');
    const started = Date.now();
    await coordinator.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(temp.index.getRun(crawlId)?.status).not.toBe('running');
    await expect(coordinator.start('fake', 'api')).rejects.toMatchObject({ code: 'timeout' });
  });
});
