/**
 * `ocidex worker`: BullMQ workers of queue mode (see src/queue/workers/main.ts) until SIGINT or SIGTERM.
 * REDIS_URL is required; its value (it may hold a password) is never printed.
 */
import { startWorkers, type WorkerRole } from '../queue/workers/main.js';
import { announceThenAwaitSignal } from './serve-command.js';

export interface WorkerCommandOptions {
  db: string;
  roles: string;
  lockDuration: number;
  stalledInterval: number;
}

const ROLES: readonly WorkerRole[] = ['fetch', 'write'];

/** Runs the workers; resolves with the exit code (2: bad usage). */
export async function runWorker(options: WorkerCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const redisUrl = env.REDIS_URL;
  if (redisUrl === undefined || redisUrl === '') {
    process.stderr.write('ocidex worker: REDIS_URL is not set; workers take their jobs from Redis (queue mode)\n');
    return 2;
  }
  const roles = options.roles
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  const unknown = roles.filter((role) => !ROLES.includes(role as WorkerRole));
  if (roles.length === 0 || unknown.length > 0) {
    process.stderr.write(`ocidex worker: --roles takes fetch, write or both, not '${options.roles}'\n`);
    return 2;
  }
  const workers = await startWorkers({
    redisUrl,
    db: options.db,
    roles: roles as WorkerRole[],
    env,
    lockDurationMs: options.lockDuration,
    stalledIntervalMs: options.stalledInterval,
  });
  const signal = await announceThenAwaitSignal(() =>
    process.stdout.write(`ocidex worker running (${roles.join(', ')})\n`),
  );
  process.stderr.write(`ocidex worker: ${signal}, shutting down\n`);
  return (await workers.close()) ? 0 : 1;
}
