import { nativeSqlite } from '../../support/sqlite-native.js';
import type { SqlDatabase } from '../../../src/store/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex, SCHEMA_VERSION } from '../../../src/store/index.js';
import { applyCrawl, modelDocument, tempIndexes, type TempIndexes } from './fixtures.js';

let temp: TempIndexes;
beforeEach(() => {
  temp = tempIndexes();
});
afterEach(() => temp.cleanup());

const matching = (db: SqlDatabase, words: string) =>
  db
    .prepare(
      'SELECT d.reference FROM doc_text t JOIN documents d ON d.id = t.rowid WHERE doc_text MATCH ? ORDER BY d.reference',
    )
    .pluck()
    .all(words);

describe('the full-text index (schema v5)', () => {
  it('is filled from the documents of an index written at v4 when it migrates', () => {
    // An index as v4 left it: documents stored, no doc_text (dropped with its triggers, version set back).
    const store = openIndex(temp.path);
    const phi = modelDocument('phi', {
      model: { ...modelDocument('phi').model!, family: 'phi3', description: 'a small chat model' },
    });
    applyCrawl(store, { tags: { stable: phi } });
    nativeSqlite(store.db).pragma('user_version = 4');
    store.db.exec(
      'DROP TRIGGER documents_text_insert; DROP TRIGGER documents_text_update; DROP TRIGGER documents_text_delete; DROP TABLE doc_text;',
    );
    store.close();
    const migrated = openIndex(temp.path);
    expect(matching(migrated.db, 'phi3')).toEqual([phi.reference]);
    expect(matching(migrated.db, 'chat stable')).toEqual([phi.reference]);
    migrated.close();
  });

  it('follows tag moves and removals through the store', () => {
    const store = openIndex(temp.path);
    const a = modelDocument('alpha');
    const b = modelDocument('beta');
    applyCrawl(store, { tags: { release: a, nightly: b } });
    expect(matching(store.db, 'release')).toEqual([a.reference]);
    applyCrawl(store, { tags: { release: b } });
    expect(matching(store.db, 'release')).toEqual([b.reference]);
    expect(matching(store.db, 'alpha')).toEqual([]);
    store.close();
  });
});

describe('the truncated-documents index (schema v6)', () => {
  const indexNames = (db: SqlDatabase) =>
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'query_documents_truncated'")
      .pluck()
      .all();

  it('is part of the schema, so a readonly query connection has it without creating anything', () => {
    openIndex(temp.path).close();
    const reader = openIndex(temp.path, { readonly: true });
    expect(indexNames(reader.db)).toEqual(['query_documents_truncated']);
    reader.close();
  });

  it('migrates an index at v5 whether or not an older query engine created it at runtime', () => {
    for (const createdAtRuntime of [false, true]) {
      const store = openIndex(temp.path);
      store.db.exec('DROP INDEX query_documents_truncated');
      if (createdAtRuntime)
        store.db.exec('CREATE INDEX query_documents_truncated ON documents (id) WHERE values_truncated = 1');
      nativeSqlite(store.db).pragma('user_version = 5');
      store.close();
      const migrated = openIndex(temp.path);
      expect(indexNames(migrated.db)).toEqual(['query_documents_truncated']);
      expect(nativeSqlite(migrated.db).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      migrated.close();
    }
  });
});
