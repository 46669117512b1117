/**
 * Queue-mode benchmark (`npm run bench:queue`): one real local registry (default 40 repositories
 * x 50 tags = 2,000 manifests) crawled, then recrawled unchanged, three ways side by side:
 * embedded (`crawlRegistry` in this process), queue mode with one worker process (fetch + write),
 * and queue mode with three (one writer, two fetchers). Workers are `ocidex worker` child
 * processes from dist/ on one real redis-server, flushed between scenarios; each scenario has
 * a fresh index. Prints wall time, manifests/s (all pushed manifests over wall time, recrawls
 * included), the run's counts, the final document count (a MISMATCH line when it differs from
 * the embedded one), CPU seconds of ocidex (this process + workers), redis and the registry
 * (Linux /proc), the commands redis processed in a queued phase (INFO stats; the benchmark's own
 * few polls included), the registry requests of the run (per pushed manifest, and the manifest
 * HEADs and GETs and blob GETs among them), and the queue/embedded ratios. A benchmark: nothing here is asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { RegistryConfigStore } from '../src/api/index.js';
import type { RegistryConfig } from '../src/domain/registry.js';
import { crawlRegistry } from '../src/crawl/crawl-registry.js';
import { pushBulkModels } from '../src/demo/bulk.js';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../src/demo/child-process.js';
import { Pusher } from '../src/demo/pusher.js';
import { startRedis, type RunningRedis } from '../src/demo/redis-process.js';
import { startRegistry } from '../src/demo/registry-process.js';
import type { CrawlSummary } from '../src/domain/crawl.js';
import { openIndex, type CrawlRunRecord, type IndexStore } from '../src/store/index.js';
import { QueueCoordinator } from '../src/queue/coordinator.js';
import { Queues } from '../src/queue/queues.js';
import { RegistryClient } from '../src/registry/index.js';
import { silentLogger } from '../src/runtime/logger.js';

const CLI = new URL('../src/cli.js', import.meta.url).pathname;
/** How long one queued crawl may take before the benchmark gives up on it. */
const RUN_TIMEOUT_MS = 15 * 60_000;
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

const { values } = parseArgs({
  options: { repositories: { type: 'string', default: '40' }, tags: { type: 'string', default: '50' } },
});
const repositories = Number(values.repositories);
const tagsPerRepository = Number(values.tags);

/** The processes every scenario shares. */
interface Bench {
  registryHost: string;
  registryPid: number;
  redisUrl: string;
  redisPid: number | undefined;
  workDir: string;
}

/** CPU seconds used, by process group. */
interface Cpu {
  ocidex: number;
  redis: number;
  registry: number;
}

interface Row {
  scenario: string;
  phase: string;
  seconds: number;
  status: string;
  manifestsNew: number;
  repositoriesUnchanged: number;
  documents: number;
  cpu: Cpu;
  /** Commands redis processed during the phase (embedded: none). */
  redisCommands: number;
  /** Registry requests of the run, by operation (the run's summary). */
  requests: CrawlSummary['requests'];
}

/** Commands `redis` has processed since it started (INFO stats). */
async function redisCommands(redis: Redis): Promise<number> {
  const match = /total_commands_processed:(\d+)/.exec(await redis.info('stats'));
  return match === null ? Number.NaN : Number(match[1]);
}

/** User + system CPU seconds of `pid` so far (Linux /proc); NaN when unreadable. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU used so far by this process and `workers`, redis and the registry. */
function cpuNow(bench: Bench, workers: CapturedProcess[] = []): Cpu {
  const ocidex = workers.reduce((sum, worker) => sum + cpuSeconds(worker.child.pid), cpuSeconds(process.pid));
  return { ocidex, redis: cpuSeconds(bench.redisPid), registry: cpuSeconds(bench.registryPid) };
}

function cpuSince(before: Cpu, after: Cpu): Cpu {
  return {
    ocidex: after.ocidex - before.ocidex,
    redis: after.redis - before.redis,
    registry: after.registry - before.registry,
  };
}

/** A registry store holding one fixed configuration (the coordinator reads it). */
function fixedRegistries(config: RegistryConfig): RegistryConfigStore {
  const refuse = async (): Promise<never> => {
    throw new Error('read-only');
  };
  return {
    list: async () => [config],
    get: async (id) => (id === config.id ? config : null),
    create: refuse,
    update: refuse,
    remove: refuse,
  };
}

