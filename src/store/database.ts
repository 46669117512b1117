/**
 * Opening the index database: a PostgreSQL URL opens PostgreSQL (pg/open-pg.ts); anything else
 * is a SQLite file: connection pragmas and schema migrations, the schema version in
 * `PRAGMA user_version` (https://sqlite.org/pragma.html#pragma_user_version).
 */
import Database from 'better-sqlite3';
import { OcidexError } from '../domain/errors.js';
import { isPostgresUrl, openPostgres } from './pg/open-pg.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import type { SqlDatabase } from './sql-port.js';
import { SqliteDatabase } from './sqlite-database.js';

/** How long a connection waits for another writer before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Opens (and, unless readonly, creates and migrates) the index database at `location`. */
export function openDatabase(location: string, readonly: boolean): SqlDatabase {
  return isPostgresUrl(location)
    ? openPostgres(location, readonly)
    : new SqliteDatabase(openSqlite(location, readonly));
}

function openSqlite(path: string, readonly: boolean): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    const message = `cannot open index ${path}: ${(error as Error).message}`;
    throw new OcidexError('invalid_argument', message, {}, { cause: error });
  }
  try {
    configure(db, readonly);
    if (readonly) checkVersion(userVersion(db), path, true);
    else migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof OcidexError) throw error;
    const message = `cannot migrate index ${path}: ${(error as Error).message}`;
    throw new OcidexError('internal', message, {}, { cause: error });
  }
}

function configure(db: Database.Database, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL lets readers (API, queries) run while a crawl writes; https://sqlite.org/wal.html
  if (!readonly) db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode except for the last transactions on power loss.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws when the database is newer than this code (or, when readonly, older). */
function checkVersion(version: number, path: string, readonly: boolean): void {
  if (version > SCHEMA_VERSION) {
    throw new OcidexError(
      'unsupported',
      `index ${path} has schema version ${version}, newer than this ocidex supports ` +
        `(${SCHEMA_VERSION}); upgrade ocidex`,
    );
  }
  if (readonly && version < SCHEMA_VERSION) {
    throw new OcidexError(
      'unsupported',
      `index ${path} has schema version ${version}, expected ${SCHEMA_VERSION}; open it writable once to migrate`,
    );
  }
}

/**
 * Applies MIGRATIONS[version..] in one IMMEDIATE transaction, re-reading the version inside it so
 * two processes opening a new file at once do not both migrate.
 */
function migrate(db: Database.Database, path: string): void {
  if (MIGRATIONS.length !== SCHEMA_VERSION) {
    const message = `MIGRATIONS has ${MIGRATIONS.length} entries, SCHEMA_VERSION is ${SCHEMA_VERSION}`;
    throw new OcidexError('internal', message);
  }
  checkVersion(userVersion(db), path, false);
  const apply = db.transaction(() => {
    const current = userVersion(db);
    checkVersion(current, path, false);
    for (let version = current; version < SCHEMA_VERSION; version += 1) {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  if (userVersion(db) < SCHEMA_VERSION) apply.immediate();
}
