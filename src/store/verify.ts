/**
 * verifyIndex: checks the invariants the index maintains, for tests and diagnostics:
 * `doc_values` equals `flattenDocument(json)`, `tags` equals the tags table, and
 * `referrers`/`signed` equal the referrer edges, the facet counts equal `doc_values`. Holds after every syncRepository (between a
 * put and its sync a new document may still show the crawler's tags).
 */
import { dialectOf } from './dialect.js';
import type { SqlDatabase } from './sql-port.js';
import { decodeStoredText } from './wtf8.js';
import type { ArtifactDocument, JsonValue, ReferrerSummary } from '../domain/document.js';
import { flattenDocument } from './values.js';
import { checkFacetCounts } from './verify-counts.js';

const SELECT_DOCUMENTS = `
SELECT id, repository_id AS "repositoryId", reference, json, values_truncated AS truncated FROM documents`;
/** A value as stored: a number, or a string's stored bytes (`raw`: lone surrogates survive, see wtf8.ts). */
const selectValues = (dialect: SqlDatabase['dialect']) => `
SELECT doc_values.doc_id AS "docId", paths.path, doc_values.type, ${dialectOf(dialect).valueColumns('doc_values')}
FROM doc_values LEFT JOIN paths ON paths.id = doc_values.path_id`;
const SELECT_TAGS = `SELECT repository_id AS "repositoryId", digest, name FROM tags ORDER BY name`;
const SELECT_EDGES = `SELECT repository_id AS "repositoryId", subject, json FROM referrers ORDER BY digest`;

interface DocumentRow {
  id: number;
  repositoryId: number;
  reference: string;
  json: string;
  truncated: number;
}

/** What the tables say a document should hold, keyed by `repositoryId@digest` (values by doc id). */
interface Expected {
  values: Map<number, string[]>;
  tags: Map<string, string[]>;
  edges: Map<string, string[]>;
}

/** Every broken invariant, one message each; empty when the index is consistent. */
export function verifyIndex(db: SqlDatabase): string[] {
  type KeyedRow = { repositoryId: number; digest?: string; subject?: string; name?: string; json?: string };
  const keyed = (sql: string, value: (row: KeyedRow) => string) =>
    group(db.prepare<[], KeyedRow>(sql).all(), (row) => [
      `${row.repositoryId}@${row.digest ?? row.subject}`,
      value(row),
    ]);
  type ValueRow = { docId: number; path: string | null; type: number; value: unknown; raw?: Uint8Array | null };
  const valueRows = db.prepare<[], ValueRow>(selectValues(db.dialect));
  const stored = (row: ValueRow) => (row.raw instanceof Uint8Array ? decodeStoredText(row.raw) : row.value);
  const expected: Expected = {
    values: group(valueRows.all(), (row) => [row.docId, valueKey(row.path, row.type, stored(row))]),
    tags: keyed(SELECT_TAGS, (row) => row.name ?? ''),
    edges: keyed(SELECT_EDGES, (row) => row.json ?? ''),
  };
  const problems: string[] = [];
  for (const row of db.prepare<[], DocumentRow>(SELECT_DOCUMENTS).all()) {
    problems.push(...checkDocument(row, expected).map((problem) => `${row.reference}: ${problem}`));
    expected.values.delete(row.id);
  }
  for (const docId of expected.values.keys()) problems.push(`doc_values rows of missing document ${docId}`);
  return [...problems, ...checkFacetCounts(db)];
}

function checkDocument(row: DocumentRow, expected: Expected): string[] {
  const document = JSON.parse(row.json) as ArtifactDocument;
  const key = `${row.repositoryId}@${document.digest}`;
  const flattened = flattenDocument(document as unknown as JsonValue);
  const wanted = flattened.values.map((value) => valueKey(value.path, value.type, value.value)).sort();
  const stored = [...(expected.values.get(row.id) ?? [])].sort();
  const referrers = (expected.edges.get(key) ?? []).map((json) => JSON.parse(json) as ReferrerSummary);
  const problems: string[] = [];
  if (JSON.stringify(stored) !== JSON.stringify(wanted)) problems.push('doc_values differ from json');
  if ((row.truncated === 1) !== flattened.truncated) problems.push('values_truncated is wrong');
  const tags = expected.tags.get(key) ?? [];
  if (JSON.stringify(document.tags) !== JSON.stringify(tags)) problems.push('tags differ from the tags table');
  if (JSON.stringify(document.referrers) !== JSON.stringify(referrers))
    problems.push('referrers differ from the edges');
  if (document.signed !== referrers.some((referrer) => referrer.kind === 'signature')) problems.push('signed is wrong');
  return problems;
}

function valueKey(path: string | null, type: number, value: unknown): string {
  return JSON.stringify([path, type, value]);
}

function group<Row, Key, Value>(rows: readonly Row[], entry: (row: Row) => [Key, Value]): Map<Key, Value[]> {
  const grouped = new Map<Key, Value[]>();
  for (const row of rows) {
    const [key, value] = entry(row);
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [value]);
    else list.push(value);
  }
  return grouped;
}
