/**
 * How `copyIndex` loads PostgreSQL (src/store/pg/pg-copy.ts): secondary indexes dropped and
 * built again, the full-text trigger off while `doc_text` is filled in one statement. The copy
 * must leave exactly the schema a migrated database has (indexes, triggers enabled) and the
 * text the trigger would have written; a session that does not own the tables copies the same
 * rows with the indexes in place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyIndex, type IndexStore, openIndex, type SqlDatabase, verifyIndex } from '../../src/store/index.js';
import { type RunningPostgres, startPostgres } from '../support/postgres-process.js';
import { buildIndex } from './migrate-fixture.js';

let postgres: RunningPostgres;
let directory: string;
let source: IndexStore;
const opened: IndexStore[] = [];

function open(location: string): IndexStore {
  const store = openIndex(location);
  opened.push(store);
  return store;
}

/** The schema as the catalog says it: index definitions and user triggers with their enabled state. */
function schemaOf(db: SqlDatabase): unknown {
  return {
    indexes: db
      .prepare('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1')
      .all(),
    triggers: db.prepare('SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1').all(),
  };
}

/** doc_text as stored, and as the trigger writes it when every document's json is written again. */
function textAndTriggerText(db: SqlDatabase): { stored: unknown[]; rewritten: unknown[] } {
  const read = () => db.prepare('SELECT id, body::text AS body FROM doc_text ORDER BY id').all();
  const stored = read();
  db.exec('UPDATE documents SET json = json');
  return { stored, rewritten: read() };
}

/** Every table's rows, sorted, to compare two PostgreSQL copies. */
function tableRows(db: SqlDatabase): Record<string, string[]> {
  const tables = ['documents', 'doc_values', 'paths', 'facet_paths', 'tags', 'referrers', 'crawl_runs'];
  const sorted = (table: string) =>
    db
      .prepare(`SELECT * FROM ${table}`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  return Object.fromEntries(tables.map((table) => [table, sorted(table)]));
}

beforeAll(async () => {
  postgres = await startPostgres();
  directory = mkdtempSync(join(tmpdir(), 'ocidex-migrate-load-'));
  const path = join(directory, 'source.db');
  const built = openIndex(path);
  buildIndex(built);
  built.close();
  source = openIndex(path, { readonly: true });
}, 120_000);

afterAll(async () => {
  for (const store of opened) store.close();
  source?.close();
  await postgres?.stop();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

describe('copyIndex into PostgreSQL', () => {
  it('leaves the schema of a migrated database and the text its trigger writes', async () => {
    const fresh = open(await postgres.createDatabase('fresh'));
    const target = open(await postgres.createDatabase('owned'));
    copyIndex(source, target);
    expect(schemaOf(target.db)).toEqual(schemaOf(fresh.db));
    const text = textAndTriggerText(target.db);
    expect(text.stored).toHaveLength(source.countDocuments());
    expect(text.stored).toEqual(text.rewritten);
    expect(verifyIndex(target.db)).toEqual([]);
  });

  it('copies the same rows through a session that does not own the tables', async () => {
    const owned = open(await postgres.createDatabase('by_owner'));
    copyIndex(source, owned);
    const url = await postgres.createDatabase('by_guest');
    open(url).db.exec(`CREATE ROLE guest LOGIN; GRANT USAGE, CREATE ON SCHEMA public TO guest;
      GRANT ALL ON ALL TABLES IN SCHEMA public TO guest; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO guest`);
    const guestUrl = new URL(url);
    guestUrl.username = 'guest';
    const guest = open(guestUrl.toString());
    copyIndex(source, guest);
    expect(tableRows(guest.db)).toEqual(tableRows(owned.db));
    expect(schemaOf(guest.db)).toEqual(schemaOf(owned.db));
    const text = textAndTriggerText(guest.db);
    expect(text.stored).toEqual(text.rewritten);
    expect(verifyIndex(guest.db)).toEqual([]);
  });
});
