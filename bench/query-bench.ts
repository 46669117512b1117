/**
 * Query benchmark (`npm run bench:query`, a benchmark, nothing asserted): N documents shaped like
 * real crawls (default 100k; `--n 1000000`) in a real index, then for a fixed set of queries the
 * engine's p50/p99 next to the plain evaluator's (the query over the full array in memory), their
 * ratio, memory and index size. `--db <file>` keeps the SQLite index between runs.
 * `--backends sqlite,postgres` builds the same documents in PostgreSQL too (a throwaway server,
 * bench-postgres.ts, or `--pg-url` for a database of yours) and prints both side by side with the
 * ratio PostgreSQL/SQLite and the round trips each PostgreSQL query made; `--backends postgres` measures
 * PostgreSQL alone. Default: sqlite.
 * The PostgreSQL index is a copy of the SQLite one (`copyIndex`, as `ocidex migrate`); `--pg-load store` writes
 * the documents through the store instead (slow: several round trips per document).
 * `--cases <text>[,<text>...]` measures only the cases whose name contains one of the texts.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { JsonValue } from '../src/domain/document.js';
import { QueryEngine } from '../src/query/index.js';
import { type IndexStore, PgDatabase } from '../src/store/index.js';
import { openBenchIndex, openPostgresBenchIndex, type PostgresLoad } from './bench-index.js';
import { type BenchPostgres, benchPostgres } from './bench-postgres.js';
import { processCpuMs, serverCpuOf } from './server-cpu.js';
import { CASES, engineRun, goalMs, plainRun, summary } from './query-bench-cases.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    db: { type: 'string' },
    runs: { type: 'string', default: '50' },
    'plain-runs': { type: 'string' },
    'no-plain': { type: 'boolean', default: false },
    backends: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string' },
    'pg-load': { type: 'string', default: 'copy' },
    cases: { type: 'string' },
  },
});
const count = Number(values.n);
/** `--cases <text>[,<text>...]`: only the cases whose name contains one of the texts (e.g. `--cases top-1,sorted`). */
const wanted = values.cases?.split(',').map((text) => text.trim());
const cases = CASES.filter((benchCase) => wanted === undefined || wanted.some((text) => benchCase.name.includes(text)));
const runs = Number(values.runs);
const plainRuns = Number(values['plain-runs'] ?? (count > 200_000 ? 2 : 5));
const path = values.db ?? join(tmpdir(), `ocidex-query-bench-${count}.db`);
const BACKENDS = ['sqlite', 'postgres'] as const;
type Backend = (typeof BACKENDS)[number];
const backends = values.backends.split(',').map((name) => name.trim()) as Backend[];
for (const backend of backends)
  if (!BACKENDS.includes(backend)) throw new Error(`--backends: unknown backend ${backend} (sqlite, postgres)`);

interface Measured {
  p50: number;
  p99: number;
  result: unknown;
  /** Round trips to PostgreSQL per run (null on SQLite). */
  roundTrips?: number | null;
  /** CPU ms per run: this process's, and the PostgreSQL server process's (null: SQLite, or not readable). */
  cpu?: { client: number; server: number | null };
}

