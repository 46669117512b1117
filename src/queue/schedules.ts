/**
 * Queue mode's schedules: one BullMQ job scheduler per scheduled registry
 * (`schedule/<registry id>`, cron in UTC), upserted by the API process from the registry store,
 * so a PATCHed schedule takes effect without a restart and a removed one stops. The scheduler's
 * jobs are taken by a small worker in the same process, which starts the crawl through the
 * coordinator (where runs are recorded).
 */
import { Worker, type Job } from 'bullmq';
import type { CrawlCoordinator } from '../api/index.js';
import type { RegistryConfig } from '../domain/registry.js';
import { SCHEDULE_TIME_ZONE } from '../runtime/schedule.js';
import { errorField, silentLogger, type ServiceLogger } from '../runtime/logger.js';
import { QUEUE_NAMES, jobId, type ScheduleJobData } from './jobs.js';
import type { Queues } from './queues.js';

const SCHEDULER_PREFIX = 'schedule/';

export class QueueSchedules {
  #worker: Worker<ScheduleJobData> | null = null;

  constructor(
    private readonly queues: Queues,
    private readonly logger: ServiceLogger = silentLogger,
  ) {}

  /** Makes the job schedulers match `configs`: upserts the scheduled, removes the rest. */
  async sync(configs: readonly RegistryConfig[]): Promise<void> {
    const wanted = new Set<string>();
    for (const config of configs) {
      if (!config.schedule) continue;
      wanted.add(jobId('schedule', config.id));
      await this.set(config.id, config.schedule);
    }
    for (const scheduler of await this.queues.schedule.getJobSchedulers()) {
      if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key))
        await this.queues.schedule.removeJobScheduler(scheduler.key);
    }
  }

  /** Sets (or with null/undefined removes) the schedule of one registry. */
  async set(registryId: string, expression: string | null | undefined): Promise<void> {
    const id = jobId('schedule', registryId);
    if (!expression) {
      await this.queues.schedule.removeJobScheduler(id);
      return;
    }
    await this.queues.schedule.upsertJobScheduler(
      id,
      { pattern: expression, tz: SCHEDULE_TIME_ZONE },
      { name: 'scheduled-crawl', data: { registryId } },
    );
    this.logger.info('schedule set', { registry: registryId, schedule: expression });
  }

  /** Starts taking the schedulers' jobs: each starts a crawl of its registry. */
  async run(crawls: CrawlCoordinator): Promise<void> {
    this.#worker = new Worker<ScheduleJobData>(
      QUEUE_NAMES.schedule,
      async (job: Job<ScheduleJobData>) => {
        const { crawlId } = await crawls.start(job.data.registryId, 'schedule');
        this.logger.info('schedule fired', { registry: job.data.registryId, crawl: crawlId });
        return { crawlId };
      },
      { ...this.queues.options(), concurrency: 1 },
    );
    this.#worker.on('failed', (job, error) =>
      this.logger.error('scheduled crawl not started', { registry: job?.data.registryId, error: errorField(error) }),
    );
    await this.#worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.#worker?.close();
  }
}
