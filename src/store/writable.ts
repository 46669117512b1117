/**
 * Whether the index takes writes now (readiness): open, not readonly, and a real write commits.
 * A full disk, a read-only file or database, or an unreachable server say false; another writer
 * holding the lock (busy) says true, after a short wait only (a probe must answer fast).
 */
import { OcidexError } from '../domain/errors.js';
import { BUSY_TIMEOUT_MS } from './database.js';
import type { SqlDatabase } from './sql-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** How long the probe waits for another writer's lock. */
const PROBE_BUSY_MS = 200;

/** `write` runs its argument in the store's write transaction. */
export function writable(db: SqlDatabase, write: (work: () => unknown) => unknown): boolean {
  if (!db.open || db.readonly) return false;
  return db.dialect === 'postgres' ? probePostgres(db, write) : probeSqlite(db as SqliteDatabase, write);
}

/** Sets the schema version to itself, which rewrites the header. */
function probeSqlite(db: SqliteDatabase, write: (work: () => unknown) => unknown): boolean {
  const native = db.native;
  const version = native.pragma('user_version', { simple: true }) as number;
  native.pragma(`busy_timeout = ${PROBE_BUSY_MS}`);
  try {
    write(() => native.pragma(`user_version = ${version}`));
    return true;
  } catch (error) {
    return busy(error);
  } finally {
    native.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/**
 * Asks the server whether this session may write: reachable, not a standby in recovery, not a
 * read-only transaction by default. It writes nothing: a write would move the WAL position that
 * the caches of queries and responses are keyed by (data-version.ts), and a probe runs every few
 * seconds.
 */
function probePostgres(db: SqlDatabase, write: (work: () => unknown) => unknown): boolean {
  try {
    const answer = write(() =>
      db
        .prepare<[], boolean>(
          "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable",
        )
        .pluck()
        .get(),
    );
    return answer === true;
  } catch (error) {
    return busy(error);
  }
}

function busy(error: unknown): boolean {
  return error instanceof OcidexError && error.code === 'timeout';
}
