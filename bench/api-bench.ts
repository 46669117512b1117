/**
 * API benchmark (`npm run bench:api`, a benchmark, nothing asserted): N crawl-shaped documents
 * (default 100k, bench-index.ts; `--db <file>` keeps or reuses the index) served by the embedded
 * service (`ocidex serve`) in this process on loopback, loaded from a separate process
 * (autocannon, load-run.ts) with 50 connections for `--duration` seconds per query against
 * `GET /v1/models?q=...&limit=20`. Prints requests, req/s, p50/p90/p99, errors and non-2xx next
 * to the goal: p99 < 50 ms, zero errors. The first `--warmup` seconds (2) on the same
 * connections are not counted. That load is one client, so its service lets one client use
 * every worker and as many queries in flight as it has connections. The index does not change
 * during the load, so after the first request of a case its answer comes from the API's response
 * cache (src/api/response-cache.ts): the load measures that path, and the "first request" line
 * the query computed cold.
 * Then the attack (attack-run.ts), on a service with the default query pool: `--attackers` (8)
 * worst-case queries kept in flight by one client, plus 4 more past its cap, while `/healthz`
 * and the selective query are probed; goal: `/healthz` p99 < 50 ms, selective p99 < 100 ms.
 * Last, a burst of worst-case queries from many clients counts the 503 refusals past the queue cap.
 * `--postgres` instead compares `ocidex serve` processes (api-bench-postgres.ts): one on SQLite,
 * one and two on a PostgreSQL copy of the index (a throwaway server, or `--pg-url`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startService, type RunningService } from '../src/embedded/index.js';
import { silentLogger } from '../src/runtime/index.js';
import { DEFAULT_MAX_QUEUED } from '../src/query/pool/settings.js';
import { type AttackResult, burstRefusals, runAttack } from './attack-run.js';
import { CASES, models, PAGE, preflight, SELECTIVE_QUERY } from './api-bench-cases.js';
import { runServeComparison } from './api-bench-postgres.js';
import { openBenchIndex } from './bench-index.js';
import { runLoad, type LoadResult } from './load-run.js';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    db: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    attackers: { type: 'string', default: '8' },
    only: { type: 'string' },
    postgres: { type: 'boolean', default: false },
    'pg-url': { type: 'string' },
  },
});
const count = Number(values.n);
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
const warmupSeconds = Number(values.warmup);
const GOAL_P99_MS = 50;
const GOAL_SELECTIVE_UNDER_ATTACK_P99_MS = 100;
/** Worst-case queries the attacker sends past its per-client cap (each retried after Retry-After). */
const OVERLOADERS = 4;
function row(name: string, result: LoadResult, cpuPercent: number): string {
  const { p50, p90, p99 } = result.latency;
  const failures = result.errors + result.non2xx;
  const verdict = p99 < GOAL_P99_MS && failures === 0 ? 'ok' : 'MISSED';
  return (
    `| ${name} | ${result.requests} | ${result.throughput.toFixed(0)} | ${p50} | ${p90} | ${p99} | ` +
    `${result.errors} (${result.timeouts} timeouts) | ${result.non2xx} | ${cpuPercent.toFixed(0)}% | ${verdict} |`
  );
}

const SERVICE = { port: 0, host: '127.0.0.1', logger: silentLogger, processMetrics: false, api: {} };

function milliseconds(samples: number[]): string {
  const at = (q: number) => quantile(samples, q).toFixed(1);
  return `p50 ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}`;
}

function verdict(samples: number[], goalMs: number): string {
  return quantile(samples, 0.99) < goalMs ? 'ok' : 'MISSED';
}

