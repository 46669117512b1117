/**
 * SQLite failures as OcidexErrors. A busy database is transient (`timeout`); a full disk, a
 * read-only file or an unopenable one is the operator's to fix, not a bug: it gets the stable
 * code `index_unavailable` and SQLite's words, so the CLI prints one line and `/readyz` can say
 * why it is not ready. Anything else is `internal`.
 */
import Database from 'better-sqlite3';
import { OcidexError } from '../domain/errors.js';

/** SQLite result codes (https://sqlite.org/rescode.html) that mean the index cannot be used as asked. */
const UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM|NOTADB|CORRUPT)(_|$)/;

/** `error` as an OcidexError when it is a SQLite error (see the module comment); other values as they are. */
export function toIndexError(error: unknown): unknown {
  if (error instanceof OcidexError || !(error instanceof Database.SqliteError)) return error;
  if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED') {
    return new OcidexError('timeout', `index busy: ${error.message}`, { transient: true }, { cause: error });
  }
  if (UNAVAILABLE.test(error.code)) {
    const message = `the index cannot be written: ${error.message} (${error.code})`;
    return new OcidexError('index_unavailable', message, {}, { cause: error });
  }
  return new OcidexError('internal', `index error: ${error.message}`, {}, { cause: error });
}
