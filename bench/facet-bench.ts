/**
 * Facet counts benchmark (`npm run bench:facets`, a benchmark, nothing asserted), side by side:
 * - cold facets: the catalog landing page's four facets over every document (`--n`, default 100k
 *   documents, the query benchmark's index; `--db` keeps it), each request right after a
 *   document was rewritten (so no cache holds the answer), by an engine that groups every
 *   document's values (`facetCounts: 'off'`, as before the counts) and one that reads the
 *   counts the writers keep (its first request starts counting the four paths: timed apart);
 *   goal: <= 20 ms at 100k, <= 100 ms at 1M;
 * - write cost: documents written into two fresh indexes, one counting those four paths and one
 *   without the counts' triggers (as before them), in alternating batches (facet-bench-writes.ts).
 * `--backends sqlite,postgres` runs both on SQLite and on a PostgreSQL copy (a throwaway server, or `--pg-url`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArtifactDocument } from '../src/domain/document.js';
import { QueryEngine } from '../src/query/index.js';
import type { IndexStore } from '../src/store/index.js';
import { openBenchIndex, openPostgresBenchIndex } from './bench-index.js';
import { benchPostgres } from './bench-postgres.js';
import { measureWrites, type WriteCost } from './facet-bench-writes.js';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    db: { type: 'string' },
    runs: { type: 'string', default: '20' },
    writes: { type: 'string', default: '2000' },
    backends: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string' },
  },
});
const count = Number(values.n);
const runs = Number(values.runs);
const path = values.db ?? join(tmpdir(), `ocidex-query-bench-${count}.db`);
const backends = values.backends.split(',').map((name) => name.trim());
/** The catalog's landing facets (bench/api-bench-cases.ts). */
export const LANDING_FACETS = ['@.kind', '@.model.license', '@.model.format', '@.signed'];

interface ColdFacets {
  backend: string;
  first: number;
  grouped: number[];
  counted: number[];
  same: boolean;
}

/** Rewrites one document (its crawledAt moves): the index changes, so every cache is cold. */
function touch(store: IndexStore, reference: string, run: number): void {
  const document = store.getDocument(reference) as ArtifactDocument;
  store.putDocuments([{ ...document, crawledAt: new Date(Date.UTC(2025, 0, 1) + run * 1000).toISOString() }]);
}

function timed(work: () => unknown): { ms: number; result: unknown } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

function coldFacets(backend: string, store: IndexStore): ColdFacets {
  const reference = store.db.prepare<[], string>('SELECT reference FROM documents ORDER BY id LIMIT 1').pluck().get();
  const grouping = new QueryEngine(store.db, { facetCounts: 'off' });
  const counting = new QueryEngine(store.db);
  const options = { timeoutMs: 120_000 };
  // Counted paths come with a reused or copied index: forget them, so the first request starts counting.
  store.db.exec('DELETE FROM facet_counts');
  store.db.exec('DELETE FROM facet_paths');
  const first = timed(() => counting.facets(LANDING_FACETS, undefined, options));
  const samples = { grouped: [] as number[], counted: [] as number[] };
  let same = true;
  for (let run = 0; run < runs; run += 1) {
    touch(store, reference as string, run * 2);
    const grouped = timed(() => grouping.facets(LANDING_FACETS, undefined, options));
    touch(store, reference as string, run * 2 + 1);
    const counted = timed(() => counting.facets(LANDING_FACETS, undefined, options));
    samples.grouped.push(grouped.ms);
    samples.counted.push(counted.ms);
    same &&= JSON.stringify(grouped.result) === JSON.stringify(counted.result);
  }
  return { backend, first: first.ms, ...samples, same };
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

function printCold(results: readonly ColdFacets[]): void {
  const goal = count >= 1_000_000 ? 100 : 20;
  console.log(`\nfour facets over all ${count} documents, cold (a document rewritten before each), ${runs} runs each`);
  console.log(
    '| backend | grouped p50 | grouped p99 | counted p50 | counted p99 | same answers | first counted request (starts counting) | goal |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const p99 = quantile(r.counted, 0.99);
    console.log(
      `| ${r.backend} | ${ms(quantile(r.grouped, 0.5))} | ${ms(quantile(r.grouped, 0.99))} | ${ms(quantile(r.counted, 0.5))} | ` +
        `${ms(p99)} | ${r.same ? 'yes' : 'NO'} | ${ms(r.first)} | <= ${goal} ms: ${p99 <= goal ? 'ok' : 'MISSED'} |`,
    );
  }
}

function printWrites(results: readonly WriteCost[]): void {
  console.log(
    `\nwrite cost per document (${values.writes} written, then each rewritten), before the counts vs four paths counted`,
  );
  console.log(
    '| backend | step | CPU µs/doc, before | CPU µs/doc, counted | wall µs/doc, before | wall µs/doc, counted |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of results)
    for (const step of r.steps)
      console.log(
        `| ${r.backend} | ${step.name} | ${step.before.cpu.toFixed(0)} | ${step.counted.cpu.toFixed(0)} | ` +
          `${step.before.wall.toFixed(0)} | ${step.counted.wall.toFixed(0)} |`,
      );
  console.log('(CPU: this process; on PostgreSQL the triggers run in the server, so its wall time is the one to read)');
}

const server = backends.includes('postgres') ? await benchPostgres(count, values['pg-url']) : null;
const cold: ColdFacets[] = [];
const writes: WriteCost[] = [];
try {
  for (const backend of backends) {
    const store =
      backend === 'postgres'
        ? await openPostgresBenchIndex(server!.url, count, { sqlitePath: path, load: 'copy' })
        : openBenchIndex(path, count);
    try {
      cold.push(coldFacets(backend, store));
      writes.push(measureWrites(backend, store, Number(values.writes), LANDING_FACETS));
    } finally {
      store.close();
    }
  }
  printCold(cold);
  printWrites(writes);
} finally {
  await server?.stop();
}
