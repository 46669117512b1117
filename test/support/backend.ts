/**
 * Which backend a test's index is on. The `postgres` vitest project (vitest.config.ts) runs the
 * index and query suites again with OCIDEX_TEST_BACKEND=postgres against one throwaway server
 * (postgres-global.ts); each index is then a fresh database on it, made and dropped here.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { PgDatabase } from '../../src/store/index.js';

export type TestBackend = 'sqlite' | 'postgres';

export function testBackend(): TestBackend {
  return process.env['OCIDEX_TEST_BACKEND'] === 'postgres' ? 'postgres' : 'sqlite';
}

let admin: PgDatabase | null = null;

/** A connection to the server's maintenance database (one per test process). */
function adminConnection(): PgDatabase {
  const url = inject('postgresUrl');
  if (typeof url !== 'string') throw new Error('the postgres project did not start PostgreSQL (postgres-global.ts)');
  admin ??= new PgDatabase(url, { readonly: false, applicationName: 'ocidex-tests' });
  return admin;
}

/** A new, empty database on the tests' server; returns its URL. */
export function freshPostgresDatabase(): string {
  const connection = adminConnection();
  const name = `t_${randomBytes(8).toString('hex')}`;
  connection.exec(`CREATE DATABASE ${name}`);
  const url = new URL(connection.location);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by `freshPostgresDatabase` (its connections are ended first). */
export function dropPostgresDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (/^t_[0-9a-f]{16}$/.test(name)) adminConnection().exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