/** The attack phase on a service with the default query pool; prints its table. */
async function attackPhase(path: string, attackers: number): Promise<void> {
  const service = await startService({ ...SERVICE, db: path, queryPool: {} });
  try {
    const selectivePath = models(SELECTIVE_QUERY);
    console.log(
      `
attack: ${attackers} worst-case queries in flight from one client (+${OVERLOADERS} past its cap), ` +
        `/healthz and the selective query probed by two others, ${warmupSeconds} s warm-up + ${durationSeconds} s`,
    );
    const result: AttackResult = await runAttack({
      url: service.url,
      selectivePath,
      attackers,
      overloaders: OVERLOADERS,
      warmupSeconds,
      durationSeconds,
    });
    const burst = DEFAULT_MAX_QUEUED + 40;
    const refused = await burstRefusals(service.url, burst, 16);
    const statuses = [...result.attack].map(([status, count]) => `${count}× ${status}`).join(', ');
    console.log('| during the attack | samples | latency (ms) | goal |');
    console.log('|---|---|---|---|');
    const { health, selective, selectiveFailures } = result;
    const selectiveGoal = GOAL_SELECTIVE_UNDER_ATTACK_P99_MS;
    console.log(
      `| /healthz | ${health.length} | ${milliseconds(health)} | ` +
        `p99 < ${GOAL_P99_MS} ms: ${verdict(health, GOAL_P99_MS)} |`,
    );
    console.log(
      `| selective query | ${selective.length} (${selectiveFailures} failed) | ${milliseconds(selective)} | ` +
        `p99 < ${selectiveGoal} ms: ${verdict(selective, selectiveGoal)} |`,
    );
    console.log(
      `worst-case queries answered: ${statuses || 'none'} ` +
        '(503: refused past the per-client cap, with Retry-After)',
    );
    console.log(
      `burst of ${burst} worst-case queries from 16 clients: ${refused} refused at once ` +
        `with 503 + Retry-After (queue cap ${DEFAULT_MAX_QUEUED})`,
    );
  } finally {
    await service.close();
  }
}

async function measure(service: RunningService): Promise<string[]> {
  const rows: string[] = [];
  // --only: comma-separated parts of case names (any one selects a case).
  const only = values.only?.split(',');
  for (const benchCase of CASES.filter((candidate) => only?.some((part) => candidate.name.includes(part)) ?? true)) {
    const url = `${service.url}${benchCase.path}`;
    const firstStarted = performance.now();
    const first = await preflight(url);
    console.log(
      `\n${benchCase.name}\n  GET ${url}\n  first request: ${first}, ${(performance.now() - firstStarted).toFixed(1)} ms`,
    );
    const [cpuBefore, started] = [process.cpuUsage(), performance.now()];
    const result = await runLoad({ url, connections, warmupSeconds, durationSeconds });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPercent = ((cpu.user + cpu.system) / 1e3 / (performance.now() - started)) * 100;
    console.log(
      `  measured: ${result.requests} requests in ${result.durationSeconds.toFixed(1)} s after ${warmupSeconds} s of warm-up, max ${result.latency.max} ms`,
    );
    rows.push(row(benchCase.name, result, cpuPercent));
  }
  return rows;
}

/** The in-process service on the SQLite index: the load table, then the attack. */
async function inProcess(path: string): Promise<void> {
  // One client (the load generator) may use every worker, with as many queries in flight as connections.
  const trusted = { workersPerClient: Number.MAX_SAFE_INTEGER, maxPerClient: connections, maxQueued: connections };
  const service = await startService({ ...SERVICE, db: path, queryPool: trusted });
  try {
    console.log(
      `serving ${count} documents at ${service.url}; load: autocannon in a child process, ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per query`,
    );
    const rows = await measure(service);
    console.log(
      `\n${count} documents, ${connections} connections, ${durationSeconds} s each, limit=${PAGE}; latencies in ms, measured by the load generator`,
    );
    console.log(
      '| query | requests | req/s | p50 | p90 | p99 | errors | non-2xx | server process CPU (100% = one core) | goal: p99 < 50 ms, zero errors |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const line of rows) console.log(line);
    console.log(
      'closed loop: each connection sends its next request when the last is answered, so p50 is about connections / req/s (queueing on one event loop)',
    );
    console.log(
      `\nserver process: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
  } finally {
    await service.close();
  }
  if (values.only === undefined) await attackPhase(path, Number(values.attackers));
}

const workDir = values.db === undefined ? mkdtempSync(join(tmpdir(), 'ocidex-api-bench-')) : null;
const path = values.db ?? join(workDir as string, 'api-bench.db');
try {
  openBenchIndex(path, count).close();
  if (values.postgres) {
    await runServeComparison({
      count,
      sqlitePath: path,
      pgUrl: values['pg-url'],
      connections,
      warmupSeconds,
      durationSeconds,
      only: values.only,
    });
  } else await inProcess(path);
} finally {
  if (workDir !== null) rmSync(workDir, { recursive: true, force: true });
}
