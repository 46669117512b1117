/**
 * `ocidex migrate` (src/store/copy-index.ts) against a real PostgreSQL: a SQLite index copied to
 * PostgreSQL and back answers every query, count, facet, text search and cursor page the same,
 * keeps its invariants (verifyIndex), its ids (new writes continue past them) and every table's
 * rows; a non-empty target is refused; the built CLI reports in one line.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine } from '../../src/query/index.js';
import type { QueryOptions } from '../../src/query/types.js';
import { copyIndex, type IndexStore, openIndex, type SqlDatabase, verifyIndex } from '../../src/store/index.js';
import { startPostgres, type RunningPostgres } from '../support/postgres-process.js';
import { REGISTRY, REPOSITORY, digestOf, modelDocument } from '../unit/store/fixtures.js';
import { buildIndex } from './migrate-fixture.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const run = promisify(execFile);
const TABLES = ['registries', 'repositories', 'tags', 'tag_events', 'documents', 'paths', 'referrers'];
const SERVICE_TABLES = ['referrer_records', 'crawl_runs', 'crawl_errors', 'registry_configs', 'trust_policies'];

const QUERIES: Array<[string, QueryOptions]> = [
  ['$[*].reference', {}],
  ['$[?@.model.license == "Apache-2.0"].reference', {}],
  ['$[?@.model.metrics.accuracy > 0.85 && @.model.format == "gguf"]', {}],
  ['$[?@.model.metrics.accuracy].reference', { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 }],
  ['$[*].reference', { sort: '@.size', order: 'desc', limit: 5 }],
  ['$[?!@.model.metrics.f1 || @.model.license == null].reference', {}],
  ['$[?@.signed == true].referrers[*].kind', {}],
  ['$[?@.tags[?@ == "latest"]].reference', {}],
  ['$[?@.model.authors[0] == "lone \ud800 surrogate"].model.authors', {}],
  ['$[?@.annotations["note.2050"] == "v2050"].reference', {}],
  ['$[?@.kind == "index"].manifests[*].digest', {}],
  ['$[?search(@.model.description, "model-1[0-9]")].reference', { limit: 3 }],
  ['$[*].reference', { words: 'llama safetensors' }],
  ['$[*].model.name', { words: 'llama', limit: 4 }],
];
const FACETS = ['@.model.license', '@.model.family', '@.tags[*]', '@.model.paramSize', '@.kind'];

let postgres: RunningPostgres;
let directory: string;
let sourcePath: string;
let databases = 0;
const opened: IndexStore[] = [];

function open(location: string, options: { readonly?: boolean } = {}): IndexStore {
  const store = openIndex(location, options);
  opened.push(store);
  return store;
}

async function freshDatabase(): Promise<string> {
  databases += 1;
  return postgres.createDatabase(`migrate_${databases}`);
}

/**
 * Every page of every query, counts, facets (alone, under a query, under words) of one index.
 * Text searches rank by bm25 on SQLite and ts_rank on PostgreSQL: across backends their matches
 * are compared as a set (`rankFree`), between copies on one backend page by page.
 */
function answers(db: SqlDatabase, rankFree = false): unknown {
  const engine = new QueryEngine(db);
  const pages = QUERIES.map(([text, options]) => {
    let all: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = engine.query(text, { ...options, cursor });
      all.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    if (rankFree && options.words !== undefined)
      all = all
        .flat()
        .map((item) => JSON.stringify(item))
        .sort();
    return { text, all, count: engine.count(text, options) };
  });
  const facets = [
    engine.facets(FACETS),
    engine.facets(FACETS, '$[?@.model.metrics.accuracy > 0.85]'),
    engine.facets(FACETS, undefined, { words: 'safetensors' }),
  ];
  return { pages, facets };
}

