import { nativeSqlite } from '../../support/sqlite-native.js';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { countFacetPaths } from '../../../src/store/facet-counts.js';
import { openIndex, SCHEMA_VERSION } from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { modelInfo } from '../../support/documents.js';
import { modelDocument, tempIndexes } from './fixtures.js';
import type { TempIndexes } from './fixtures.js';

describe('openIndex', () => {
  let temp: TempIndexes;
  beforeEach(() => {
    temp = tempIndexes();
  });
  afterEach(() => temp.cleanup());

  it('creates an empty file at the current schema version with every table', () => {
    const store = temp.open();
    expect(nativeSqlite(store.db).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual([
      'crawl_errors',
      'crawl_runs',
      'doc_text',
      'doc_text_config',
      'doc_text_data',
      'doc_text_docsize',
      'doc_text_idx',
      'doc_values',
      'documents',
      'facet_counts',
      'facet_paths',
      'paths',
      'referrer_records',
      'referrers',
      'registries',
      'registry_configs',
      'repositories',
      'tag_events',
      'tags',
      'trust_policies',
    ]);
  });

  it('sets WAL, busy_timeout, foreign_keys and synchronous=NORMAL', () => {
    const db = nativeSqlite(temp.open().db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('reopens a migrated file without migrating again and keeps its data', () => {
    const first = temp.open();
    const runId = first.startRun('registry.test', {});
    first.close();
    const second = temp.open();
    expect(second.getRun(runId)?.registry).toBe('registry.test');
    expect(nativeSqlite(second.db).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('v8 replaces the upsert trigger of v7 (it forced a statement journal) and the counts stay exact', () => {
    const raw = new Database(temp.path);
    for (const migration of MIGRATIONS.slice(0, 7)) raw.exec(migration);
    raw.pragma('user_version = 7');
    const triggerSql = (db: Database.Database) =>
      db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'doc_values_count_insert'`).pluck().get() as string;
    expect(triggerSql(raw)).toContain('DO UPDATE');
    raw.close();
    const store = temp.open();
    expect(triggerSql(nativeSqlite(store.db))).not.toContain('DO UPDATE');
    const license = (label: string, value: string) =>
      modelDocument(label, { model: modelInfo(label, { license: value }) });
    store.putDocuments([license('a', 'MIT'), license('b', 'MIT')]);
    const pathId = store.db.prepare(`SELECT id FROM paths WHERE path = ?`).pluck().get(`$['model']['license']`);
    expect(countFacetPaths(store.db, [pathId as number]).has(pathId as number)).toBe(true);
    store.putDocuments([license('c', 'MIT'), license('d', 'Apache-2.0'), license('a', 'Apache-2.0')]);
    const counts = store.db
      .prepare(`SELECT value, n FROM facet_counts WHERE path_id = ? AND n > 0 ORDER BY value`)
      .all(pathId);
    expect(counts).toEqual([
      { value: 'Apache-2.0', n: 2 },
      { value: 'MIT', n: 2 },
    ]);
  });

  it('refuses a database newer than the code, naming both versions', () => {
    const raw = new Database(temp.path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let thrown: unknown;
    try {
      openIndex(temp.path);
    } catch (error) {
      thrown = error;
    }
    expect(isOcidexError(thrown, 'unsupported')).toBe(true);
    expect((thrown as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    const raw2 = new Database(temp.path);
    expect(raw2.prepare(`SELECT count(*) FROM sqlite_schema`).pluck().get()).toBe(0);
    raw2.close();
  });

  it('rolls back a failing migration entirely', () => {
    const raw = new Database(temp.path);
    raw.exec('CREATE TABLE paths (id INTEGER PRIMARY KEY)'); // collides with the v1 schema
    raw.close();
    expect(() => openIndex(temp.path)).toThrow(
      expect.objectContaining({ code: 'internal', message: expect.stringMatching(/already exists/) }),
    );
    const check = new Database(temp.path);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['paths']);
    check.close();
  });

  it('opens readonly: reads work, writes fail with a typed error, a missing file is not created', () => {
    expect(() => openIndex(temp.path, { readonly: true })).toThrow(/cannot open index/);
    temp.open().startRun('registry.test', { repositories: ['a'] });
    const reader = temp.open({ readonly: true });
    expect(reader.listRuns()).toHaveLength(1);
    expect(() => reader.startRun('registry.test', {})).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('refuses readonly access to a database that still needs migrating', () => {
    new Database(temp.path).close();
    expect(() => openIndex(temp.path, { readonly: true })).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });
});