async function waitFor(
  ready: () => boolean | Promise<boolean>,
  failure: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function row(
  scenario: string,
  phase: string,
  seconds: number,
  cpu: Cpu,
  summary: CrawlSummary | null,
  index: IndexStore,
): Row {
  return {
    scenario,
    phase,
    seconds,
    cpu,
    status: summary?.status ?? 'missing',
    manifestsNew: summary?.counts.manifestsNew ?? 0,
    repositoriesUnchanged: summary?.counts.repositoriesUnchanged ?? 0,
    documents: index.countDocuments(),
    redisCommands: 0,
    requests: summary?.requests ?? { total: 0, byOperation: {} },
  };
}

async function embedded(bench: Bench): Promise<Row[]> {
  const index = openIndex(join(bench.workDir, 'embedded.db'));
  const rows: Row[] = [];
  try {
    for (const phase of ['first crawl', 'recrawl']) {
      const client = new RegistryClient({ registry: bench.registryHost, dockerConfigPath: null });
      const [start, cpu] = [performance.now(), cpuNow(bench)];
      const summary = await crawlRegistry(client, index).finally(() => client.close());
      rows.push(
        row('embedded', phase, (performance.now() - start) / 1000, cpuSince(cpu, cpuNow(bench)), summary, index),
      );
    }
  } finally {
    index.close();
  }
  return rows;
}

/** Starts `ocidex worker --roles <roles>`; resolves once it takes jobs. */
async function startWorker(redisUrl: string, db: string, roles: string): Promise<CapturedProcess> {
  const env = { ...process.env, REDIS_URL: redisUrl, DOCKER_CONFIG: '/nonexistent' };
  const worker = spawnCaptured(process.execPath, [CLI, 'worker', '--db', db, '--roles', roles], env);
  await waitFor(
    () => worker.output().includes('ocidex worker running') || worker.hasExited(),
    () => `worker did not start: ${worker.output()}`,
    30_000,
  );
  if (worker.hasExited()) throw new Error(`worker (${roles}) exited: ${worker.output()}`);
  return worker;
}

/** Polls the run until it has finished. */
async function finishedRun(index: IndexStore, runId: number): Promise<CrawlRunRecord> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const run = index.getRun(runId);
    if (run !== null && run.status !== 'running') return run;
    if (Date.now() > deadline)
      throw new Error(`crawl ${runId} still ${run?.status ?? 'missing'} after ${RUN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function queued(bench: Bench, scenario: string, roleSets: string[]): Promise<Row[]> {
  const { redisUrl, registryHost } = bench;
  const flusher = new Redis(redisUrl);
  await flusher.flushall().finally(() => flusher.quit());
  const db = join(bench.workDir, `${scenario.replace(/\W+/g, '-')}.db`);
  // The coordinator's index opens (and migrates) the file before the writer does.
  const index = openIndex(db);
  const workers: CapturedProcess[] = [];
  const queues = new Queues({ redisUrl });
  const stats = new Redis(redisUrl);
  const coordinator = new QueueCoordinator({
    index,
    registries: fixedRegistries({ id: 'local', url: registryHost }),
    queues,
    logger: silentLogger,
  });
  const rows: Row[] = [];
  try {
    const startup = performance.now();
    workers.push(...(await Promise.all(roleSets.map((roles) => startWorker(redisUrl, db, roles)))));
    console.log(
      `${scenario}: ${workers.length} worker process(es) ready in ${((performance.now() - startup) / 1000).toFixed(2)} s`,
    );
    for (const phase of ['first crawl', 'recrawl']) {
      const [start, cpu, commands] = [performance.now(), cpuNow(bench, workers), await redisCommands(stats)];
      const { crawlId } = await coordinator.start('local', 'api');
      const run = await finishedRun(index, crawlId);
      const seconds = (performance.now() - start) / 1000;
      const redisUsed = (await redisCommands(stats)) - commands;
      rows.push({
        ...row(scenario, phase, seconds, cpuSince(cpu, cpuNow(bench, workers)), run.summary, index),
        redisCommands: redisUsed,
      });
      // The run is finished by the writer before the crawl job itself completes; starting again
      // in between would answer this crawl's id. Wait for the job to leave (not timed).
      const settle = performance.now();
      await waitFor(
        async () => (await coordinator.activeCrawl('local')) === null,
        () => 'crawl job never completed',
        60_000,
      );
      console.log(
        `${scenario} ${phase}: run ${crawlId} ${run.status} after ${seconds.toFixed(2)} s` +
          ` (summary durationMs ${run.summary?.durationMs ?? '?'}), crawl job gone ${((performance.now() - settle) / 1000).toFixed(2)} s later`,
      );
    }
  } finally {
    await queues.close();
    await stats.quit();
    await Promise.all(workers.map((worker) => stopProcess(worker)));
    index.close();
  }
  return rows;
}

function printTable(rows: Row[], manifests: number): void {
  const cpu = ({ ocidex, redis, registry }: Cpu): string =>
    `${ocidex.toFixed(1)} / ${redis.toFixed(1)} / ${registry.toFixed(1)}`;
  const operations = ({ byOperation }: CrawlSummary['requests']): string =>
    ['manifest.head', 'manifest.get', 'blob.get'].map((operation) => byOperation[operation] ?? 0).join(' / ');
  console.log(
    '\n| scenario | phase | status | wall s | manifests/s | manifestsNew | repositoriesUnchanged | documents | CPU s ocidex / redis / registry | redis cmds | requests | per manifest | HEAD / manifest GET / blob GET |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const entry of rows) {
    console.log(
      `| ${entry.scenario} | ${entry.phase} | ${entry.status} | ${entry.seconds.toFixed(2)} | ${(manifests / entry.seconds).toFixed(0)} | ` +
        `${entry.manifestsNew} | ${entry.repositoriesUnchanged} | ${entry.documents} | ${cpu(entry.cpu)} | ${entry.redisCommands} | ` +
        `${entry.requests.total} | ${(entry.requests.total / manifests).toFixed(2)} | ${operations(entry.requests)} |`,
    );
  }
  console.log('\nqueue / embedded:');
  for (const entry of rows.filter((candidate) => candidate.scenario !== 'embedded')) {
    const reference = rows.find((other) => other.scenario === 'embedded' && other.phase === entry.phase);
    if (reference === undefined) continue;
    console.log(
      `  ${entry.scenario}, ${entry.phase}: wall ${(entry.seconds / reference.seconds).toFixed(2)}x, ` +
        `rate ${(reference.seconds / entry.seconds).toFixed(2)}x, ocidex CPU ${(entry.cpu.ocidex / reference.cpu.ocidex).toFixed(2)}x, ` +
        `registry CPU ${(entry.cpu.registry / reference.cpu.registry).toFixed(2)}x`,
    );
    if (entry.documents !== reference.documents) {
      console.log(
        `MISMATCH: ${entry.scenario} ${entry.phase} has ${entry.documents} documents, embedded ${reference.documents}`,
      );
    }
  }
}

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
const workDir = mkdtempSync(join(tmpdir(), 'ocidex-queue-bench-'));
const registry = await startRegistry({ storage: 'inmemory' });
let redis: RunningRedis | null = null;
try {
  redis = await startRedis();
  const pusher = new Pusher(registry.url);
  const pushStart = performance.now();
  const { manifests } = await pushBulkModels(pusher, { repositories, tagsPerRepository, concurrency: 8 }).finally(() =>
    pusher.close(),
  );
  console.log(
    `registry ${registry.url}: pushed ${manifests} manifests in ${((performance.now() - pushStart) / 1000).toFixed(1)} s; redis ${redis.url}`,
  );

  const bench: Bench = {
    registryHost: registry.host,
    registryPid: registry.pid,
    redisUrl: redis.url,
    redisPid: redis.pid,
    workDir,
  };
  const rows = await embedded(bench);
  rows.push(...(await queued(bench, 'queue, 1 worker (fetch,write)', ['fetch,write'])));
  rows.push(...(await queued(bench, 'queue, 1 write + 2 fetch', ['write', 'fetch', 'fetch'])));
  printTable(rows, manifests);
  console.log(
    `\nload average after the run: ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  );
} finally {
  if (redis !== null) await redis.stop();
  await registry.stop();
  rmSync(workDir, { recursive: true, force: true });
}
