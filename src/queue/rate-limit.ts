/**
 * A per-registry request rate shared by every worker process: GCRA (the generic cell rate
 * algorithm) keeps one number per registry, the theoretical arrival time (TAT) of the next request,
 * and a request may go once `now >= TAT - interval - burst tolerance`. The TAT lives in Redis and
 * one Lua script reads and advances it atomically, so N workers together send at the configured
 * rate instead of N times it.
 */
import type { Redis } from 'ioredis';
import type { RequestRateLimiter } from '../registry/index.js';

/** Registered once per connection with `defineCommand` (EVALSHA, falling back to EVAL). */
const COMMAND = 'ocidexGcraReserve';

/** The key outlives its TAT by this much: an expired key must never forget a reservation. */
const KEY_SLACK_MS = 60_000;

/**
 * KEYS[1] the TAT in ms; ARGV: now, interval, tolerance (ms). Reserves the next slot even when it
 * has to wait, so callers are served in order and never overshoot; returns the wait in whole ms.
 */
const GCRA_LUA = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
local new_tat = math.max(tat, now) + interval
local wait = math.max(0, new_tat - interval - tolerance - now)
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + ${KEY_SLACK_MS})
return math.ceil(wait)
`;

type GcraRedis = Redis & {
  [COMMAND](key: string, now: number, interval: number, tolerance: number): Promise<number>;
};

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** One key per registry: see `registryRateKey`. */
  key: string;
  ratePerSecond: number;
  /** Requests that may go back to back after a quiet spell; default max(1, ratePerSecond). */
  burst?: number;
  /** Milliseconds since the epoch; tests inject a fixed clock. */
  now?: () => number;
}

/** `${prefix}:ratelimit:${registry}` */
export function registryRateKey(prefix: string, registry: string): string {
  return `${prefix}:ratelimit:${registry}`;
}

/** A RequestRateLimiter whose budget is shared through Redis by everyone using the same key. */
export class RedisRateLimiter implements RequestRateLimiter {
  private readonly redis: GcraRedis;
  private readonly key: string;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;

  constructor(options: RedisRateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    const burst = options.burst ?? Math.max(1, options.ratePerSecond);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    if (!(COMMAND in options.redis)) options.redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: GCRA_LUA });
    this.redis = options.redis as GcraRedis;
    this.key = options.key;
    this.intervalMs = 1000 / options.ratePerSecond;
    this.toleranceMs = this.intervalMs * (burst - 1);
    this.now = options.now ?? Date.now;
  }

  /** Reserves the next slot and resolves with how long to wait for it in ms (0: go now). */
  async reserve(now: number = this.now()): Promise<number> {
    return Number(await this.redis[COMMAND](this.key, now, this.intervalMs, this.toleranceMs));
  }

  /** Reserves a slot and waits for it; rejects with the signal's reason when it aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wait = await this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
