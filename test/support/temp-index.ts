/**
 * A fresh index, removed by `cleanup()`: a file in a temp directory, or under the `postgres`
 * project a fresh database (backend.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex, type IndexStore } from '../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase, testBackend } from './backend.js';

export interface TempIndex {
  /** The index's location: a file path, or a PostgreSQL URL. */
  path: string;
  index: IndexStore;
  cleanup(): void;
}

export function tempIndex(name = 'ocidex.db'): TempIndex {
  const location = tempLocation(name);
  const index = openIndex(location.path);
  return {
    path: location.path,
    index,
    cleanup() {
      index.close();
      location.remove();
    },
  };
}

/** Where a fresh index goes in the backend under test, and how to remove it. */
export function tempLocation(name = 'ocidex.db'): { path: string; remove(): void } {
  if (testBackend() === 'postgres') {
    const url = freshPostgresDatabase();
    return { path: url, remove: () => dropPostgresDatabase(url) };
  }
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-test-'));
  return { path: join(directory, name), remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * Rows of the tables a recrawl must leave untouched (documents, values, tags, edges, history,
 * paths), each table's rows sorted, for before/after comparisons.
 */
export function snapshot(db: IndexStore['db']): Record<string, string[]> {
  const tables = ['documents', 'doc_values', 'tags', 'tag_events', 'referrers', 'paths'];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(`SELECT * FROM ${table}`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );
}
