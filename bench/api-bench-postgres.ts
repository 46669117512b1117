/**
 * `bench:api --postgres`: the API served by `ocidex serve` processes (dist/src/cli.js, embedded
 * mode) three ways on the same documents: one process on the SQLite index, one process on a
 * PostgreSQL copy of it (bench-postgres.ts, bench-index.ts), and two processes on that one
 * PostgreSQL database. The load (load-run.ts) keeps the same total of connections in every
 * scenario, split evenly over the processes (one load generator per process, run together);
 * req/s is their sum, p50/p99 the worst of them. A benchmark: nothing is asserted.
 */
import { fileURLToPath } from 'node:url';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../src/demo/child-process.js';
import { CASES, preflight } from './api-bench-cases.js';
import { openPostgresBenchIndex } from './bench-index.js';
import { benchPostgres } from './bench-postgres.js';
import { type LoadResult, runLoad } from './load-run.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface ServeComparisonOptions {
  count: number;
  sqlitePath: string;
  pgUrl?: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  only?: string;
}

interface Scenario {
  name: string;
  db: string;
  processes: number;
}

/** Starts `ocidex serve` on `db` on a free loopback port; resolves with its URL once it listens. */
async function startServe(db: string, connections: number): Promise<{ url: string; process: CapturedProcess }> {
  // One client (the load generator) may use every worker, with as many queries in flight as connections.
  const env = {
    ...process.env,
    OCIDEX_QUERY_WORKERS_PER_CLIENT: '1000',
    OCIDEX_QUERY_PER_CLIENT: String(connections),
    OCIDEX_QUERY_QUEUE: String(connections),
  };
  const serve = spawnCaptured(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], env);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !serve.hasExited()) {
    const url = /ocidex serving on (http:\/\/\S+)/.exec(serve.output())?.[1];
    if (url !== undefined) return { url, process: serve };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopProcess(serve);
  throw new Error(`ocidex serve did not start: ${serve.output().slice(-500)}`);
}

/** The figures of load generators run together: requests and req/s summed, latencies the worst. */
function combined(results: LoadResult[]): LoadResult {
  const worst = (pick: (result: LoadResult) => number) => Math.max(...results.map(pick));
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  return {
    requests: sum((result) => result.requests),
    durationSeconds: worst((result) => result.durationSeconds),
    throughput: sum((result) => result.throughput),
    latency: {
      p50: worst((result) => result.latency.p50),
      p90: worst((result) => result.latency.p90),
      p99: worst((result) => result.latency.p99),
      max: worst((result) => result.latency.max),
    },
    errors: sum((result) => result.errors),
    timeouts: sum((result) => result.timeouts),
    non2xx: sum((result) => result.non2xx),
  };
}

/** Every case against the scenario's processes; one result per case. */
async function measureScenario(scenario: Scenario, options: ServeComparisonOptions): Promise<LoadResult[]> {
  const servers = [];
  try {
    for (let index = 0; index < scenario.processes; index += 1)
      servers.push(await startServe(scenario.db, options.connections));
    const results: LoadResult[] = [];
    for (const benchCase of selectedCases(options)) {
      const first = await preflight(`${servers[0]?.url}${benchCase.path}`);
      console.log(`  ${scenario.name}: ${benchCase.name}: first request ${first}`);
      const connections = Math.max(1, Math.round(options.connections / scenario.processes));
      const { warmupSeconds, durationSeconds } = options;
      const loads = servers.map(({ url }) =>
        runLoad({ url: `${url}${benchCase.path}`, connections, warmupSeconds, durationSeconds }),
      );
      results.push(combined(await Promise.all(loads)));
    }
    return results;
  } finally {
    await Promise.all(servers.map((server) => stopProcess(server.process)));
  }
}

function selectedCases(options: ServeComparisonOptions) {
  return CASES.filter((candidate) => options.only === undefined || candidate.name.includes(options.only));
}

function printTable(scenarios: Scenario[], results: LoadResult[][], options: ServeComparisonOptions): void {
  console.log(
    `\n${options.count} documents, ${options.connections} connections in all (split over the processes), ` +
      `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per query; latencies in ms (the worst load generator's)`,
  );
  const header = scenarios.map((scenario) => `${scenario.name}: req/s | p50 | p99 | errors+non-2xx`).join(' | ');
  console.log(`| query | ${header} | 2 PG processes / 1 PG process req/s |`);
  console.log(`|---|${scenarios.map(() => '---|---|---|---|').join('')}---|`);
  selectedCases(options).forEach((benchCase, index) => {
    const cells = results.map((perCase) => {
      const result = perCase[index] as LoadResult;
      const { p50, p99 } = result.latency;
      return `${result.throughput.toFixed(0)} | ${p50} | ${p99} | ${result.errors + result.non2xx}`;
    });
    const [one, two] = [results[1]?.[index], results[2]?.[index]];
    const ratio = one && two ? `${(two.throughput / one.throughput).toFixed(2)}x` : '';
    console.log(`| ${benchCase.name} | ${cells.join(' | ')} | ${ratio} |`);
  });
}

/** Builds the PostgreSQL copy of the benchmark index, measures the three scenarios and prints them. */
export async function runServeComparison(options: ServeComparisonOptions): Promise<void> {
  const server = await benchPostgres(options.count, options.pgUrl);
  try {
    const load = 'copy' as const;
    (await openPostgresBenchIndex(server.url, options.count, { sqlitePath: options.sqlitePath, load })).close();
    const scenarios: Scenario[] = [
      { name: 'SQLite, 1 process', db: options.sqlitePath, processes: 1 },
      { name: 'PostgreSQL, 1 process', db: server.url, processes: 1 },
      { name: 'PostgreSQL, 2 processes', db: server.url, processes: 2 },
    ];
    const results: LoadResult[][] = [];
    for (const scenario of scenarios) results.push(await measureScenario(scenario, options));
    printTable(scenarios, results, options);
  } finally {
    await server.stop();
  }
}
