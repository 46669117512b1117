/**
 * Queue mode's crawl coordinator (in the API process): records the run in the index, then adds
 * the crawl job. One crawl per registry: the crawl job's id is `crawl/<registry id>`, so while
 * a crawl of a registry is waiting or running, starting it again answers that crawl's id.
 */
import type { CrawlCoordinator, RegistryConfigStore } from '../api/index.js';
import type { CrawlTrigger } from '../domain/registry.js';
import { runParams } from '../crawl/crawl-registry.js';
import { OcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { canonicalRegistry } from '../registry/index.js';
import { failedSummary } from '../crawl/repository-outcome.js';
import { silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { JOB_OPTIONS } from './job-options.js';
import { jobId, type CrawlJobData } from './jobs.js';
import type { Queues } from './queues.js';

/** How long a start waits for a finished crawl's job to complete: 100 x 20 ms. */
const FINISHING_POLLS = 100;
const FINISHING_POLL_MS = 20;

/** States in which a crawl job is still to finish. */
const UNFINISHED = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface QueueCoordinatorOptions {
  index: IndexStore;
  registries: RegistryConfigStore;
  queues: Queues;
  logger?: ServiceLogger;
}

export class QueueCoordinator implements CrawlCoordinator {
  readonly #options: QueueCoordinatorOptions;
  /** registry id -> a start between its check and its job (one process's own races). */
  readonly #starting = new Map<string, Promise<{ crawlId: number }>>();

  constructor(options: QueueCoordinatorOptions) {
    this.#options = options;
  }

  start(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }> {
    let starting = this.#starting.get(registryId);
    if (starting === undefined) {
      starting = this.#begin(registryId, trigger).finally(() => this.#starting.delete(registryId));
      this.#starting.set(registryId, starting);
    }
    return starting;
  }

  /** The run id of the registry's unfinished crawl, or null. */
  async activeCrawl(registryId: string): Promise<number | null> {
    const job = await this.#options.queues.crawl.getJob(jobId('crawl', registryId));
    if (job === undefined || !UNFINISHED.has(await job.getState())) return null;
    return job.data.runId;
  }

  /**
   * The unfinished crawl's run id. A crawl whose run is already recorded as finished has only
   * its job left to complete (the writer finishes the run first): wait for it, briefly.
   */
  async #activeUnlessFinishing(registryId: string): Promise<number | null> {
    for (let attempt = 0; attempt < FINISHING_POLLS; attempt++) {
      const active = await this.activeCrawl(registryId);
      if (active === null || this.#options.index.getRun(active)?.status === 'running') return active;
      await new Promise((resolve) => setTimeout(resolve, FINISHING_POLL_MS));
    }
    return this.activeCrawl(registryId);
  }

  async #begin(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }> {
    const { index, registries, queues } = this.#options;
    const active = await this.#activeUnlessFinishing(registryId);
    if (active !== null) return { crawlId: active };
    const config = await registries.get(registryId);
    if (config === null) throw new OcidexError('not_found', `no registry '${registryId}'`);
    const registry = canonicalRegistry(config.url);
    const runId = index.startRun(registry, { ...runParams(config), trigger, registryId });
    const startedAt = new Date().toISOString();
    const data: CrawlJobData = {
      runId,
      registryId,
      config,
      registry,
      referrersApi: index.getReferrersApi(registry),
      startedAt,
    };
    const job = await queues.crawl.add('crawl', data, { ...JOB_OPTIONS, jobId: jobId('crawl', registryId) });
    if (job.data.runId !== runId) {
      // Another process started this registry's crawl in between: answer that one.
      index.finishRun(
        runId,
        failedSummary(
          registry,
          startedAt,
          new OcidexError('invalid_argument', `superseded by crawl ${job.data.runId}`),
        ),
      );
      return { crawlId: job.data.runId };
    }
    (this.#options.logger ?? silentLogger).info('crawl queued', { registry: registryId, crawl: runId, trigger });
    return { crawlId: runId };
  }
}