/** What the store's own readers say: documents, history, runs, errors, configs, trust, referrers. */
function storeView(store: IndexStore): unknown {
  return {
    documents: [...store.iterateDocuments()],
    history: store.tagHistory(REGISTRY, REPOSITORY),
    state: [...store.getRepositoryState(REGISTRY, REPOSITORY).tags],
    runs: store.listRuns(),
    errors: store.listErrors(),
    configs: store.listRegistryConfigs(),
    trust: store.trustPolicies(),
    referrers: store.knownReferrersOf(REGISTRY, REPOSITORY),
    material: store.referrerMaterial(REGISTRY, REPOSITORY, digestOf('signature')),
  };
}

/** Rows of `tables`, each table's rows sorted (doc_values with each value's storage class and bytes on SQLite). */
function rows(db: SqlDatabase, tables: readonly string[]): Record<string, string[]> {
  const select = (table: string) =>
    table === 'doc_values'
      ? 'SELECT doc_id, path_id, type, typeof(value) AS class, hex(CAST(value AS BLOB)) AS bytes FROM doc_values'
      : `SELECT * FROM ${table}`;
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(select(table))
        .all()
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );
}

beforeAll(async () => {
  postgres = await startPostgres();
  directory = mkdtempSync(join(tmpdir(), 'ocidex-migrate-'));
  sourcePath = join(directory, 'source.db');
  const source = openIndex(sourcePath);
  buildIndex(source);
  source.close();
}, 120_000);

