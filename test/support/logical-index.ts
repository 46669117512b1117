/**
 * What two indexes built by different runs must agree on, without the row ids and times that
 * differ between them: documents (minus `crawledAt`), tags, tag history, referrer edges,
 * fingerprints and the number of typed values per document. Sorted, for `toEqual`.
 */
import type { IndexStore } from '../../src/store/index.js';

export function logicalIndex(index: IndexStore): Record<string, string[]> {
  const rows = (sql: string): string[] =>
    index.db
      .prepare(sql)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  const documents = [...index.iterateDocuments()]
    .map(({ crawledAt: _crawledAt, ...document }) => JSON.stringify(document))
    .sort();
  return {
    documents,
    tags: rows(
      'SELECT r.name AS repository, t.name, t.digest FROM tags t JOIN repositories r ON r.id = t.repository_id',
    ),
    tagEvents: rows(
      'SELECT r.name AS repository, e.tag, e.old_digest, e.new_digest FROM tag_events e JOIN repositories r ON r.id = e.repository_id',
    ),
    referrers: rows(
      'SELECT r.name AS repository, f.subject, f.digest, f.kind, f.json FROM referrers f JOIN repositories r ON r.id = f.repository_id',
    ),
    fingerprints: rows('SELECT name, fingerprint FROM repositories'),
    values: rows(
      'SELECT d.reference, count(*) AS count FROM doc_values v JOIN documents d ON d.id = v.doc_id GROUP BY d.reference',
    ),
  };
}
