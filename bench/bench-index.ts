/**
 * The benchmark index: `count` crawl-shaped documents (query-bench-documents.ts) in a real
 * index file, shared by the query and API benchmarks. A file that already holds exactly `count`
 * documents is reused; any other file at that path is replaced.
 */
import { existsSync, rmSync } from 'node:fs';
import { type IndexStore, openIndex, SqliteDatabase } from '../src/store/index.js';
import { benchDocument, seeded } from './query-bench-documents.js';

const BATCH = 2_000;

/** Removes an index file and its WAL and shared-memory files. */
export function removeIndexFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** The index at `path` holding the `count` benchmark documents, built when it does not. */
export function openBenchIndex(path: string, count: number): IndexStore {
  if (existsSync(path)) {
    const existing = openIndex(path);
    if (existing.countDocuments() === count) {
      console.log(`reusing ${path} (${count} documents)`);
      return existing;
    }
    existing.close();
    removeIndexFiles(path);
  }
  const store = openIndex(path);
  const random = seeded(42);
  const started = performance.now();
  for (let index = 0; index < count; index += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - index) }, (_, offset) =>
      benchDocument(random, index + offset, Math.ceil(count / 20)),
    );
    store.putDocuments(batch);
    if ((index + BATCH) % 100_000 === 0)
      console.log(`  ${index + BATCH} documents, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  if (store.db instanceof SqliteDatabase) store.db.native.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`indexed ${count} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return store;
}
