/**
 * Queue mode as a user runs it: `ocidex serve` and `ocidex worker` as child processes with
 * REDIS_URL set, a real Redis and a real docker-registry. A crawl asked of the API is done by
 * the worker; both processes exit 0 after their shutdown steps on SIGTERM.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { pushSampleSet } from '../../src/demo/sample-set.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const ADMIN = { Authorization: 'Bearer admin-token-queue' };
let registry: RunningRegistry;
let redis: RunningRedis;
let temp: TempIndex;
let serve: CapturedProcess;
let worker: CapturedProcess;
let url: string;

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OCIDEX_')),
  );
  return { ...env, DOCKER_CONFIG: '/nonexistent', ...extra };
}

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  [registry, redis] = await Promise.all([startRegistry(), startRedis()]);
  const pusher = new Pusher(registry.url);
  await pushSampleSet(pusher).finally(() => pusher.close());
  temp = tempIndex();
  temp.index.close();
  const config = join(temp.path, '..', 'ocidex.yaml');
  writeFileSync(config, `registries:\n  - { id: local, url: "${registry.host}" }\n`);
  const env = environment({ REDIS_URL: redis.url, OCIDEX_ADMIN_TOKEN: 'admin-token-queue' });
  serve = spawnCaptured(process.execPath, [CLI, 'serve', '--config', config, '--db', temp.path, '--port', '0'], env);
  worker = spawnCaptured(process.execPath, [CLI, 'worker', '--db', temp.path], env);
  url = await until(
    () => /ocidex serving on (http:\/\/\S+) \(queue mode\)/.exec(serve.output())?.[1],
    () => `serve: ${serve.output()}`,
  );
  await until(
    () => (worker.output().includes('ocidex worker running') ? true : undefined),
    () => `worker: ${worker.output()}`,
  );
}, 60_000);

afterAll(async () => {
  for (const process of [serve, worker]) if (process !== undefined) await stopProcess(process);
  temp?.cleanup();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

describe('ocidex serve and ocidex worker with REDIS_URL', () => {
  it('is ready with the index and Redis', async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { index: true, redis: true } });
  });

  it('crawls through the worker when the API is asked to, and serves the result', async () => {
    const started = await fetch(`${url}/v1/registries/local/crawl`, { method: 'POST', headers: ADMIN });
    expect(started.status).toBe(202);
    const { crawlId: id } = (await started.json()) as { crawlId: number };
    const crawl = await until(
      async () => {
        const body = (await (await fetch(`${url}/v1/crawls/${id}`)).json()) as {
          status: string;
          counts: { manifestsNew: number } | null;
        };
        return body.status === 'running' ? undefined : body;
      },
      () => `crawl ${id}; worker: ${worker.output()}`,
    );
    expect(crawl.status).toBe('succeeded');
    expect(crawl.counts?.manifestsNew).toBeGreaterThan(5);
    const models = await fetch(`${url}/v1/models?q=${encodeURIComponent("$[?@.model.license == 'Apache-2.0']")}`);
    const page = (await models.json()) as { items: Array<{ model: { license: string } }> };
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((item) => item.model.license === 'Apache-2.0')).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ocidex_queue_depth\{queue="ocidex-manifest"\} 0/);
  });

  it('exits 0 after the shutdown steps of both processes on SIGTERM', async () => {
    for (const child of [worker, serve]) {
      child.child.kill('SIGTERM');
      const { code } = await child.exited;
      expect(code, child.output()).toBe(0);
    }
    expect(worker.output()).toContain('shutdown: close the index');
    expect(serve.output()).toContain('shutdown: close the queues');
    expect(serve.output() + worker.output()).not.toContain(redis.url);
  });

  it('refuses to run a worker without REDIS_URL', async () => {
    const failed = await promisify(execFile)(process.execPath, [CLI, 'worker'], { env: environment({}) }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/REDIS_URL is not set/) });
  });
});
