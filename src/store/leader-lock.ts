/**
 * Leadership among the processes sharing one index: on PostgreSQL a session-level advisory lock
 * per name (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS), held
 * by the store's own connection, so it is released when the process exits or its session ends
 * (a lost connection, a server restart) and another process can take it. A SQLite file has one
 * process serving it: that process always leads.
 */
import { createHash } from 'node:crypto';
import type { SqlDatabase } from './sql-port.js';

/** The first key of ocidex's leader locks ('ocid'), the second being the name's hash. */
const LEADER_LOCK_SPACE = 0x6f636964;

/**
 * Whether this session holds the lock (then true at once: session locks stack, so it is not
 * taken twice), else whether it could take it now. A session that was replaced after a lost
 * connection no longer holds it, and tries again like any other.
 */
const TRY_LEAD = `SELECT CASE WHEN EXISTS (
    SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid = ?::bigint::oid AND objid = ?::bigint::oid AND objsubid = 2)
  THEN true ELSE pg_try_advisory_lock(?::integer, ?::integer) END AS leads`;

/** Releases every hold of this session on the lock; false when it held none. */
const RELEASE_LEAD = `SELECT pg_advisory_unlock(?::integer, ?::integer) AS released`;

/** The lock's second key: 31 bits of the name's sha256 (non-negative, so also a valid oid). */
export function leaderLockKey(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) >>> 1;
}

/** Whether this process leads under `name` (taking the lead when it is free). */
export function tryLead(db: SqlDatabase, name: string): boolean {
  if (db.dialect !== 'postgres') return true;
  const key = leaderLockKey(name);
  const leads = db.prepare<unknown[], unknown>(TRY_LEAD).pluck().get(LEADER_LOCK_SPACE, key, LEADER_LOCK_SPACE, key);
  return leads === true;
}

/** Gives up the lead under `name` (for a graceful hand-over); false when this process did not lead. */
export function releaseLead(db: SqlDatabase, name: string): boolean {
  if (db.dialect !== 'postgres') return false;
  const key = leaderLockKey(name);
  return db.prepare<unknown[], unknown>(RELEASE_LEAD).pluck().get(LEADER_LOCK_SPACE, key) === true;
}