/** Round trips to the PostgreSQL server so far, or null on SQLite. */
function roundTripsOf(store: IndexStore): number | null {
  return store.db instanceof PgDatabase ? store.db.roundTrips : null;
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

function time(repeat: number, work: () => unknown): Measured {
  let result: unknown;
  const samples: number[] = [];
  for (let run = 0; run < repeat; run += 1) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  return { ...percentiles(samples), result };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * Every case on every index, after one unmeasured run each; the backends take turns run by run,
 * so a busy machine slows both alike.
 */
function measureAll(stores: Map<Backend, IndexStore>): Map<Backend, Measured[]> {
  const engines = [...stores].map(([backend, store]) => ({
    backend,
    store,
    engine: new QueryEngine(store.db),
    serverCpu: serverCpuOf(store.db),
  }));
  const results = new Map<Backend, Measured[]>(engines.map(({ backend }) => [backend, []]));
  for (const benchCase of cases) {
    const work = engines.map((engine) => ({ ...engine, run: engineRun(engine.engine, benchCase) }));
    const samples = work.map(({ run, store }) => ({
      times: [] as number[],
      result: run(),
      trips: 0,
      from: roundTripsOf(store),
      client: 0,
      server: 0,
    }));
    for (let run = 0; run < runs; run += 1)
      work.forEach((item, index) => {
        const sample = samples[index] as (typeof samples)[number];
        const before = {
          trips: roundTripsOf(item.store) ?? 0,
          client: processCpuMs(),
          server: item.serverCpu?.() ?? 0,
        };
        const started = performance.now();
        sample.result = item.run();
        sample.times.push(performance.now() - started);
        sample.trips += (roundTripsOf(item.store) ?? 0) - before.trips;
        sample.client += processCpuMs() - before.client;
        sample.server += (item.serverCpu?.() ?? 0) - before.server;
      });
    work.forEach(({ backend, serverCpu }, index) => {
      const { times, result, trips, from, client, server } = samples[index] as (typeof samples)[number];
      results.get(backend)?.push({
        ...percentiles(times),
        result,
        roundTrips: from === null ? null : trips / runs,
        cpu: { client: client / runs, server: serverCpu === null ? null : server / runs },
      });
    });
  }
  return results;
}

function indexSize(backend: Backend, store: IndexStore): string {
  const valueRows = store.db.prepare<[], unknown>('SELECT count(*) FROM doc_values').pluck().get() as number;
  if (backend === 'postgres') {
    const bytes = store.db.prepare<[], unknown>('SELECT pg_database_size(current_database())').pluck().get() as number;
    return `${valueRows} doc_values rows, database ${mib(bytes)} (${store.db.name})`;
  }
  const bytes = ['', '-wal'].reduce(
    (sum, suffix) => sum + (existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : 0),
    0,
  );
  return `${valueRows} doc_values rows, index ${mib(bytes)} (${path})`;
}

/** Round trips per query, as printed. */
const trips = (measured: Measured) => (measured.roundTrips == null ? '-' : measured.roundTrips.toFixed(1));

function printOne(backend: Backend, measured: Measured[]): void {
  const label = backend === 'sqlite' ? 'engine' : LABEL[backend];
  console.log(`| case | ${label} p50 ms | ${label} p99 ms | round trips | result |`);
  console.log('|---|---|---|---|---|');
  cases.forEach((benchCase, index) => {
    const item = measured[index] as Measured;
    console.log(
      `| ${benchCase.name} | ${fmt(item.p50)} | ${fmt(item.p99)} | ${trips(item)} | ${summary(item.result)} |`,
    );
  });
}

function printSideBySide(sqlite: Measured[], postgres: Measured[]): void {
  console.log(
    '| case | SQLite p50 ms | SQLite p99 ms | PostgreSQL p50 ms | PostgreSQL p99 ms | PG/SQLite p50 | PG round trips | result |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  cases.forEach((benchCase, index) => {
    const [lite, pg] = [sqlite[index] as Measured, postgres[index] as Measured];
    const same = summary(lite.result) === summary(pg.result) ? '' : ` (PostgreSQL: ${summary(pg.result)})`;
    console.log(
      `| ${benchCase.name} | ${fmt(lite.p50)} | ${fmt(lite.p99)} | ${fmt(pg.p50)} | ${fmt(pg.p99)} | ` +
        `${(pg.p50 / lite.p50).toFixed(1)}x | ${trips(pg)} | ${summary(lite.result)}${same} |`,
    );
  });
  printCpu(sqlite, postgres);
}

/**
 * CPU ms per query (mean): SQLite's process; PostgreSQL's client process (both threads) and
 * server process. Unlike wall time, it does not grow with the machine's load.
 */
function printCpu(sqlite: Measured[], postgres: Measured[]): void {
  console.log('\nCPU ms per query (mean; wall time on a busy machine mostly measures the other processes):');
  console.log('| case | SQLite | PostgreSQL client | PostgreSQL server | PostgreSQL total | PG/SQLite CPU |');
  console.log('|---|---|---|---|---|---|');
  cases.forEach((benchCase, index) => {
    const [lite, pg] = [sqlite[index]?.cpu, postgres[index]?.cpu];
    if (lite === undefined || pg === undefined) return;
    const total = pg.client + (pg.server ?? 0);
    const server = pg.server === null ? '-' : fmt(pg.server);
    console.log(
      `| ${benchCase.name} | ${fmt(lite.client)} | ${fmt(pg.client)} | ${server} | ${fmt(total)} | ${(total / lite.client).toFixed(1)}x |`,
    );
  });
}

function plainComparison(store: IndexStore): void {
  const heapLimit = getHeapStatistics().heap_size_limit;
  if (heapLimit < count * 6_000)
    console.log(
      `\nheap limit ${mib(heapLimit)} may be too small for the plain evaluator: NODE_OPTIONS=--max-old-space-size=${Math.ceil((count * 6_000) / 2 ** 20)}`,
    );
  const engine = new QueryEngine(store.db);
  const loadStarted = performance.now();
  const documents = [...store.iterateDocuments()] as unknown as JsonValue[];
  console.log(
    `\nplain evaluator: ${documents.length} documents loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s, heap ${mib(process.memoryUsage().heapUsed)}, rss ${mib(process.memoryUsage().rss)}`,
  );
  console.log(`| case | engine p50 ms | plain p50 ms | plain p99 ms | plain / engine |`);
  console.log('|---|---|---|---|---|');
  for (const benchCase of cases) {
    const engineP50 = time(Math.min(runs, 20), engineRun(engine, benchCase)).p50;
    const plain = time(plainRuns, plainRun(documents, benchCase));
    console.log(
      `| ${benchCase.name} | ${fmt(engineP50)} | ${fmt(plain.p50)} | ${fmt(plain.p99)} | ${(plain.p50 / engineP50).toFixed(0)}x |`,
    );
  }
}

function printGoals(results: Map<Backend, Measured[]>): void {
  console.log(
    '\ngoals (1M documents: p50 <= 10 ms selective and top-1, <= 20 ms first page; 100k: engine >= 100x plain on selective; PostgreSQL within 2x of SQLite on selective and top-1):',
  );
  cases.forEach((benchCase, index) => {
    if (benchCase.goal === undefined) return;
    const limit = goalMs(benchCase.goal);
    for (const [backend, measured] of results) {
      const p50 = (measured[index] as Measured).p50;
      const label = results.size > 1 ? `${LABEL[backend]}: ` : '';
      console.log(
        `  ${label}${benchCase.name}: p50 ${fmt(p50)} ms (goal at 1M: <= ${limit} ms) ${p50 <= limit ? 'ok' : 'MISSED'}`,
      );
    }
    const [lite, pg] = [results.get('sqlite')?.[index], results.get('postgres')?.[index]];
    if (lite && pg && benchCase.goal !== 'first-page') {
      const ratio = pg.p50 / lite.p50;
      console.log(`  PostgreSQL/SQLite ${benchCase.name}: ${ratio.toFixed(1)}x ${ratio <= 2 ? 'ok' : 'MISSED'}`);
    }
  });
}

const server: BenchPostgres | null = backends.includes('postgres')
  ? await benchPostgres(count, values['pg-url'])
  : null;
const stores = new Map<Backend, IndexStore>();
try {
  for (const backend of backends) {
    const load = values['pg-load'] as PostgresLoad;
    const store =
      backend === 'sqlite'
        ? openBenchIndex(path, count)
        : await openPostgresBenchIndex(server!.url, count, { sqlitePath: path, load });
    stores.set(backend, store);
  }
  const results = measureAll(stores);
  console.log();
  for (const [backend, store] of stores)
    console.log(`${LABEL[backend]}: ${count} documents, ${indexSize(backend, store)}`);
  console.log(`engine process: rss ${mib(process.memoryUsage().rss)}, heap ${mib(process.memoryUsage().heapUsed)}\n`);
  const [lite, pg] = [results.get('sqlite'), results.get('postgres')];
  if (lite && pg) printSideBySide(lite, pg);
  else for (const [backend, measured] of results) printOne(backend, measured);
  if (!values['no-plain']) plainComparison(stores.values().next().value as IndexStore);
  printGoals(results);
} finally {
  for (const store of stores.values()) store.close();
  await server?.stop();
}
