/**
 * A real redis-server for the calling suite and two connections to it, standing for two workers
 * (started before its tests, closed after them).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RunningRedis } from './redis-process.js';

export interface RedisPair {
  readonly server: RunningRedis;
  readonly first: Redis;
  readonly second: Redis;
}

export function useRedisPair(): RedisPair {
  const pair = {} as { server: RunningRedis; first: Redis; second: Redis };
  beforeAll(async () => {
    pair.server = await startRedis();
    pair.first = new Redis(pair.server.url);
    pair.second = new Redis(pair.server.url);
  });
  afterAll(async () => {
    pair.first?.disconnect();
    pair.second?.disconnect();
    await pair.server?.stop();
  });
  return pair;
}
