/**
 * Fills an empty PostgreSQL benchmark index by copying the SQLite one row for row (ids kept,
 * each typed value split into `num`/`str` by the PostgreSQL dialect, the full-text rows made by
 * the schema's trigger), in batches of `unnest` arrays. It stands in for writing the documents
 * through the store, which costs several bridge round trips per document (`--pg-load store`
 * measures that path): a benchmark of queries needs the data, not the load.
 * doc_values' indexes are dropped for the load and made again from their own definitions.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { dialectOf } from '../src/store/index.js';

const ROWS_PER_BATCH = 20_000;
const POSTGRES = dialectOf('postgres');

/** The tables the benchmark documents fill, parents first; doc_values is mapped apart. */
const TABLES = ['registries', 'repositories', 'tags', 'documents', 'referrers', 'paths'] as const;

async function columnTypes(client: pg.Client, table: string): Promise<Array<{ name: string; type: string }>> {
  const result = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return result.rows;
}

/** Inserts `rows` (arrays in `columns` order) into `table` in batches. */
async function insertRows(
  client: pg.Client,
  table: string,
  columns: Array<{ name: string; type: string }>,
  rows: Iterable<unknown[]>,
): Promise<number> {
  const names = columns.map((column) => column.name).join(', ');
  const arrays = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
  let batch: unknown[][] = columns.map(() => []);
  let total = 0;
  const flush = async () => {
    if ((batch[0] as unknown[]).length === 0) return;
    await client.query(sql, batch);
    batch = columns.map(() => []);
  };
  for (const row of rows) {
    row.forEach((value, index) => {
      (batch[index] as unknown[]).push(value);
    });
    total += 1;
    if ((batch[0] as unknown[]).length >= ROWS_PER_BATCH) await flush();
  }
  await flush();
  return total;
}

async function copyTable(client: pg.Client, sqlite: Database.Database, table: string): Promise<number> {
  const columns = await columnTypes(client, table);
  const select = sqlite.prepare(`SELECT ${columns.map((column) => column.name).join(', ')} FROM ${table}`).raw();
  const count = await insertRows(client, table, columns, select.iterate() as Iterable<unknown[]>);
  if (columns.some((column) => column.name === 'id'))
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (SELECT max(id) FROM ${table})))`,
    );
  return count;
}

function* documentValues(sqlite: Database.Database): Generator<unknown[]> {
  const select = sqlite.prepare('SELECT doc_id, path_id, type, value FROM doc_values').raw();
  for (const [docId, pathId, type, value] of select.iterate() as Iterable<
    [number, number, number, number | string | null]
  >)
    yield [docId, pathId, type, ...POSTGRES.valueParams(value)];
}

async function copyValues(client: pg.Client, sqlite: Database.Database): Promise<number> {
  const indexes = await client.query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'doc_values'",
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
  const count = await insertRows(client, 'doc_values', await columnTypes(client, 'doc_values'), documentValues(sqlite));
  for (const index of indexes.rows) await client.query(index.definition);
  return count;
}

/** Copies the SQLite benchmark index at `sqlitePath` into the empty, migrated PostgreSQL index at `url`; says how many rows. */
export async function copyIndexToPostgres(sqlitePath: string, url: string): Promise<string> {
  const sqlite = new Database(sqlitePath, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: string[] = [];
    await client.query('BEGIN');
    for (const table of TABLES) counts.push(`${table} ${await copyTable(client, sqlite, table)}`);
    counts.push(`doc_values ${await copyValues(client, sqlite)}`);
    await client.query('COMMIT');
    return counts.join(', ');
  } finally {
    await client.end();
    sqlite.close();
  }
}
