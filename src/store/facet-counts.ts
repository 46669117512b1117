/**
 * Which paths have facet counts (facet-counts-schema.ts, pg/pg-schema.ts v2). A path becomes
 * counted when the query engine first computes an unfiltered facet of it: its counts are
 * filled from `doc_values` in one statement, then the triggers keep them. At most
 * MAX_COUNTED_PATHS paths are counted (each costs every write of a document that has it one
 * counted row), and a path with more than MAX_COUNTED_VALUES values is not (its counts would
 * be read as slowly as its values are grouped); the others keep being grouped per request.
 */
import { now } from './context.js';
import { openDatabase } from './database.js';
import { PG_OVERRIDES } from './pg/pg-sql.js';
import {
  COUNT_FACET_VALUES,
  DELETE_FACET_COUNTS,
  DELETE_FACET_PATH,
  FILL_FACET_COUNTS,
  INSERT_FACET_PATH,
  LOCK_FACET_VALUES,
  SELECT_FACET_PATH_IDS,
} from './sql.js';
import type { SqlDatabase } from './sql-port.js';

export const MAX_COUNTED_PATHS = 32;
export const MAX_COUNTED_VALUES = 10_000;

/** The statements of this module (SQLite's text; pg/pg-sql.ts overrides some). */
const STATEMENTS = {
  SELECT_FACET_PATH_IDS,
  INSERT_FACET_PATH,
  LOCK_FACET_VALUES,
  FILL_FACET_COUNTS,
  COUNT_FACET_VALUES,
  DELETE_FACET_COUNTS,
  DELETE_FACET_PATH,
};
type CountingStatement = keyof typeof STATEMENTS;

function textOf(db: SqlDatabase, name: CountingStatement): string {
  return (db.dialect === 'postgres' ? PG_OVERRIDES[name] : undefined) ?? STATEMENTS[name];
}

function statement(db: SqlDatabase, name: CountingStatement) {
  return db.prepare<unknown[], unknown>(textOf(db, name));
}

/** The ids of the counted paths, ascending. */
export function countedPathIds(db: SqlDatabase): number[] {
  return statement(db, 'SELECT_FACET_PATH_IDS').pluck().all() as number[];
}

/**
 * Starts counting each of `pathIds` (ids of `paths` rows) not counted yet, one transaction each,
 * through `db`, or when `db` is readonly through a writable connection to the same database
 * opened for this call. Returns the ids counted when it is done. Throws when the database takes
 * no writes (a readonly file, a standby).
 */
export function countFacetPaths(db: SqlDatabase, pathIds: readonly number[]): Set<number> {
  if (db.readonly) {
    const writer = openDatabase(db.location, false);
    try {
      return countFacetPaths(writer, pathIds);
    } finally {
      writer.close();
    }
  }
  for (const pathId of pathIds) db.transaction(() => startCounting(db, pathId)).immediate();
  return new Set(countedPathIds(db));
}

/**
 * Fills the counts of one path, unless it is counted already or the cap is reached. On
 * PostgreSQL writers of doc_values wait meanwhile (a SHARE lock), so no row is written between
 * the fill's snapshot and the moment the triggers count the path; SQLite has one writer.
 */
function startCounting(db: SqlDatabase, pathId: number): void {
  db.exec(textOf(db, 'LOCK_FACET_VALUES'));
  const counted = countedPathIds(db);
  if (counted.includes(pathId) || counted.length >= MAX_COUNTED_PATHS) return;
  statement(db, 'INSERT_FACET_PATH').run(pathId, now());
  statement(db, 'FILL_FACET_COUNTS').run(pathId);
  const values = Number(statement(db, 'COUNT_FACET_VALUES').pluck().get(pathId));
  if (values > MAX_COUNTED_VALUES) {
    statement(db, 'DELETE_FACET_COUNTS').run(pathId);
    statement(db, 'DELETE_FACET_PATH').run(pathId);
  }
}
