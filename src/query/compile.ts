/** Compiling a query text in its dialect, with the length cap applied before any parsing. */
import type { CompiledQuery } from './compiled.js';
import { isOcidexError } from '../domain/errors.js';
import { invalidArgument, invalidQuery } from './errors.js';
import { compileJsonpathPlus } from './jsonpath-plus/compile.js';
import { DEFAULT_MAX_QUERY_LENGTH } from './limits.js';
import { compileRfc9535 } from './rfc9535/compile.js';
import type { Dialect } from './types.js';

/** The query dialects. */
export const DIALECTS: readonly Dialect[] = ['rfc9535', 'jsonpath-plus'];

/** Checks a dialect name given by a caller. */
export function checkDialect(dialect: unknown): Dialect {
  if (dialect === undefined) return 'rfc9535';
  if (!DIALECTS.includes(dialect as Dialect)) throw invalidArgument(`unknown dialect '${String(dialect)}'`);
  return dialect as Dialect;
}

/** Parses `text` once; throws `invalid_query` (with `details.position`) when it is not a valid query. */
export function compileQuery(text: unknown, dialect: unknown, maxLength = DEFAULT_MAX_QUERY_LENGTH): CompiledQuery {
  const checked = checkDialect(dialect);
  if (typeof text !== 'string') throw invalidQuery('a query must be a string', 0);
  if (text.length > maxLength) throw invalidQuery(`query longer than ${maxLength} characters`, maxLength);
  try {
    return checked === 'rfc9535' ? compileRfc9535(text) : compileJsonpathPlus(text);
  } catch (error) {
    // The parsers' own failures are typed; anything else (a RangeError past the nesting check)
    // is still the query's fault, never a server error.
    if (isOcidexError(error)) throw error;
    throw invalidQuery(`query could not be parsed: ${(error as Error).message}`, 0, error);
  }
}
