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
import { spawnCaptured, type CapturedProcess } from '../../src/demo/child-process.js';

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

/** Waits until `ready()` holds, polling every 20 ms; throws `failure()` past the timeout. */
export async function waitFor(ready: () => boolean, failure: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `ocidex worker` (dist/) with `args` and `env` added to this process's environment, with
 * the short lock of the crash tests; resolves once it takes jobs. A short lock brings a killed
 * worker's jobs back soon; too short, and a live worker whose lock renewal is late on a loaded
 * machine (a long index write blocks its event loop) loses its job as stalled twice, which
 * failed the crash test 2 runs in 13 with a 1.5 s lock. `started` gets the process at once.
 */
export async function startCrashTestWorker(
  args: string[],
  env: NodeJS.ProcessEnv,
  started: CapturedProcess[],
): Promise<CapturedProcess> {
  const cli = new URL('../../dist/src/cli.js', import.meta.url).pathname;
  const lock = ['--lock-duration', '4000', '--stalled-interval', '1000'];
  const worker = spawnCaptured(process.execPath, [cli, 'worker', ...args, ...lock], {
    ...process.env,
    DOCKER_CONFIG: '/nonexistent',
    ...env,
  });
  started.push(worker); // stopped by the test's cleanup even when it never starts
  await waitFor(
    () => worker.output().includes('ocidex worker running'),
    () => `worker did not start: ${worker.output()}`,
  );
  return worker;
}
