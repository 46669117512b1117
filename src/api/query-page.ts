/** Running queries for the API: the client they count against, default page size, latency metric, response shape. */
import { isOcidexError } from '../domain/errors.js';
import type { Context } from 'hono';
import type { JsonValue } from '../domain/document.js';
import type { QueryOptions } from '../query/index.js';
import { queryContext } from './query-context.js';
import type { ApiDeps } from './deps.js';
import type { QueryOutcome } from './metrics.js';

/** Items per page when the request gives no `limit` (the engine would otherwise return all, capped). */
export const DEFAULT_PAGE_SIZE = 100;

/** One page as the API returns it (the engine's plan, with its SQL, stays internal). */
export interface QueryPage {
  items: JsonValue[];
  nextCursor: string | null;
  total?: number;
}

/** The outcome label of a query that threw `error`. */
function outcomeOf(error: unknown): QueryOutcome {
  if (isOcidexError(error, 'query_timeout')) return 'timeout';
  if (isOcidexError(error, 'result_too_large')) return 'too_large';
  if (isOcidexError(error, 'invalid_query') || isOcidexError(error, 'invalid_argument')) return 'invalid';
  if (isOcidexError(error, 'overloaded')) return 'overloaded';
  return 'error';
}

/** Runs `work` (a query service call), recording its latency and outcome. */
export async function measured<T>(deps: Pick<ApiDeps, 'metrics'>, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome: QueryOutcome = 'ok';
  try {
    return await work();
  } catch (error) {
    outcome = outcomeOf(error);
    throw error;
  } finally {
    deps.metrics.observeQuery((performance.now() - started) / 1000, outcome);
  }
}

/** One page of `text` for the client of `c`, `DEFAULT_PAGE_SIZE` items unless `options.limit` says otherwise. */
export async function queryPage(
  c: Context,
  deps: Pick<ApiDeps, 'queries' | 'metrics' | 'config'>,
  text: string,
  options: QueryOptions,
): Promise<QueryPage> {
  const paged = { ...options, limit: options.limit ?? DEFAULT_PAGE_SIZE };
  const result = await measured(deps, () => deps.queries.query(text, paged, queryContext(c, deps.config)));
  const page: QueryPage = { items: result.items, nextCursor: result.nextCursor };
  if (result.total !== undefined) page.total = result.total;
  return page;
}
