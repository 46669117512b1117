/** What the index's write and read helpers share: one connection, its dialect, statements and path ids. */
import type { Dialect } from './dialect.js';
import type { PathInterner } from './paths.js';
import type { SqlDatabase } from './sql-port.js';
import type { Statements } from './statements.js';

export interface IndexContext {
  readonly db: SqlDatabase;
  readonly dialect: Dialect;
  readonly statements: Statements;
  readonly paths: PathInterner;
}

/** The current time as stored in the index (ISO 8601, UTC). */
export function now(): string {
  return new Date().toISOString();
}
