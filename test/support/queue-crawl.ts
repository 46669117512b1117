/**
 * Queue mode in a test: workers on a real Redis writing a temp index, and the API side's
 * coordinator starting crawls on it.
 */
import type { RegistryConfigStore } from '../../src/api/index.js';
import type { RegistryConfig } from '../../src/domain/registry.js';
import type { CrawlRunRecord, IndexStore } from '../../src/store/index.js';
import { QueueCoordinator } from '../../src/queue/coordinator.js';
import { Queues } from '../../src/queue/queues.js';
import { silentLogger } from '../../src/runtime/logger.js';

/** A registry store holding fixed configurations. */
export function fixedRegistries(...configs: RegistryConfig[]): RegistryConfigStore {
  const find = async (id: string) => configs.find((config) => config.id === id) ?? null;
  const refuse = async (): Promise<never> => {
    throw new Error('read-only');
  };
  return { list: async () => configs, get: find, create: refuse, update: refuse, remove: refuse };
}

/** The API side of queue mode over `index`. */
export function queueCoordinator(redisUrl: string, index: IndexStore, ...configs: RegistryConfig[]) {
  const queues = new Queues({ redisUrl });
  const coordinator = new QueueCoordinator({
    index,
    registries: fixedRegistries(...configs),
    queues,
    logger: silentLogger,
  });
  return { queues, coordinator };
}

/** Polls the run until it has finished (or `timeoutMs` passes: then it throws). */
export async function finishedRun(index: IndexStore, runId: number, timeoutMs = 60_000): Promise<CrawlRunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = index.getRun(runId);
    if (run !== null && run.status !== 'running') return run;
    if (Date.now() > deadline)
      throw new Error(`crawl ${runId} still ${run?.status ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
