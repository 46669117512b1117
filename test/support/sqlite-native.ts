/** better-sqlite3's own connection under an index opened on SQLite, for tests of what only SQLite has (pragmas). */
import type Database from 'better-sqlite3';
import { type SqlDatabase, SqliteDatabase } from '../../src/store/index.js';

export function nativeSqlite(db: SqlDatabase): Database.Database {
  if (!(db instanceof SqliteDatabase)) throw new Error(`${db.name} is not a SQLite index`);
  return db.native;
}
