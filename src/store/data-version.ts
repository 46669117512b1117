/**
 * A value that changes whenever the index changes, by any connection, read from `db`. SQLite:
 * `PRAGMA data_version` moves when another connection (a query worker's, a CLI crawl's, queue
 * mode's writer in another process) commits, `total_changes()` when this one writes. PostgreSQL:
 * the WAL position, which every commit moves (read first: a commit after the read changes it for
 * the next reader). Caches keyed by it (the engine's facets, the API's responses) are never
 * served past a write. Null once the connection is closed.
 */
import type { SqlDatabase } from './sql-port.js';

const PG_WAL_POSITION = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
  ELSE pg_current_wal_insert_lsn() END)::text`;

export function dataVersionOf(db: SqlDatabase): () => string | null {
  if (db.dialect === 'sqlite') {
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
    return () => (db.open ? `${dataVersion.get()}/${changes.get()}` : null);
  }
  const position = db.prepare<[], string>(PG_WAL_POSITION).pluck();
  return () => (db.open ? (position.get() ?? null) : null);
}
