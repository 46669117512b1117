/**
 * The libpq session under PgDatabase (pg-session.ts, native/pq): values both ways, settings sent
 * in the statement's round trip and forgotten when the server undid them, cursors left early,
 * and sessions in worker threads (the query pool's).
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { PgDatabase } from '../../../src/store/index.js';
import { conninfo } from '../../../src/store/pg/pq-addon.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';

const url = freshPostgresDatabase();
afterAll(() => dropPostgresDatabase(url));

function withDb<T>(work: (db: PgDatabase) => T, readonly = false): T {
  const db = new PgDatabase(url, { readonly });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe('a libpq session', () => {
  it('sends and reads values as node-postgres did: bytea, numbers, booleans, arrays, JSON, NULL', () => {
    withDb((db) => {
      const bytes = Buffer.from([0, 1, 0x5c, 0x22, 0xff]);
      const row = db
        .prepare<unknown[], Record<string, unknown>>(
          `SELECT ?::bytea AS b, ?::bigint AS n, ?::double precision AS f, ?::boolean AS t,
            ?::text[] AS a, (?::json ->> 'k') AS j, ?::text AS nothing, 'x'::text AS s`,
        )
        .get(bytes, 2 ** 40, 0.25, true, ['a"b', 'c\\d', null], { k: 'v' }, undefined);
      expect(row).toEqual({
        b: bytes,
        n: 2 ** 40,
        f: 0.25,
        t: true,
        a: '{"a\\"b","c\\\\d",NULL}',
        j: 'v',
        nothing: null,
        s: 'x',
      });
      expect(Buffer.isBuffer(row?.['b'])).toBe(true);
      const unnested = db
        .prepare<[string[]], string>('SELECT unnest(?::text[]) AS v')
        .pluck()
        .all(['a"b', 'c\\d', '{x}']);
      expect(unnested).toEqual(['a"b', 'c\\d', '{x}']);
    });
  });

  it('refuses a text holding NUL as the server would, instead of cutting it short', () => {
    withDb((db) => {
      let failure: unknown;
      try {
        db.prepare('SELECT ?::text').get('before\0after');
      } catch (error) {
        failure = error;
      }
      expect(isOcidexError(failure) && failure.code).toBe('internal');
      expect((failure as Error).message).toContain('0x00');
      expect(db.prepare<[], number>('SELECT 41 + 1').pluck().get()).toBe(42);
    });
  });

  it('starts every session without JIT compilation and without parallel workers (a reconnected one too)', () => {
    withDb((admin) => {
      withDb((db) => {
        const settings = db.prepare<[], { jit: string; workers: string; pid: number }>(
          "SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers, pg_backend_pid() AS pid",
        );
        const first = settings.get();
        expect(first).toMatchObject({ jit: 'off', workers: '0' });
        admin.prepare('SELECT pg_terminate_backend(?, 10000)').get(first?.pid);
        const second = settings.get();
        expect(second?.pid).not.toBe(first?.pid);
        expect(second).toMatchObject({ jit: 'off', workers: '0' });
      });
    });
  });

  it('sets the statement timeout with the statement, and sets it again after a failure undid it', () => {
    withDb((db) => {
      const show = db.prepare<[], string>('SHOW statement_timeout').pluck();
      expect(show.get()).toBe('0');
      db.timeout = () => 1234;
      const trips = db.roundTrips;
      expect(show.get()).toBe('1234ms');
      expect(db.roundTrips - trips).toBe(1);
      // The failing statement's pipeline also set a new timeout; its implicit transaction undid it.
      db.timeout = () => 4321;
      expect(() => db.prepare('SELECT 1 / 0').get()).toThrow(/division by zero/);
      expect(show.get()).toBe('4321ms');
    });
  });

  it('ends a cursor left early: the session serves the next statement, in and out of a transaction', () => {
    withDb((db) => {
      const many = db.prepare<[number], { n: number }>('SELECT generate_series(1, ?) AS n');
      let seen = 0;
      for (const row of many.iterate(5_000)) {
        seen = row.n;
        if (seen === 700) break;
      }
      expect(seen).toBe(700);
      expect(many.all(3).map((row) => row.n)).toEqual([1, 2, 3]);
      expect([...many.iterate(1_001)].length).toBe(1_001);
      db.transaction(() => {
        for (const row of many.iterate(600)) if (row.n === 2) break;
        expect(db.inTransaction).toBe(true);
        expect(many.all(2).length).toBe(2);
      })();
      expect(db.prepare<[], string>('SELECT current_setting($$transaction_read_only$$)').pluck().get()).toBe('off');
    });
  });

  it('replaces a session the server ended under a pipeline, and runs the statement on the new one', () => {
    withDb((admin) => {
      withDb((db) => {
        const pid = db.prepare<[], number>('SELECT pg_backend_pid()').pluck();
        const before = pid.get() as number;
        expect(admin.prepare<[number], boolean>('SELECT pg_terminate_backend(?, 10000)').pluck().get(before)).toBe(
          true,
        );
        // A new timeout and a first preparation: three steps in one pipeline, on a dead session.
        db.timeout = () => 2500;
        const row = db
          .prepare<[], { t: string; p: number }>(
            "SELECT current_setting('statement_timeout') AS t, pg_backend_pid() AS p",
          )
          .get();
        expect(row?.t).toBe('2500ms');
        expect(row?.p).not.toBe(before);
        expect(pid.get()).toBe(row?.p);
      });
    });
  });

  it('works in worker threads, several at once (the query pool opens one per worker)', async () => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.module).then(({ PgDatabase }) => {
        const db = new PgDatabase(workerData.url, { readonly: true });
        const value = db.prepare('SELECT ?::int * 2 AS v').pluck().get(workerData.n);
        db.close();
        parentPort.postMessage(value);
      }, (error) => parentPort.postMessage(String(error)));`;
    const module = new URL('../../../dist/src/store/pg/pg-database.js', import.meta.url).href;
    const answers = await Promise.all(
      [1, 2, 3].map(
        (n) =>
          new Promise((resolve, reject) => {
            const worker = new Worker(source, { eval: true, workerData: { url, n, module } });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    expect(answers).toEqual([2, 4, 6]);
  });
});

describe('the connection string', () => {
  it('adds the session name, UTF-8, a connect timeout and keepalives, keeping what the URL gives', () => {
    const info = new URL(
      conninfo('postgres://u:p%40ss@db.example:5433/ocidex?connect_timeout=3&sslmode=require', 'ocidex-api'),
    );
    expect(info.password).toBe('p%40ss');
    expect(Object.fromEntries(info.searchParams)).toEqual({
      connect_timeout: '3',
      sslmode: 'require',
      application_name: 'ocidex-api',
      client_encoding: 'UTF8',
      keepalives_idle: '30',
      keepalives_interval: '10',
      keepalives_count: '3',
      tcp_user_timeout: '60000',
    });
  });
});
