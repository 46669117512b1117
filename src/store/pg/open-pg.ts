/**
 * Opening the index on PostgreSQL: connect, then apply PG_MIGRATIONS under an advisory lock
 * (so two processes starting on a new database do not both migrate), the version kept in
 * `ocidex_schema`. A readonly open (query workers) only checks the version.
 */
import { OcidexError } from '../../domain/errors.js';
import { PgDatabase } from './pg-database.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-schema.js';

/** The advisory lock key migrations hold (any constant unique to ocidex). */
const MIGRATION_LOCK = 0x6f636964;

/** Whether `location` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens (and unless readonly, migrates) the PostgreSQL index at `url`. */
export function openPostgres(url: string, readonly: boolean): PgDatabase {
  const db = new PgDatabase(url, { readonly });
  try {
    if (readonly) checkVersion(versionOf(db), db.name, true);
    else migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function versionOf(db: PgDatabase): number {
  const exists = db.prepare<[], unknown>("SELECT to_regclass('ocidex_schema') IS NOT NULL AS e").pluck().get();
  if (exists !== true) return 0;
  return (db.prepare<[], unknown>('SELECT version FROM ocidex_schema').pluck().get() as number | undefined) ?? 0;
}

function checkVersion(version: number, name: string, readonly: boolean): void {
  if (version > PG_SCHEMA_VERSION) {
    const message = `index ${name} has schema version ${version}, newer than this ocidex supports (${PG_SCHEMA_VERSION}); upgrade ocidex`;
    throw new OcidexError('unsupported', message);
  }
  if (readonly && version < PG_SCHEMA_VERSION) {
    const message = `index ${name} has schema version ${version}, expected ${PG_SCHEMA_VERSION}; open it writable once to migrate`;
    throw new OcidexError('unsupported', message);
  }
}

function migrate(db: PgDatabase): void {
  db.transaction(() => {
    db.prepare(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`).get();
    db.exec('CREATE TABLE IF NOT EXISTS ocidex_schema (version integer NOT NULL)');
    const current = versionOf(db);
    checkVersion(current, db.name, false);
    if (current === 0)
      db.exec('INSERT INTO ocidex_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ocidex_schema)');
    for (let version = current; version < PG_SCHEMA_VERSION; version += 1) {
      db.exec(PG_MIGRATIONS[version] ?? '');
      db.exec(`UPDATE ocidex_schema SET version = ${version + 1}`);
    }
  }).immediate();
}
