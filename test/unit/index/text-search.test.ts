import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex } from '../../../src/index/index.js';
import { applyCrawl, modelDocument, tempIndexes, type TempIndexes } from './fixtures.js';

let temp: TempIndexes;
beforeEach(() => {
  temp = tempIndexes();
});
afterEach(() => temp.cleanup());

const matching = (db: Database.Database, words: string) =>
  db.prepare('SELECT d.reference FROM doc_text t JOIN documents d ON d.id = t.rowid WHERE doc_text MATCH ? ORDER BY d.reference').pluck().all(words);

describe('the full-text index (schema v5)', () => {
  it('is filled from the documents of an index written at v4 when it migrates', () => {
    // An index as v4 left it: documents stored, no doc_text (dropped with its triggers, version set back).
    const store = openIndex(temp.path);
    const phi = modelDocument('phi', { model: { ...modelDocument('phi').model!, family: 'phi3', description: 'a small chat model' } });
    applyCrawl(store, { tags: { stable: phi } });
    store.db.pragma('user_version = 4');
    store.db.exec("DROP TRIGGER documents_text_insert; DROP TRIGGER documents_text_update; DROP TRIGGER documents_text_delete; DROP TABLE doc_text;");
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
