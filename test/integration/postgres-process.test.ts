/**
 * The throwaway PostgreSQL of tests and benchmarks (src/demo/postgres-process.ts), against the
 * real binaries: no mocks. A missing binary fails these tests (.ci/run installs `postgresql`);
 * nothing is skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../src/domain/errors.js';
import { findPostgresBinDirectory, versionedBinDirectories } from '../../src/demo/postgres-binaries.js';
import { startPostgres, type RunningPostgres } from '../support/postgres-process.js';

/** Resolves true when a TCP connection to the loopback port is accepted. */
function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startPostgres', () => {
  let postgres: RunningPostgres;

  beforeAll(async () => {
    postgres = await startPostgres({ settings: { application_name: 'ocidex-harness-test' } });
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  it('serves database ocidex as user ocidex on a loopback port, with the settings asked for', async () => {
    expect(postgres.url).toBe(`postgres://ocidex@127.0.0.1:${postgres.port}/ocidex`);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ database: string; user: string; fsync: string; sum: number }>(
        "SELECT current_database() AS database, current_user AS user, current_setting('fsync') AS fsync, $1::int + 1 AS sum",
        [41],
      );
      expect(rows).toEqual([{ database: 'ocidex', user: 'ocidex', fsync: 'off', sum: 42 }]);
      const encoding = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      expect(encoding.rows[0]?.server_encoding).toBe('UTF8');
      const name = await client.query<{ setting: string }>("SELECT current_setting('application_name') AS setting");
      expect(name.rows[0]?.setting).toBe('ocidex-harness-test');
      await client.query('CREATE TABLE documents (reference text PRIMARY KEY, body jsonb NOT NULL)');
      await client.query('INSERT INTO documents VALUES ($1, $2)', ['r/a:v1', { license: 'MIT' }]);
      const stored = await client.query("SELECT body->>'license' AS license FROM documents");
      expect(stored.rows).toEqual([{ license: 'MIT' }]);
    } finally {
      await client.end();
    }
  });

  it('creates further empty databases on the same server, and refuses names that would need quoting', async () => {
    const url = await postgres.createDatabase('ocidex_second');
    expect(url).toBe(`postgres://ocidex@127.0.0.1:${postgres.port}/ocidex_second`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'");
      expect(rows).toEqual([{ tables: 0 }]);
    } finally {
      await client.end();
    }
    const refused = await postgres.createDatabase('x; DROP DATABASE ocidex').catch((error: unknown) => error);
    expect(isOcidexError(refused, 'invalid_argument')).toBe(true);
  });

  it('keeps the cluster in its temp dir, owned by a user the server accepts (never root)', () => {
    expect(postgres.dataDir.startsWith(postgres.dir)).toBe(true);
    expect(existsSync(join(postgres.dataDir, 'PG_VERSION'))).toBe(true);
    const owner = statSync(postgres.dataDir).uid;
    expect(owner).toBe(process.getuid?.() === 0 ? statSync(postgres.dir).uid : process.getuid?.());
    expect(owner).not.toBe(0);
  });

  it('stop() shuts the server down, closes its port and removes the directory', async () => {
    const second = await startPostgres();
    expect(second.port).not.toBe(postgres.port);
    expect(await portAcceptsConnections(second.port)).toBe(true);
    await second.stop();
    expect(await portAcceptsConnections(second.port)).toBe(false);
    expect(existsSync(second.dir)).toBe(false);
    expect(existsSync(second.dataDir)).toBe(false);
  });
});

describe('the PostgreSQL binaries', () => {
  it('are found on PATH or in a versioned Debian directory', () => {
    expect(findPostgresBinDirectory()).not.toBeNull();
  });

  it('take the newest major version of a Debian-style root', () => {
    const root = mkdtempSync(join(tmpdir(), 'ocidex-pg-root-'));
    try {
      expect(versionedBinDirectories(root)).toEqual([]);
      for (const version of ['9.6', '16', '15', 'common']) mkdirSync(join(root, version));
      expect(versionedBinDirectories(root)).toEqual(['16', '15', '9.6'].map((version) => join(root, version, 'bin')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fail with an error naming the package to install when a directory lacks them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ocidex-pg-empty-'));
    try {
      const failure = await startPostgres({ binDir: empty }).catch((error: unknown) => error);
      expect(isOcidexError(failure, 'unsupported')).toBe(true);
      expect((failure as Error).message).toMatch(/apt-get install postgresql/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
