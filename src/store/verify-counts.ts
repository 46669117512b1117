/**
 * The facet counts' invariant (facet-counts-schema.ts), for verifyIndex: for every counted path,
 * the counts (summed over PostgreSQL's slots) equal the grouped regular `doc_values` rows, and
 * no other path has counts.
 */
import { dialectOf } from './dialect.js';
import type { SqlDatabase } from './sql-port.js';
import { ValueType } from './values.js';
import { decodeStoredText } from './wtf8.js';

type CountRow = { path: number; type: number; value: unknown; raw: unknown; n: number };

/** One message per value whose count is wrong; empty when the counts are right. */
export function checkFacetCounts(db: SqlDatabase): string[] {
  const dialect = dialectOf(db.dialect);
  const regular = `(v.type < ${ValueType.string} OR (v.type = ${ValueType.string} AND v.${dialect.stringColumn} IS NOT NULL))`;
  const expected = db.prepare<[], CountRow>(
    `SELECT v.path_id AS path, v.type AS type, ${dialect.valueColumns('v')}, count(*) AS n FROM doc_values v
    WHERE v.path_id IN (SELECT path_id FROM facet_paths) AND ${regular}
    GROUP BY v.path_id, v.type, ${dialect.valueOrder('v').join(', ')}`,
  );
  const stored = db.prepare<[], CountRow>(
    `SELECT c.path_id AS path, c.type AS type, ${dialect.countedValueColumns('c')}, sum(c.n) AS n FROM facet_counts c
    GROUP BY c.path_id, c.type, ${dialect.valueOrder('c').join(', ')} HAVING sum(c.n) <> 0`,
  );
  const keys = (rows: CountRow[]) => new Set(rows.map(keyOf));
  const [want, have] = [keys(expected.all()), keys(stored.all())];
  return [
    ...[...want].filter((key) => !have.has(key)).map((key) => `facet count missing or wrong: ${key}`),
    ...[...have].filter((key) => !want.has(key)).map((key) => `facet count not in doc_values: ${key}`),
  ];
}

function keyOf(row: CountRow): string {
  const scalar = row.type === ValueType.number || row.type === ValueType.string;
  const value = row.raw instanceof Uint8Array ? decodeStoredText(row.raw) : row.value;
  return JSON.stringify([row.path, row.type, scalar ? value : null, Number(row.n)]);
}
