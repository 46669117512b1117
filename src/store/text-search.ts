/**
 * The full-text index of documents (schema v5): one FTS5 row per document, rowid = the
 * document's id, over the words a person searches by (name, description, family, format,
 * license, parameter size, quantization, repository, tags, annotation values). Triggers on
 * `documents` keep it equal to the stored JSON, so every write path (put, rematerialize,
 * delete, garbage collection, the queue's writer) maintains it without knowing of it.
 */

/** The text of the document row `row` (`new` or `old` in a trigger, a table alias in the backfill). */
function textOf(row: string): string {
  const field = (path: string) => `coalesce(json_extract(${row}.json, '${path}'), '')`;
  const members = (path: string) =>
    `coalesce((SELECT group_concat(value, ' ') FROM json_each(${row}.json, '${path}')), '')`;
  return [
    field('$.repository'),
    field('$.model.name'),
    field('$.model.description'),
    field('$.model.family'),
    field('$.model.format'),
    field('$.model.license'),
    field('$.model.paramSize'),
    field('$.model.quantization'),
    field('$.format'),
    members('$.tags'),
    members('$.annotations'),
  ].join(" || ' ' || ");
}

/** Migration v5: the FTS5 table, its triggers, and the text of the documents already indexed.
 * Contentless (the text is derived from `documents.json`), with deletes (SQLite 3.43+). */
export const TEXT_SEARCH_MIGRATION = `
CREATE VIRTUAL TABLE doc_text USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER documents_text_insert AFTER INSERT ON documents BEGIN
  INSERT INTO doc_text (rowid, body) VALUES (new.id, ${textOf('new')});
END;
CREATE TRIGGER documents_text_update AFTER UPDATE OF json ON documents BEGIN
  DELETE FROM doc_text WHERE rowid = old.id;
  INSERT INTO doc_text (rowid, body) VALUES (new.id, ${textOf('new')});
END;
CREATE TRIGGER documents_text_delete AFTER DELETE ON documents BEGIN
  DELETE FROM doc_text WHERE rowid = old.id;
END;
INSERT INTO doc_text (rowid, body) SELECT d.id, ${textOf('d')} FROM documents d;
`;
