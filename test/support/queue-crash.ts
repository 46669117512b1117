/**
 * The crash tests of queue mode (SQLite's single writer, PostgreSQL's writing fetch workers): a
 * registry holding CRASH_CORPUS with an embedded crawl of it for reference, a worker killed with
 * SIGKILL once a fifth of the crawl is indexed, and the checks that the crawl then completed with
 * nothing lost and nothing indexed twice.
 */
import { expect } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import type { CapturedProcess } from '../../src/demo/child-process.js';
import { pushBulkModels } from '../../src/demo/bulk.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { RegistryClient } from '../../src/registry/index.js';
import type { CrawlRunRecord, IndexStore } from '../../src/store/index.js';
import { logicalIndex } from './logical-index.js';
import { waitFor } from './queue-crawl.js';
import { tempIndex, type TempIndex } from './temp-index.js';

/** Requests per second to the registry, across workers: slow enough to kill a worker mid-crawl. */
export const CRASH_CORPUS = { repositories: 6, tags: 40, rateLimit: 150 } as const;
const TOTAL = CRASH_CORPUS.repositories * CRASH_CORPUS.tags;

/** A registry (in-memory storage) holding the corpus, and an embedded crawl of it. */
export async function crashRegistry(): Promise<{ registry: RunningRegistry; reference: TempIndex }> {
  const registry = await startRegistry({ storage: 'inmemory' });
  const pusher = new Pusher(registry.url);
  const { repositories, tags: tagsPerRepository } = CRASH_CORPUS;
  await pushBulkModels(pusher, { repositories, tagsPerRepository }).finally(() => pusher.close());
  const reference = tempIndex();
  const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
  await crawlRegistry(client, reference.index).finally(() => client.close());
  return { registry, reference };
}

/** Waits until a fifth of the corpus is in `index`, kills `worker`, checks the run goes on. */
export async function killMidCrawl(index: IndexStore, worker: CapturedProcess, runId: number): Promise<void> {
  await waitFor(
    () => index.countDocuments() >= TOTAL / 5,
    () => `no progress: ${worker.output()}`,
    60_000,
  );
  worker.child.kill('SIGKILL');
  await worker.exited;
  expect(index.countDocuments()).toBeLessThan(TOTAL);
  expect(index.getRun(runId)?.status).toBe('running');
}

/** The finished run indexed everything once: no error, the reference's index, every tag event once. */
export function expectCompleteCrawl(index: IndexStore, run: CrawlRunRecord, reference: IndexStore): void {
  expect(run.status).toBe('succeeded');
  expect(index.listErrors({ runId: run.id })).toEqual([]);
  expect(index.countDocuments()).toBe(TOTAL);
  expect(logicalIndex(index)).toEqual(logicalIndex(reference));
  const { repositories } = CRASH_CORPUS;
  expect(run.summary?.counts).toMatchObject({ repositories, manifestsNew: TOTAL, tagsAdded: TOTAL });
  const events = index.db
    .prepare('SELECT count(*) AS events, count(DISTINCT repository_id || tag) AS tags FROM tag_events')
    .get();
  expect(events).toEqual({ events: TOTAL, tags: TOTAL });
}
