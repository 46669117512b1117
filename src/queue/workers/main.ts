/**
 * `ocidex worker`: the processes of queue mode. A worker runs the fetch role (crawl, repository
 * and manifest queues: registry requests), the write role (the write queue; it makes no registry
 * request), or both. On SQLite the writer is the one process that holds the index file (global
 * concurrency 1); fetch workers scale out to any machine that reaches Redis and the registries.
 * On PostgreSQL every worker writes: a fetch worker takes write jobs too, several at once, as
 * concurrent writers the database keeps safe (every write job is an idempotent upsert, see
 * index-writer.ts).
 *
 * Shutdown (SIGINT/SIGTERM): stop taking jobs and let running ones finish for a grace period;
 * what is still running then is handed back (its lock lapses, another worker takes it over as
 * a stalled job). Then close queues, registry connections and the index; every step runs.
 */
import { setMaxListeners } from 'node:events';
import { Worker, type Processor } from 'bullmq';
import { canonicalRegistry } from '../../registry/index.js';
import { DEFAULT_LIMITS, type CrawlLimits } from '../../crawl/context.js';
import { isPostgresUrl, openIndex, type IndexStore } from '../../store/index.js';
import { QUEUE_NAMES } from '../jobs.js';
import { Queues, type QueueSettings } from '../queues.js';
import type { SyncChunkLimits } from '../sync-chunks.js';
import { type DirectWriter, Writes } from '../writes.js';
import { RedisRateLimiter, registryRateKey } from '../rate-limit.js';
import { RedisRunTally } from '../run-tally.js';
import { ClientPool, type ClientDefaults } from '../../runtime/registry-clients.js';
import { streamLogger, type ServiceLogger } from '../../runtime/logger.js';
import { runShutdown, type ShutdownStep } from '../../runtime/shutdown.js';
import { crawlProcessor } from './crawl-processor.js';
import { eventProcessor } from './event-processor.js';
import { indexWriter, runWrite } from './index-writer.js';
import { manifestProcessor } from './manifest-processor.js';
import { repositoryProcessor } from './repository-processor.js';

export type WorkerRole = 'fetch' | 'write';

/** Jobs run at once per queue in one fetch worker. */
export const FETCH_CONCURRENCY = { crawl: 2, repository: 4, manifest: 8 } as const;
/** Write jobs run at once per worker on PostgreSQL (SQLite: one in all). */
export const POSTGRES_WRITE_CONCURRENCY = 4;
/** How long shutdown lets running jobs finish before handing them back. */
export const WORKER_STOP_GRACE_MS = 10_000;

export interface WorkerOptions extends QueueSettings {
  roles: readonly WorkerRole[];
  /** The index file; needed by the write role. */
  db?: string;
  limits?: Partial<CrawlLimits>;
  /** How a repository's sync is cut into write jobs (default SYNC_CHUNK). */
  syncChunk?: SyncChunkLimits;
  clientDefaults?: ClientDefaults;
  env?: NodeJS.ProcessEnv;
  logger?: ServiceLogger;
  /** A job's lock lasts this long unless renewed (BullMQ default 30 s); a dead worker's jobs return after it. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (BullMQ default 30 s). */
  stalledIntervalMs?: number;
}

export interface RunningWorkers {
  /** The index, when this process is the writer. */
  index: IndexStore | null;
  close(): Promise<boolean>;
}

/** Starts the workers of `options.roles`; resolves once they take jobs. */
export async function startWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const logger = options.logger ?? streamLogger();
  const queues = new Queues(options);
  const abort = new AbortController();
  // Every request of every running job listens to it.
  setMaxListeners(0, abort.signal);
  const clients = new ClientPool(options.clientDefaults, options.env, (config) =>
    config.rateLimit === undefined
      ? {}
      : {
          rateLimiter: new RedisRateLimiter({
            redis: queues.redis,
            key: registryRateKey(queues.prefix, canonicalRegistry(config.url)),
            ratePerSecond: config.rateLimit,
          }),
        },
  );
  const workers: Worker[] = [];
  const settings = {
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
  };
  const start = (name: string, processor: Processor, concurrency: number): void => {
    const worker = new Worker(name, processor, { ...queues.options(), ...settings, concurrency });
    worker.on('failed', (job, error) =>
      logger.error('job failed', { queue: name, job: job?.id, error: error.message }),
    );
    worker.on('error', (error) => logger.error('worker error', { queue: name, error: error.message }));
    workers.push(worker);
  };
  let index: IndexStore | null = null;
  let direct: DirectWriter | null = null;
  if (writesIndex(options)) {
    if (options.db === undefined) throw new Error('the write role needs the index (--db)');
    const writer = { index: openIndex(options.db), logger };
    index = writer.index;
    const concurrent = index.db.dialect === 'postgres';
    await (concurrent ? queues.write.removeGlobalConcurrency() : queues.write.setGlobalConcurrency(1));
    start(QUEUE_NAMES.write, indexWriter(writer), concurrent ? POSTGRES_WRITE_CONCURRENCY : 1);
    // On PostgreSQL this worker's fetch jobs write themselves (writes.ts).
    if (concurrent) direct = (name, data) => runWrite(writer, name, data);
  }
  if (options.roles.includes('fetch')) {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const writes = new Writes(queues, direct);
    const tally = new RedisRunTally(queues.redis, queues.prefix);
    const deps = { queues, writes, tally, clients, limits, syncChunk: options.syncChunk, signal: abort.signal };
    start(QUEUE_NAMES.crawl, crawlProcessor(deps) as Processor, FETCH_CONCURRENCY.crawl);
    start(QUEUE_NAMES.repository, repositoryProcessor(deps) as Processor, FETCH_CONCURRENCY.repository);
    start(QUEUE_NAMES.manifest, manifestProcessor(deps) as Processor, FETCH_CONCURRENCY.manifest);
    // One event at a time over all fetch workers: their writes then keep arrival order.
    await queues.event.setGlobalConcurrency(1);
    start(QUEUE_NAMES.event, eventProcessor(deps) as Processor, 1);
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  logger.info('worker started', { roles: options.roles, queues: workers.map((worker) => worker.name) });
  let closing: Promise<boolean> | null = null;
  const close = (): Promise<boolean> =>
    (closing ??= runShutdown(shutdownSteps(workers, abort, queues, clients, index), logger));
  return { index, close };
}

/** The write role, asked for, or implied for a fetch worker on PostgreSQL (every worker writes there). */
function writesIndex(options: WorkerOptions): boolean {
  if (options.roles.includes('write')) return true;
  return options.roles.includes('fetch') && options.db !== undefined && isPostgresUrl(options.db);
}

function shutdownSteps(
  workers: Worker[],
  abort: AbortController,
  queues: Queues,
  clients: ClientPool,
  index: IndexStore | null,
): ShutdownStep[] {
  return [
    {
      name: 'stop taking jobs',
      run: () => Promise.all(workers.map((worker) => worker.pause(true))).then(() => undefined),
    },
    {
      name: 'finish running jobs',
      run: () => Promise.all(workers.map((worker) => worker.close())).then(() => undefined),
      timeoutMs: WORKER_STOP_GRACE_MS,
    },
    {
      name: 'hand back unfinished jobs',
      run: () => {
        abort.abort();
        return Promise.all(workers.map((worker) => worker.close(true))).then(() => undefined);
      },
    },
    { name: 'close the queues', run: () => queues.close() },
    { name: 'close registry connections', run: () => clients.close() },
    { name: 'close the index', run: () => index?.close() },
  ];
}
