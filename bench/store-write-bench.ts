/**
 * Store write benchmark (`npm run bench:store-write`, nothing asserted): the crawl's index writes,
 * one document per transaction as a fetch worker writes them, on SQLite and PostgreSQL side by
 * side: round trips per document (PostgreSQL: each statement is one), CPU per document of this
 * process and of the PostgreSQL server process, and wall time (noisy on a busy machine). The
 * documents are the query benchmark's (query-bench-documents.ts); a throwaway server
 * (bench-postgres.ts) unless `--pg-url` gives an empty database.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type IndexStore, openIndex, PgDatabase } from '../src/store/index.js';
import { benchPostgres } from './bench-postgres.js';
import { benchDocument, seeded } from './query-bench-documents.js';
import { removeIndexFiles } from './bench-index.js';
import { processCpuMs, serverCpuOf } from './server-cpu.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    'pg-url': { type: 'string' },
  },
});
const count = Number(values.n);
/** Documents written first and not measured: the repositories and paths they create are there for the others. */
const WARM_UP = 100;

interface Figures {
  roundTrips: number | null;
  clientCpu: number;
  serverCpu: number | null;
  wall: number;
}

/** Writes the documents one transaction each and returns the figures per document. */
function measure(store: IndexStore): Figures {
  const random = seeded(42);
  const documents = Array.from({ length: WARM_UP + count }, (_, index) => benchDocument(random, index, 50));
  store.putDocuments(documents.slice(0, WARM_UP));
  const serverCpu = serverCpuOf(store.db);
  const trips = () => (store.db instanceof PgDatabase ? store.db.roundTrips : 0);
  const before = { trips: trips(), client: processCpuMs(), server: serverCpu?.() ?? 0, wall: performance.now() };
  for (const document of documents.slice(WARM_UP)) store.putDocuments([document]);
  return {
    roundTrips: store.db instanceof PgDatabase ? (trips() - before.trips) / count : null,
    clientCpu: (processCpuMs() - before.client) / count,
    serverCpu: serverCpu === null ? null : (serverCpu() - before.server) / count,
    wall: (performance.now() - before.wall) / count,
  };
}

const fmt = (value: number | null) => (value === null ? '-' : value.toFixed(2));

const path = join(tmpdir(), `ocidex-store-write-bench-${process.pid}.db`);
const server = await benchPostgres(count, values['pg-url']);
try {
  const results: Array<[string, Figures]> = [];
  for (const [label, location] of [
    ['SQLite', path],
    ['PostgreSQL', server.url],
  ] as const) {
    const store = openIndex(location);
    try {
      results.push([label, measure(store)]);
    } finally {
      store.close();
    }
  }
  console.log(`\n${count} documents, one transaction each (after ${WARM_UP} unmeasured):`);
  console.log('| backend | round trips/doc | client CPU ms/doc | server CPU ms/doc | wall ms/doc | documents/s |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, figures] of results) {
    console.log(
      `| ${label} | ${fmt(figures.roundTrips)} | ${fmt(figures.clientCpu)} | ${fmt(figures.serverCpu)} | ${fmt(figures.wall)} | ${(1000 / figures.wall).toFixed(0)} |`,
    );
  }
} finally {
  removeIndexFiles(path);
  rmSync(`${path}-journal`, { force: true });
  await server.stop();
}
