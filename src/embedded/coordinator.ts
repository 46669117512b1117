/**
 * Embedded mode's crawl coordinator: crawls run in this process with the same pipeline as the
 * CLI (`crawlRegistry`), at most `maxCrawls` at once and at most one per registry: starting a
 * registry whose crawl is waiting or running answers that crawl's id, and so does one that
 * another process sharing the index is crawling (PostgreSQL: several `serve` processes). The run
 * is recorded before `start` resolves; its counts are updated after each repository.
 */
import type { CrawlCoordinator, RegistryConfigStore } from '../api/index.js';
import type { CrawlTrigger, RegistryConfig } from '../domain/registry.js';
import type { CrawlLimits } from '../crawl/context.js';
import { crawlRegistry, runParams, type CrawlOptions } from '../crawl/crawl-registry.js';
import { OcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { RegistryClient } from '../registry/index.js';
import { failedSummary } from '../crawl/repository-outcome.js';
import { errorField, silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { clientOptions, type ClientDefaults } from '../runtime/registry-clients.js';
import { Slots } from './slots.js';

/** Crawls run at once by default (each has its own per-registry request concurrency). */
export const DEFAULT_MAX_CRAWLS = 2;

export interface CoordinatorOptions {
  index: IndexStore;
  registries: RegistryConfigStore;
  maxCrawls?: number;
  limits?: Partial<CrawlLimits>;
  clientDefaults?: ClientDefaults;
  env?: NodeJS.ProcessEnv;
  /** Told of each finished crawl (the API's Metrics). */
  metrics?: { crawlFinished(status: string): void };
  logger?: ServiceLogger;
}

/** Starts crawls in process; see the module comment. */
export class EmbeddedCoordinator implements CrawlCoordinator {
  readonly #options: CoordinatorOptions;
  readonly #logger: ServiceLogger;
  readonly #slots: Slots;
  readonly #abort = new AbortController();
  /** registry id -> the crawl waiting or running. */
  readonly #active = new Map<string, { crawlId: number; done: Promise<void> }>();
  /** registry id -> a start between its check and its record. */
  readonly #starting = new Map<string, Promise<{ crawlId: number }>>();

  constructor(options: CoordinatorOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#slots = new Slots(options.maxCrawls ?? DEFAULT_MAX_CRAWLS);
  }

  start(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }> {
    const active = this.#active.get(registryId);
    if (active !== undefined) return Promise.resolve({ crawlId: active.crawlId });
    let starting = this.#starting.get(registryId);
    if (starting === undefined) {
      starting = this.#begin(registryId, trigger).finally(() => this.#starting.delete(registryId));
      this.#starting.set(registryId, starting);
    }
    return starting;
  }

  /** The crawl id of the registry's waiting or running crawl, or null. */
  activeCrawl(registryId: string): number | null {
    return this.#active.get(registryId)?.crawlId ?? null;
  }

  /** Resolves once no crawl is waiting or running. */
  async idle(): Promise<void> {
    while (this.#active.size > 0 || this.#starting.size > 0) {
      await Promise.allSettled([...this.#starting.values(), ...[...this.#active.values()].map((crawl) => crawl.done)]);
    }
  }

  /** Refuses new crawls, aborts the running ones and waits for them to record their end. */
  async close(): Promise<void> {
    this.#abort.abort(new OcidexError('aborted', 'the service is shutting down'));
    await this.idle();
  }

  async #begin(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }> {
    if (this.#abort.signal.aborted)
      throw new OcidexError('timeout', 'the service is shutting down; try again later', { transient: true });
    const config = await this.#options.registries.get(registryId);
    if (config === null) throw new OcidexError('not_found', `no registry '${registryId}'`);
    const client = new RegistryClient(clientOptions(config, this.#options.env, this.#options.clientDefaults));
    const options = crawlOptions(config, this.#abort.signal, this.#options.limits);
    const params = { ...runParams(options), trigger, registryId };
    const { runId: crawlId, started } = this.#options.index.startRunOnce(client.registry, params);
    if (!started) {
      // Another process sharing the index crawls it now: its run is the answer.
      this.#logger.info('crawl already running elsewhere', { registry: registryId, crawl: crawlId, trigger });
      await client.close().catch(() => undefined);
      return { crawlId };
    }
    this.#logger.info('crawl started', { registry: registryId, crawl: crawlId, trigger });
    const done = this.#run(registryId, client, { ...options, runId: crawlId }).finally(() =>
      this.#active.delete(registryId),
    );
    this.#active.set(registryId, { crawlId, done });
    return { crawlId };
  }

  async #run(registryId: string, client: RegistryClient, options: CrawlOptions & { runId: number }): Promise<void> {
    const { index, metrics } = this.#options;
    const startedAt = new Date().toISOString();
    const release = await this.#slots.acquire(options.signal);
    try {
      const onRepository = this.#progressReporter(options.runId);
      const summary = await crawlRegistry(client, index, { ...options, onRepository });
      metrics?.crawlFinished(summary.status);
      this.#logger.info('crawl finished', {
        registry: registryId,
        crawl: options.runId,
        status: summary.status,
        counts: summary.counts,
      });
    } catch (error) {
      this.#logger.error('crawl failed', { registry: registryId, crawl: options.runId, error: errorField(error) });
      try {
        index.finishRun(options.runId, failedSummary(client.registry, startedAt, error));
      } catch (recordError) {
        this.#logger.error('crawl end not recorded', { crawl: options.runId, error: errorField(recordError) });
      }
    } finally {
      release();
      await client.close().catch(() => undefined);
    }
  }

  /** Records the counts after each repository; a failure to record them never fails the crawl. */
  #progressReporter(runId: number): NonNullable<CrawlOptions['onRepository']> {
    return ({ counts }) => {
      try {
        this.#options.index.updateRunProgress(runId, counts);
      } catch (error) {
        this.#logger.error('crawl progress not recorded', { crawl: runId, error: errorField(error) });
      }
    };
  }
}

function crawlOptions(
  config: RegistryConfig,
  signal: AbortSignal,
  limits: Partial<CrawlLimits> | undefined,
): CrawlOptions {
  const options: CrawlOptions = { signal };
  if (config.repositories !== undefined) options.repositories = config.repositories;
  if (config.include !== undefined) options.include = config.include;
  if (config.exclude !== undefined) options.exclude = config.exclude;
  if (limits !== undefined) options.limits = limits;
  return options;
}
