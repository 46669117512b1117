/**
 * Query benchmark (`npm run bench:query`, a benchmark, nothing asserted): N documents shaped like
 * real crawls (default 100k; `--n 1000000`) in a real index, then for a fixed set of queries the
 * engine's p50/p99 next to the plain evaluator's (the query over the full array in memory), their
 * ratio, memory and index size. `--db <file>` keeps the index between runs.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { compile } from 'json-p3';
import type { JsonValue } from '../src/domain/document.js';
import { evaluatePlain, QueryEngine, type QueryOptions } from '../src/query/index.js';
import { openBenchIndex } from './bench-index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    db: { type: 'string' },
    runs: { type: 'string', default: '50' },
    'plain-runs': { type: 'string' },
    'no-plain': { type: 'boolean', default: false },
  },
});
const count = Number(values.n);
const runs = Number(values.runs);
const plainRuns = Number(values['plain-runs'] ?? (count > 200_000 ? 2 : 5));
const path = values.db ?? join(tmpdir(), `ocidex-query-bench-${count}.db`);

interface BenchCase {
  name: string;
  goal?: string;
  query?: { text: string; options?: QueryOptions };
  count?: string;
  facet?: { path: string; text?: string };
}

const CASES: BenchCase[] = [
  {
    name: 'selective: repository == + size range',
    goal: 'selective',
    query: { text: "$[?@.repository == 'org-7/model-107' && @.size > 100000]" },
  },
  {
    name: "selective: license == 'gemma' && accuracy > 0.999",
    goal: 'selective',
    query: { text: "$[?@.model.license == 'gemma' && @.model.metrics.accuracy > 0.999]" },
  },
  {
    name: 'first page (50) of a non-selective query',
    goal: 'first-page',
    query: { text: "$[?@.kind == 'model' && @.signed == false]", options: { limit: 50 } },
  },
  {
    name: 'top-1: most accurate Apache-2.0 model',
    goal: 'top-1',
    query: {
      text: "$[?@.model.license == 'Apache-2.0']",
      options: { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 },
    },
  },
  {
    name: 'page 1 (50) sorted by size desc',
    query: { text: "$[?@.kind == 'model']", options: { sort: '@.size', order: 'desc', limit: 50 } },
  },
  { name: 'facet: license, all documents', facet: { path: '@.model.license' } },
  { name: 'facet: license of signed models', facet: { path: '@.model.license', text: '$[?@.signed == true]' } },
  { name: 'count: signed models', count: '$[?@.signed == true]' },
  {
    name: 'non-indexable first page (50): length(@.tags) > 2',
    query: { text: '$[?length(@.tags) > 2]', options: { limit: 50 } },
  },
];

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

function time(repeat: number, work: () => unknown): { p50: number; p99: number; result: unknown } {
  let result: unknown;
  const samples: number[] = [];
  for (let run = 0; run < repeat; run += 1) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  return { ...percentiles(samples), result };
}

/** The facet definition over a plain array (as the engine documents it). */
function plainFacet(documents: JsonValue[], path: string): Map<string, number> {
  const query = compile(`$${path.slice(1)}`);
  const counts = new Map<string, number>();
  for (const document of documents) {
    for (const value of new Set(
      query
        .query(document)
        .values()
        .map((item) => JSON.stringify(item)),
    )) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }
  return counts;
}

function engineRun(engine: QueryEngine, benchCase: BenchCase): () => unknown {
  if (benchCase.query)
    return () => engine.query(benchCase.query!.text, { timeoutMs: 60_000, ...benchCase.query!.options });
  if (benchCase.count) return () => engine.count(benchCase.count!, { timeoutMs: 60_000 });
  return () => engine.facet(benchCase.facet!.path, benchCase.facet!.text, { timeoutMs: 60_000 });
}

function plainRun(documents: JsonValue[], benchCase: BenchCase): () => unknown {
  if (benchCase.query) return () => evaluatePlain(documents, benchCase.query!.text, benchCase.query!.options);
  if (benchCase.count) return () => evaluatePlain(documents, benchCase.count!).length;
  return () =>
    plainFacet(
      benchCase.facet!.text ? evaluatePlain(documents, benchCase.facet!.text) : documents,
      benchCase.facet!.path,
    );
}

function summary(result: unknown): string {
  if (typeof result === 'number') return `count ${result}`;
  if (Array.isArray(result)) return `${result.length} values`;
  const page = result as { items: unknown[]; plan: { candidates: number } };
  return `${page.items.length} items, ${page.plan.candidates} evaluated`;
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const store = openBenchIndex(path, count);
const engine = new QueryEngine(store.db);
const rows: string[] = [];
const goals: string[] = [];
for (const benchCase of CASES) {
  const run = engineRun(engine, benchCase);
  run();
  const measured = time(runs, run);
  rows.push(`| ${benchCase.name} | ${fmt(measured.p50)} | ${fmt(measured.p99)} | ${summary(measured.result)} |`);
  if (benchCase.goal) goals.push(`${benchCase.goal}|${benchCase.name}|${measured.p50}`);
}
const indexBytes = ['', '-wal'].reduce(
  (sum, suffix) => sum + (existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : 0),
  0,
);
const valueRows = (store.db.prepare('SELECT count(*) AS n FROM doc_values').get() as { n: number }).n;
console.log(`\n${count} documents, ${valueRows} doc_values rows, index ${mib(indexBytes)} (${path})`);
console.log(`engine process: rss ${mib(process.memoryUsage().rss)}, heap ${mib(process.memoryUsage().heapUsed)}\n`);
console.log('| case | engine p50 ms | engine p99 ms | result |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);

if (!values['no-plain']) {
  const heapLimit = getHeapStatistics().heap_size_limit;
  if (heapLimit < count * 6_000)
    console.log(
      `\nheap limit ${mib(heapLimit)} may be too small for the plain evaluator: NODE_OPTIONS=--max-old-space-size=${Math.ceil((count * 6_000) / 2 ** 20)}`,
    );
  const loadStarted = performance.now();
  const documents = [...store.iterateDocuments()] as unknown as JsonValue[];
  console.log(
    `\nplain evaluator: ${documents.length} documents loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s, heap ${mib(process.memoryUsage().heapUsed)}, rss ${mib(process.memoryUsage().rss)}`,
  );
  console.log(`| case | engine p50 ms | plain p50 ms | plain p99 ms | plain / engine |`);
  console.log('|---|---|---|---|---|');
  for (const benchCase of CASES) {
    const engineP50 = time(Math.min(runs, 20), engineRun(engine, benchCase)).p50;
    const plain = time(plainRuns, plainRun(documents, benchCase));
    console.log(
      `| ${benchCase.name} | ${fmt(engineP50)} | ${fmt(plain.p50)} | ${fmt(plain.p99)} | ${(plain.p50 / engineP50).toFixed(0)}x |`,
    );
  }
}

console.log(
  '\ngoals (1M documents: p50 <= 10 ms selective and top-1, <= 20 ms first page; 100k: engine >= 100x plain on selective):',
);
for (const goal of goals) {
  const [kind, name, p50] = goal.split('|');
  const limit = kind === 'first-page' ? 20 : 10;
  console.log(
    `  ${name}: p50 ${fmt(Number(p50))} ms (goal at 1M: <= ${limit} ms) ${Number(p50) <= limit ? 'ok' : 'MISSED'}`,
  );
}
store.close();
