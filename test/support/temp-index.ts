/** A fresh index file in a temp directory, removed by `cleanup()`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex, type IndexStore } from '../../src/store/index.js';

export interface TempIndex {
  path: string;
  index: IndexStore;
  cleanup(): void;
}

export function tempIndex(name = 'ocidex.db'): TempIndex {
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-test-'));
  const path = join(directory, name);
  const index = openIndex(path);
  return {
    path,
    index,
    cleanup() {
      index.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
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
