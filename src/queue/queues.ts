/**
 * Redis connections and the queues of queue mode. BullMQ needs `maxRetriesPerRequest: null` on
 * connections its workers block on; every queue and worker makes its own connection from the
 * options, so closing one never cuts another. The key prefix lets tests and deployments share one Redis.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { OcidexError } from '../domain/errors.js';
import {
  QUEUE_NAMES,
  type CrawlJobData,
  type EventJobData,
  type ManifestJobData,
  type RepositoryJobData,
  type ScheduleJobData,
} from './jobs.js';

export const DEFAULT_QUEUE_PREFIX = 'ocidex';

export interface QueueSettings {
  /** `redis://[user:password@]host:port[/db]`. */
  redisUrl: string;
  /** Key prefix of every queue; default `ocidex`. */
  prefix?: string;
}

/**
 * Connection options from `url`, as BullMQ wants them (it makes and closes its own connections
 * from options). The URL may hold a password: it is never logged or put in an error.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OcidexError('invalid_argument', 'REDIS_URL is not a URL (redis://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new OcidexError(
      'invalid_argument',
      `REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`,
    );
  }
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    maxRetriesPerRequest: null,
  };
  if (parsed.username !== '') options.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') options.db = Number(db);
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

/** The queues a process adds jobs to. */
export class Queues {
  readonly crawl: Queue<CrawlJobData>;
  readonly repository: Queue<RepositoryJobData>;
  readonly manifest: Queue<ManifestJobData>;
  readonly write: Queue;
  readonly event: Queue<EventJobData>;
  readonly schedule: Queue<ScheduleJobData>;
  readonly prefix: string;
  /** A plain connection for the process's own commands (rate limits, readiness). */
  readonly redis: Redis;
  readonly #settings: QueueSettings;

  constructor(settings: QueueSettings) {
    this.#settings = settings;
    this.prefix = settings.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.redis = new Redis(redisOptions(settings.redisUrl));
    this.crawl = new Queue(QUEUE_NAMES.crawl, this.options());
    this.repository = new Queue(QUEUE_NAMES.repository, this.options());
    this.manifest = new Queue(QUEUE_NAMES.manifest, this.options());
    this.write = new Queue(QUEUE_NAMES.write, this.options());
    this.event = new Queue(QUEUE_NAMES.event, this.options());
    this.schedule = new Queue(QUEUE_NAMES.schedule, this.options());
  }

  /** Options for a queue or worker: a fresh connection, the prefix. */
  options(): { connection: ConnectionOptions; prefix: string } {
    return { connection: redisOptions(this.#settings.redisUrl), prefix: this.prefix };
  }

  all(): Array<Queue> {
    return [this.crawl, this.repository, this.manifest, this.write, this.event, this.schedule] as Queue[];
  }

  /** Jobs waiting or running, by queue (the `/metrics` queue depth). */
  async depth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const queue of this.all()) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      depth[queue.name] = Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return depth;
  }

  /** Whether Redis answers PING within `timeoutMs`. */
  async reachable(timeoutMs = 1_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ping = this.redis.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // A connection closed while still being set up fails BullMQ's and ioredis's own setup
    // commands as unhandled rejections ("Connection is closed", bullmq #638, #2385): let every
    // connection finish connecting (or fail) first.
    await Promise.allSettled([...this.all().map((queue) => queue.waitUntilReady()), connected(this.redis)]);
    const results = await Promise.allSettled([...this.all().map((queue) => queue.close()), this.redis.quit()]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }
}

/** Resolves once `redis` is ready, has ended, or after `timeoutMs`. */
function connected(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready' || redis.status === 'end') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done).off('end', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done).once('end', done);
  });
}
