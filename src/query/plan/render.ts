/**
 * Rendering a DocumentSet as SQL over the index tables (src/store/schema.ts), in the dialect of
 * the index (src/store/dialect.ts): as a boolean condition on one document id (checked row by
 * row while streaming documents in order), or as a SELECT of document ids (a driving set). Path
 * ids are resolved first; an unknown path has no rows. Path ids are inlined (integers from the
 * database), values are bound parameters.
 */
import type { Dialect } from '../../store/dialect.js';
import type { DocumentSet, RowPredicate } from './ir.js';
import { NUMBER, STRING } from './predicates.js';

/** SQL text with its positional parameters. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Every path a set mentions. */
export function pathsOf(set: DocumentSet, into = new Set<string>()): Set<string> {
  if (set.kind === 'rows') into.add(set.path);
  else if (set.kind === 'and' || set.kind === 'or') for (const item of set.items) pathsOf(item, into);
  else if (set.kind === 'not') pathsOf(set.item, into);
  return into;
}

/**
 * A row predicate in `dialect`: its value columns filled in (as a check of one document's rows
 * when `perDocument`), string literals bound as stored.
 */
export function renderPredicate(predicate: RowPredicate, dialect: Dialect, perDocument = false): SqlFragment {
  const number = perDocument ? dialect.numberPerDocument : dialect.numberColumn;
  const string = perDocument ? dialect.stringPerDocument : dialect.stringColumn;
  const sql = predicate.sql.replaceAll(NUMBER, number).replaceAll(STRING, string);
  const params = predicate.params.map((param) => (typeof param === 'string' ? dialect.bindString(param) : param));
  return { sql, params };
}

/**
 * `set` as a condition on the document id column `documentId` (e.g. `d.id`). `byDocument`: every
 * value is looked up by document, exact ones too (a plan that holds whatever the values: for a
 * few documents, planned once). `perDocument`: each value check runs once per document (the
 * documents of a driving set, fewer than any other counted set's: `Dialect.perDocument`).
 */
export function renderCondition(
  set: DocumentSet,
  ids: ReadonlyMap<string, number>,
  documentId: string,
  dialect: Dialect,
  byDocument = false,
  perDocument = false,
): SqlFragment {
  switch (set.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'none':
      return { sql: 'FALSE', params: [] };
    case 'text':
      return { sql: `${documentId} IN (${dialect.textMatch})`, params: [dialect.textParam(set.match)] };
    case 'rows': {
      const id = ids.get(set.path);
      if (id === undefined) return { sql: 'FALSE', params: [] };
      // An exact value is one seek in doc_values_lookup; anything else is looked up by document
      // (left to itself SQLite may pick doc_values_lookup and scan a whole value range per document).
      const seek = set.predicate.seek === true && !byDocument;
      const index = dialect.indexedBy(seek ? 'doc_values_lookup' : 'doc_values_by_doc');
      const predicate = renderPredicate(set.predicate, dialect, !seek);
      const fence = perDocument ? dialect.perDocument : '';
      const sql = `EXISTS (SELECT 1 FROM doc_values${index} WHERE doc_id = ${documentId} AND path_id = ${id} AND (${predicate.sql})${fence})`;
      return { sql, params: predicate.params };
    }
    case 'not': {
      const inner = renderCondition(set.item, ids, documentId, dialect, byDocument, perDocument);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    default: {
      const parts = set.items.map((item) => renderCondition(item, ids, documentId, dialect, byDocument, perDocument));
      const joiner = set.kind === 'and' ? ' AND ' : ' OR ';
      return { sql: parts.map((part) => `(${part.sql})`).join(joiner), params: parts.flatMap((part) => part.params) };
    }
  }
}

/** No document: a SELECT of ids both dialects take. */
const NO_IDS = 'SELECT 0 AS id WHERE FALSE';

/** `set` as `SELECT ... AS id` of document ids (distinct unless a single `rows` set). */
export function renderSelect(set: DocumentSet, ids: ReadonlyMap<string, number>, dialect: Dialect): SqlFragment {
  switch (set.kind) {
    case 'all':
      return { sql: 'SELECT id FROM documents', params: [] };
    case 'none':
      return { sql: NO_IDS, params: [] };
    case 'text':
      return { sql: dialect.textMatch, params: [dialect.textParam(set.match)] };
    case 'rows': {
      const id = ids.get(set.path);
      if (id === undefined) return { sql: NO_IDS, params: [] };
      const predicate = renderPredicate(set.predicate, dialect);
      return {
        sql: `SELECT doc_id AS id FROM doc_values WHERE path_id = ${id} AND (${predicate.sql})`,
        params: predicate.params,
      };
    }
    case 'not': {
      const inner = renderSelect(set.item, ids, dialect);
      return { sql: `SELECT id FROM documents EXCEPT SELECT id FROM (${inner.sql}) AS s`, params: inner.params };
    }
    default: {
      const parts = set.items.map((item) => renderSelect(item, ids, dialect));
      const operator = set.kind === 'and' ? ' INTERSECT ' : ' UNION ';
      return {
        sql: parts.map((part) => `SELECT id FROM (${part.sql}) AS s`).join(operator),
        params: parts.flatMap((part) => part.params),
      };
    }
  }
}
