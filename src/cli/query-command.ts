/** `ocidex query`: JSONPath over the array of all indexed documents. */
import { isOcidexError, OcidexError } from '../domain/errors.js';
import { openIndex } from '../store/index.js';
import { loadSavedQueries, QueryEngine, type Dialect, type QueryOptions } from '../query/index.js';
import { savedQueriesDir } from './paths.js';

export interface QueryCommandOptions {
  db: string;
  dialect: Dialect;
  sort?: string;
  order: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  count?: boolean;
  facet?: string;
  saved?: string;
}

/** Runs the command; resolves with the exit code (2: the query or its options are invalid). */
export async function runQuery(jsonpath: string | undefined, options: QueryCommandOptions): Promise<number> {
  const index = openIndex(options.db, { readonly: true });
  try {
    const { text, queryOptions } = resolveQuery(jsonpath, options);
    const engine = new QueryEngine(index.db);
    if (options.count) {
      process.stdout.write(`${engine.count(text, queryOptions)}\n`);
    } else if (options.facet) {
      process.stdout.write(`${JSON.stringify(engine.facet(options.facet, text, queryOptions), null, 2)}\n`);
    } else {
      const result = engine.query(text, queryOptions);
      process.stdout.write(`${JSON.stringify(result.items, null, 2)}\n`);
      if (result.nextCursor) process.stderr.write(`next page: --cursor ${result.nextCursor}\n`);
    }
    return 0;
  } catch (error) {
    if (!isOcidexError(error)) throw error;
    process.stderr.write(`${describe(error, jsonpath)}\n`);
    return error.code === 'internal' ? 1 : 2;
  } finally {
    index.close();
  }
}

function resolveQuery(
  jsonpath: string | undefined,
  options: QueryCommandOptions,
): { text: string; queryOptions: QueryOptions } {
  const base: QueryOptions = {
    dialect: options.dialect,
    sort: options.sort,
    order: options.order,
    limit: options.limit,
    cursor: options.cursor,
  };
  if (options.saved === undefined) {
    if (jsonpath === undefined) throw new OcidexError('invalid_argument', 'give a JSONPath query or --saved NAME');
    return { text: jsonpath, queryOptions: base };
  }
  const saved = loadSavedQueries(savedQueriesDir()).find((query) => query.name === options.saved);
  if (!saved) throw new OcidexError('invalid_argument', `no saved query named "${options.saved}"`);
  return {
    text: saved.query,
    queryOptions: {
      ...base,
      dialect: saved.dialect ?? base.dialect,
      sort: options.sort ?? saved.sort,
      order: options.sort ? base.order : (saved.order ?? base.order),
    },
  };
}

/** The error, with a caret under the position for an invalid query. */
function describe(error: OcidexError, text: string | undefined): string {
  const position = error.details.position;
  if (error.code !== 'invalid_query' || position === undefined || text === undefined)
    return `ocidex query: ${error.message}`;
  return `ocidex query: ${error.message}\n  ${text}\n  ${' '.repeat(position)}^`;
}