afterAll(async () => {
  for (const store of opened) store.close();
  await postgres?.stop();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

describe('copyIndex', () => {
  it('SQLite -> PostgreSQL -> SQLite: the same rows, invariants and answers at each step', async () => {
    const source = open(sourcePath, { readonly: true });
    expect(verifyIndex(source.db)).toEqual([]);
    const target = open(await freshDatabase());
    const counts = copyIndex(source, target);
    expect(counts.map((count) => count.table)).toEqual([
      ...TABLES.slice(0, 5),
      'paths',
      'facet_paths',
      'doc_values',
      'referrers',
      ...SERVICE_TABLES,
    ]);
    const documents = counts.find((count) => count.table === 'documents')?.rows;
    expect(documents).toBe(source.countDocuments());
    expect(documents).toBeGreaterThan(25);
    expect(counts.every((count) => count.rows > 0)).toBe(true);
    expect(verifyIndex(target.db)).toEqual([]);
    expect(rows(target.db, [...TABLES, ...SERVICE_TABLES])).toEqual(rows(source.db, [...TABLES, ...SERVICE_TABLES]));
    expect(storeView(target)).toEqual(storeView(source));
    expect(answers(target.db, true)).toEqual(answers(source.db, true));

    const back = open(join(directory, 'back.db'));
    expect(copyIndex(target, back)).toEqual(counts);
    expect(verifyIndex(back.db)).toEqual([]);
    const everything = [...TABLES, 'doc_values', ...SERVICE_TABLES];
    expect(rows(back.db, everything)).toEqual(rows(source.db, everything));
    expect(answers(back.db)).toEqual(answers(source.db));
    expect(rows(back.db, ['facet_paths'])).toEqual(rows(source.db, ['facet_paths']));
  });

  it('SQLite -> SQLite keeps every row, value bytes included', () => {
    const source = open(sourcePath, { readonly: true });
    const copy = open(join(directory, 'copy.db'));
    copyIndex(source.db, copy.db);
    const everything = [...TABLES, 'doc_values', ...SERVICE_TABLES];
    expect(rows(copy.db, everything)).toEqual(rows(source.db, everything));
    expect(answers(copy.db)).toEqual(answers(source.db));
  });

  it('the PostgreSQL copy takes new writes: ids continue past the copied ones', async () => {
    const source = open(sourcePath, { readonly: true });
    const target = open(await freshDatabase());
    copyIndex(source, target);
    const maxId = (db: SqlDatabase, table: string) =>
      db.prepare<[], number>(`SELECT max(id) FROM ${table}`).pluck().get() as number;
    const before = { documents: maxId(target.db, 'documents'), runs: maxId(target.db, 'crawl_runs') };
    const newcomer = modelDocument('newcomer', { repository: 'models/new' });
    expect(target.putDocuments([newcomer])).toBe(1);
    const runId = target.startRun(REGISTRY, {});
    target.recordErrors(runId, [
      { registry: REGISTRY, repository: null, reference: null, code: 'denied', message: 'x', at: 'now' },
    ]);
    expect(maxId(target.db, 'documents')).toBe(before.documents + 1);
    expect(runId).toBe(before.runs + 1);
    expect(target.getDocument(newcomer.reference)?.digest).toBe(newcomer.digest);
    expect(new QueryEngine(target.db).query('$[*]', { words: 'newcomer' }).items).toHaveLength(1);
    expect(verifyIndex(target.db)).toEqual([]);
  });

  it('refuses a target that holds an index, unless replace; replacing leaves exactly the source', async () => {
    const source = open(sourcePath, { readonly: true });
    const target = open(await freshDatabase());
    copyIndex(source, target);
    target.putDocuments([modelDocument('extra')]);
    const refused = (() => {
      try {
        copyIndex(source, target);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/is not empty \(rows in registries, repositories, .*documents/),
    });
    expect(target.countDocuments()).toBe(source.countDocuments() + 1);
    copyIndex(source, target, { replace: true });
    expect(target.countDocuments()).toBe(source.countDocuments());
    expect(verifyIndex(target.db)).toEqual([]);
    expect(answers(target.db, true)).toEqual(answers(source.db, true));
  });

  it('refuses to copy an index onto itself', () => {
    const source = open(sourcePath, { readonly: true });
    const same = open(sourcePath);
    expect(() => copyIndex(source, same, { replace: true })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(same.countDocuments()).toBeGreaterThan(25);
  });
});

async function ocidex(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, OCIDEX_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ocidex migrate', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  });

  it('copies a SQLite index to PostgreSQL and back, prints the rows per table, and refuses to copy it twice', async () => {
    const url = await freshDatabase();
    const result = await ocidex('migrate', '--from', sourcePath, '--to', url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const source = open(sourcePath, { readonly: true });
    expect(result.stdout).toMatch(new RegExp(`^documents +${source.countDocuments()}$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^copied \\d+ rows from ${sourcePath} to ${url} in [0-9.]+ s\\n$`, 'm'));
    expect(answers(open(url, { readonly: true }).db, true)).toEqual(answers(source.db, true));

    const again = await ocidex('migrate', '--from', sourcePath, '--to', url);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^ocidex: the target index .* is not empty \(rows in .*\); replace it .*\(invalid_argument\)\n$/,
    );
    const replaced = await ocidex('migrate', '--from', sourcePath, '--to', url, '--replace');
    expect(replaced.code).toBe(0);
    const backPath = join(directory, 'cli-back.db');
    const back = await ocidex('migrate', '--from', url, '--to', backPath);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(
      new RegExp(`^doc_values +${source.db.prepare('SELECT count(*) FROM doc_values').pluck().get()}$`, 'm'),
    );
    expect(answers(open(backPath, { readonly: true }).db)).toEqual(answers(source.db));
  });

  it('fails in one line for an unreachable database (its password never shown) and a missing source', async () => {
    const bad = await ocidex('migrate', '--from', sourcePath, '--to', 'postgres://ocidex:s3cret@127.0.0.1:1/none');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^ocidex: the index database postgres:\/\/ocidex@127\.0\.0\.1:1\/none is unavailable: .*\(index_unavailable\)\n$/,
    );
    expect(bad.stderr).not.toContain('s3cret');
    const missing = await ocidex('migrate', '--from', join(directory, 'missing.db'), '--to', join(directory, 'to.db'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ocidex: cannot open index .*missing\.db: .*\(invalid_argument\)\n$/);
    expect(existsSync(join(directory, 'missing.db'))).toBe(false);
    const usage = await ocidex('migrate', '--from', sourcePath);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/required option '--to <path\|url>' not specified/);
  });
});
