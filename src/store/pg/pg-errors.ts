/**
 * PostgreSQL failures as OcidexErrors, by SQLSTATE class
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), with the same codes the
 * SQLite backend gives: a conflict between concurrent writers is transient (`timeout`, retried
 * by the store), an unreachable, full or read-only database is `index_unavailable`, a statement
 * cancelled by its timeout is `query_timeout`, anything else `internal`. Messages name the
 * database without its password.
 */
import { OcidexError } from '../../domain/errors.js';
import { PgFailure } from './pg-session.js';

/** Serialization failure, deadlock, lock not available, unique violation by a concurrent insert. */
const CONFLICT = new Set(['40001', '40P01', '55P03', '23505']);

/** Connection exceptions, insufficient resources, operator intervention, read-only transaction, system errors. */
const UNAVAILABLE = /^(08|53|57P|58|25006|28)/;

/** `error` as an OcidexError (other OcidexErrors pass through). */
export function pgError(error: unknown, database: string): unknown {
  if (error instanceof OcidexError || !(error instanceof PgFailure)) return error;
  const { sqlstate, message, connection } = error.error;
  if (connection === true || (sqlstate !== undefined && UNAVAILABLE.test(sqlstate))) {
    const text = `the index database ${database} is unavailable: ${message}${sqlstate ? ` (${sqlstate})` : ''}`;
    return new OcidexError('index_unavailable', text, {}, { cause: error });
  }
  if (sqlstate === '57014') {
    return new OcidexError(
      'query_timeout',
      'the database cancelled a statement past its time budget',
      {},
      { cause: error },
    );
  }
  if (sqlstate !== undefined && CONFLICT.has(sqlstate)) {
    return new OcidexError('timeout', `index busy: ${message} (${sqlstate})`, { transient: true }, { cause: error });
  }
  return new OcidexError(
    'internal',
    `index error: ${message}${sqlstate ? ` (${sqlstate})` : ''}`,
    {},
    { cause: error },
  );
}
