/**
 * The cases of the query benchmark (query-bench.ts) and how each runs: on the engine over an
 * index, and on the plain evaluator over the full array in memory.
 */
import { compile } from 'json-p3';
import type { JsonValue } from '../src/domain/document.js';
import { evaluatePlain, type QueryEngine, type QueryOptions } from '../src/query/index.js';

export interface BenchCase {
  name: string;
  goal?: 'selective' | 'first-page' | 'top-1';
  query?: { text: string; options?: QueryOptions };
  count?: string;
  facet?: { path: string; text?: string };
}

export const CASES: BenchCase[] = [
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

/** One run of `benchCase` on the engine. */
export function engineRun(engine: QueryEngine, benchCase: BenchCase): () => unknown {
  if (benchCase.query)
    return () => engine.query(benchCase.query!.text, { timeoutMs: 60_000, ...benchCase.query!.options });
  if (benchCase.count) return () => engine.count(benchCase.count!, { timeoutMs: 60_000 });
  return () => engine.facet(benchCase.facet!.path, benchCase.facet!.text, { timeoutMs: 60_000 });
}

/** One run of `benchCase` on the plain evaluator over `documents`. */
export function plainRun(documents: JsonValue[], benchCase: BenchCase): () => unknown {
  if (benchCase.query) return () => evaluatePlain(documents, benchCase.query!.text, benchCase.query!.options);
  if (benchCase.count) return () => evaluatePlain(documents, benchCase.count!).length;
  return () =>
    plainFacet(
      benchCase.facet!.text ? evaluatePlain(documents, benchCase.facet!.text) : documents,
      benchCase.facet!.path,
    );
}

/** What a run answered, in a few words. */
export function summary(result: unknown): string {
  if (typeof result === 'number') return `count ${result}`;
  if (Array.isArray(result)) return `${result.length} values`;
  const page = result as { items: unknown[]; plan: { candidates: number } };
  return `${page.items.length} items, ${page.plan.candidates} evaluated`;
}

/** Goals at 1M documents: p50 <= 10 ms selective and top-1, <= 20 ms first page. */
export function goalMs(goal: NonNullable<BenchCase['goal']>): number {
  return goal === 'first-page' ? 20 : 10;
}
