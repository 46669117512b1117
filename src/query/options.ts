/** Validation of QueryOptions shared by the engine and the plain evaluator. */
import { invalidArgument } from './errors.js';
import { type SortPath, parseDocumentPath } from './sort.js';
import type { QueryOptions } from './types.js';

/** QueryOptions validated, with defaults applied. */
export interface CheckedOptions {
  sort: SortPath | null;
  descending: boolean;
  /** Items wanted (null: all, up to maxResults). */
  limit: number | null;
  maxResults: number;
  timeoutMs: number;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(`${name} must be a positive integer`);
  }
  return value;
}

/** Validates options against the engine caps. */
export function checkOptions(
  options: QueryOptions,
  defaults: { timeoutMs: number; maxResults: number },
): CheckedOptions {
  const order = options.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw invalidArgument("order must be 'asc' or 'desc'");
  let maxResults = defaults.maxResults;
  if (options.maxResults !== undefined)
    maxResults = Math.min(maxResults, positiveInteger(options.maxResults, 'maxResults'));
  const limit = options.limit === undefined ? null : positiveInteger(options.limit, 'limit');
  if (limit !== null && limit > maxResults) throw invalidArgument(`limit must be at most ${maxResults}`);
  const timeoutMs =
    options.timeoutMs === undefined ? defaults.timeoutMs : positiveInteger(options.timeoutMs, 'timeoutMs');
  const sort = options.sort === undefined ? null : parseDocumentPath(options.sort, 'sort');
  return { sort, descending: order === 'desc', limit, maxResults, timeoutMs };
}
