/**
 * Rendering a DocumentSet as SQL over the index tables (src/store/schema.ts): as a boolean
 * condition on one document id (checked row by row while streaming documents in order), or as
 * a SELECT of document ids (a driving set). Path ids are resolved first; an unknown path has no
 * rows. Path ids are inlined (integers from the database), values are bound parameters.
 */
import type { DocumentSet } from './ir.js';

/** SQL text with its positional parameters. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** Ids of the documents whose full-text row matches the bound FTS5 expression. */
export const TEXT_MATCH = 'SELECT rowid AS id FROM doc_text WHERE doc_text MATCH ?';

/** Every path a set mentions. */
export function pathsOf(set: DocumentSet, into = new Set<string>()): Set<string> {
  if (set.kind === 'rows') into.add(set.path);
  else if (set.kind === 'and' || set.kind === 'or') for (const item of set.items) pathsOf(item, into);
  else if (set.kind === 'not') pathsOf(set.item, into);
  return into;
}

/** `set` as a condition on the document id column `documentId` (e.g. `d.id`). */
export function renderCondition(set: DocumentSet, ids: ReadonlyMap<string, number>, documentId: string): SqlFragment {
  switch (set.kind) {
    case 'all':
      return { sql: '1', params: [] };
    case 'none':
      return { sql: '0', params: [] };
    case 'text':
      return { sql: `${documentId} IN (${TEXT_MATCH})`, params: [set.match] };
    case 'rows': {
      const id = ids.get(set.path);
      if (id === undefined) return { sql: '0', params: [] };
      // An exact value is one seek in doc_values_lookup; anything else is looked up by document
      // (left to itself SQLite may pick doc_values_lookup and scan a whole value range per document).
      const index = set.predicate.seek === true ? 'doc_values_lookup' : 'doc_values_by_doc';
      const sql = `EXISTS (SELECT 1 FROM doc_values INDEXED BY ${index} WHERE doc_id = ${documentId} AND path_id = ${id} AND (${set.predicate.sql}))`;
      return { sql, params: set.predicate.params };
    }
    case 'not': {
      const inner = renderCondition(set.item, ids, documentId);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    default: {
      const parts = set.items.map((item) => renderCondition(item, ids, documentId));
      const joiner = set.kind === 'and' ? ' AND ' : ' OR ';
      return { sql: parts.map((part) => `(${part.sql})`).join(joiner), params: parts.flatMap((part) => part.params) };
    }
  }
}

/** `set` as `SELECT ... AS id` of document ids (distinct unless a single `rows` set). */
export function renderSelect(set: DocumentSet, ids: ReadonlyMap<string, number>): SqlFragment {
  switch (set.kind) {
    case 'all':
      return { sql: 'SELECT id FROM documents', params: [] };
    case 'none':
      return { sql: 'SELECT 0 AS id WHERE 0', params: [] };
    case 'text':
      return { sql: TEXT_MATCH, params: [set.match] };
    case 'rows': {
      const id = ids.get(set.path);
      if (id === undefined) return { sql: 'SELECT 0 AS id WHERE 0', params: [] };
      return {
        sql: `SELECT doc_id AS id FROM doc_values WHERE path_id = ${id} AND (${set.predicate.sql})`,
        params: set.predicate.params,
      };
    }
    case 'not': {
      const inner = renderSelect(set.item, ids);
      return { sql: `SELECT id FROM documents EXCEPT SELECT id FROM (${inner.sql})`, params: inner.params };
    }
    default: {
      const parts = set.items.map((item) => renderSelect(item, ids));
      const operator = set.kind === 'and' ? ' INTERSECT ' : ' UNION ';
      return {
        sql: parts.map((part) => `SELECT id FROM (${part.sql})`).join(operator),
        params: parts.flatMap((part) => part.params),
      };
    }
  }
}
