/** The typed errors of the query engine (see src/domain/errors.ts for the codes). */
import { OcidexError } from '../domain/errors.js';

/** A query rejected at parse time; `position` is the UTF-16 offset of the offending token. */
export function invalidQuery(message: string, position: number, cause?: unknown): OcidexError {
  return new OcidexError('invalid_query', `${message} (at position ${position})`, { position }, { cause });
}

/** The query ran past its time budget. */
export function queryTimeout(timeoutMs: number): OcidexError {
  return new OcidexError('query_timeout', `query exceeded its time budget of ${timeoutMs} ms`);
}

/** The result (or the data a whole-array evaluation must load) is over its cap. */
export function resultTooLarge(message: string): OcidexError {
  return new OcidexError('result_too_large', message);
}

/** A bad option (limit, cursor, sort path, facet path, ...). */
export function invalidArgument(message: string): OcidexError {
  return new OcidexError('invalid_argument', message);
}
