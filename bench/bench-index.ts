/**
 * The benchmark index: `count` crawl-shaped documents (query-bench-documents.ts) in a real
 * index, shared by the query and API benchmarks. A SQLite file that already holds exactly
 * `count` documents is reused; any other file at that path is replaced. A PostgreSQL database
 * (`postgres://` URL, see bench-postgres.ts) is reused when it holds `count` documents, filled
 * when it holds none (a copy of the SQLite index by `copyIndex`, what `ocidex migrate` runs, or
 * written through the store), and refused otherwise: the benchmark never empties a database it
 * did not create.
 */
import { existsSync, rmSync } from 'node:fs';
import { copyIndex, type IndexStore, openIndex, SqliteDatabase } from '../src/store/index.js';
import { benchDocument, seeded } from './query-bench-documents.js';

const BATCH = 2_000;

/** How a PostgreSQL benchmark index is filled: copied from the SQLite one, or written through the store. */
export type PostgresLoad = 'copy' | 'store';

/** Removes an index file and its WAL and shared-memory files. */
export function removeIndexFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

/**
 * SQLite's value index in sort order of path and value, which every stored value inserts into at
 * a random place: dropped while an empty benchmark index is filled and built again from its own
 * definition, one sort (a 1M-document fill took 18 min with it in place). The same index and rows.
 */
const DEFERRED_SQLITE_INDEX = 'doc_values_lookup';

/** Drops the deferred index of an empty SQLite index and answers what builds it again (a no-op on PostgreSQL). */
function deferValueIndex(store: IndexStore): () => void {
  if (!(store.db instanceof SqliteDatabase)) return () => {};
  const { native } = store.db;
  const definition = native
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    .pluck()
    .get(DEFERRED_SQLITE_INDEX) as string;
  native.exec(`DROP INDEX ${DEFERRED_SQLITE_INDEX}`);
  return () => native.exec(definition);
}

/** Writes the `count` benchmark documents into an empty index through the store. */
function fill(store: IndexStore, count: number): IndexStore {
  const random = seeded(42);
  const started = performance.now();
  const buildIndex = deferValueIndex(store);
  for (let index = 0; index < count; index += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - index) }, (_, offset) =>
      benchDocument(random, index + offset, Math.ceil(count / 20)),
    );
    store.putDocuments(batch);
    if ((index + BATCH) % 100_000 === 0) console.log(`  ${index + BATCH} documents, ${seconds(started)} s`);
  }
  buildIndex();
  if (store.db instanceof SqliteDatabase) store.db.native.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`${store.db.name}: indexed ${count} documents through the store in ${seconds(started)} s`);
  return store;
}

/** The SQLite index file at `path` holding the `count` benchmark documents, built when it does not. */
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
  return fill(openIndex(path), count);
}

/**
 * The PostgreSQL index at `url` holding the `count` benchmark documents; an empty one is filled
 * (`load`: a copy of the SQLite index at `sqlitePath`, built first when needed, or the store).
 */
export async function openPostgresBenchIndex(
  url: string,
  count: number,
  options: { sqlitePath: string; load: PostgresLoad },
): Promise<IndexStore> {
  const store = openIndex(url);
  const held = store.countDocuments();
  if (held === count) {
    console.log(`reusing ${store.db.name} (${count} documents)`);
    return store;
  }
  if (held !== 0) {
    store.close();
    throw new Error(`${store.db.name} holds ${held} documents, not ${count}: give an empty database`);
  }
  const started = performance.now();
  if (options.load === 'store') fill(store, count);
  else {
    openBenchIndex(options.sqlitePath, count).close();
    const source = openIndex(options.sqlitePath, { readonly: true });
    try {
      const rows = copyIndex(source, store).filter((table) => table.rows > 0);
      const summary = rows.map((table) => `${table.table} ${table.rows}`).join(', ');
      console.log(`copied ${options.sqlitePath} into PostgreSQL in ${seconds(started)} s (${summary})`);
    } finally {
      source.close();
    }
  }
  const visible = vacuum(store);
  console.log(`PostgreSQL index ready in ${seconds(started)} s (VACUUM ANALYZE: ${visible} of doc_values all-visible)`);
  return store;
}

/**
 * What autovacuum does after a bulk load, at once: planner statistics and the visibility map
 * that lets index-only scans skip the heap. A VACUUM racing the end of the load's sessions may
 * leave pages not all-visible, so it runs again (a few times at most) until the map is complete.
 */
function vacuum(store: IndexStore): string {
  const fraction = store.db.prepare<[], unknown>(
    "SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE relname = 'doc_values'",
  );
  let visible = 0;
  for (let attempt = 0; attempt < 5 && visible < 0.99; attempt += 1) {
    store.db.exec('VACUUM ANALYZE');
    visible = fraction.pluck().get() as number;
  }
  return `${(visible * 100).toFixed(0)}%`;
}
