/** The PostgreSQL connection behind the store: budgets, failures as typed errors, savepoints. */
import { afterAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { dataVersionOf, openIndex, PgDatabase } from '../../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';

const url = freshPostgresDatabase();
afterAll(() => dropPostgresDatabase(url));

function codeOf(work: () => unknown): string {
  try {
    work();
    return 'ran';
  } catch (error) {
    return isOcidexError(error) ? error.code : `other: ${(error as Error).message}`;
  }
}

describe('PostgreSQL connection', () => {
  it('cancels a statement past the budget it runs under (query_timeout) and keeps working', () => {
    const db = new PgDatabase(url, { readonly: true });
    try {
      db.timeout = () => 50;
      expect(codeOf(() => db.prepare('SELECT pg_sleep(2)').get())).toBe('query_timeout');
      expect(db.prepare<[], number>('SELECT 1 + 1').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('answers an unreachable server with index_unavailable, never printing the password', () => {
    const secret = 'hunter2-secret-value';
    let message = '';
    try {
      openIndex(`postgres://ocidex:${secret}@127.0.0.1:9/nothing`);
    } catch (error) {
      expect(isOcidexError(error) && error.code).toBe('index_unavailable');
      message = `${(error as Error).message} ${JSON.stringify(error)}`;
    }
    expect(message).toContain('127.0.0.1:9');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('hunter2');
  });

  it('says writable without writing: the data version caches are keyed by stays put', () => {
    const store = openIndex(url);
    try {
      const version = dataVersionOf(store.db);
      const before = version();
      expect(store.writable()).toBe(true);
      expect(store.writable()).toBe(true);
      expect(version()).toBe(before);
      store.setTrustPolicies('h', []);
      expect(version()).not.toBe(before);
    } finally {
      store.close();
    }
    const reader = openIndex(url, { readonly: true });
    try {
      expect(reader.writable()).toBe(false);
    } finally {
      reader.close();
    }
  });

  it('nests transactions as savepoints: an inner failure rolls back only the inner writes', () => {
    const db = new PgDatabase(url, { readonly: false });
    try {
      db.exec('CREATE TABLE IF NOT EXISTS nest (n integer)');
      const insert = db.prepare<[number]>('INSERT INTO nest (n) VALUES (?)');
      db.transaction(() => {
        insert.run(1);
        expect(() =>
          db.transaction(() => {
            insert.run(2);
            throw new Error('inner fails');
          })(),
        ).toThrow('inner fails');
        insert.run(3);
      })();
      expect(db.prepare<[], number>('SELECT n FROM nest ORDER BY n').pluck().all()).toEqual([1, 3]);
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it('refuses writes on a readonly connection and reads through a cursor in chunks', () => {
    const store = openIndex(url);
    store.close();
    const db = new PgDatabase(url, { readonly: true });
    try {
      expect(codeOf(() => db.exec('CREATE TABLE nope (n integer)'))).toBe('index_unavailable');
      const rows = [...db.prepare<[], number>('SELECT generate_series(1, 1234)').pluck().iterate()];
      expect(rows).toHaveLength(1234);
      expect(rows.at(-1)).toBe(1234);
    } finally {
      db.close();
    }
  });
});
