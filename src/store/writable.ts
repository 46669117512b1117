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

/** Rewrites the schema version row (a read-only or unreachable database fails it). */
function probePostgres(db: SqlDatabase, write: (work: () => unknown) => unknown): boolean {
  try {
    write(() => {
      db.exec(`SET LOCAL lock_timeout = ${PROBE_BUSY_MS}`);
      db.exec('UPDATE ocidex_schema SET version = version');
    });
    return true;
  } catch (error) {
    return busy(error);
  }
}

function busy(error: unknown): boolean {
  return error instanceof OcidexError && error.code === 'timeout';
}
