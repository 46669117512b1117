/** What the index's write and read helpers share: one connection, its statements, its path ids. */
import type Database from 'better-sqlite3';
import type { PathInterner } from './paths.js';
import type { Statements } from './statements.js';

export interface IndexContext {
  readonly db: Database.Database;
  readonly statements: Statements;
  readonly paths: PathInterner;
}

/** The current time as stored in the index (ISO 8601, UTC). */
export function now(): string {
  return new Date().toISOString();
}
