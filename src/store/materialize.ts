/**
 * Storing documents: the `documents` row and its `doc_values` rows, always written together so
 * `doc_values` equals `flattenDocument(json)`. Attachments (tags, referrers, signed) come from
 * the tags table and the referrer edges: the index is their source of truth.
 */
import type { ArtifactDocument, JsonValue, ReferrerSummary } from '../domain/document.js';
import { withAttachments } from '../domain/document.js';
import type { IndexContext } from './context.js';
import { DOCUMENT_VALUES_CHUNK } from './sql.js';
import { flattenDocument, type TypedValue } from './values.js';

/** The tags the index records for `digest`, sorted. */
export function knownTags(context: IndexContext, repositoryId: number, digest: string): string[] {
  return context.statements.selectTagNamesOfDigest.all(repositoryId, digest);
}

/** The referrer edges of `subject`, ordered by referrer digest. */
export function knownReferrers(context: IndexContext, repositoryId: number, subject: string): ReferrerSummary[] {
  return context.statements.selectEdgesOfSubject
    .all(repositoryId, subject)
    .map((edge) => JSON.parse(edge.json) as ReferrerSummary);
}

/**
 * Writes `document` as given (attachments already set) unless the stored JSON is byte-identical.
 * Returns true when the row was written.
 */
export function storeDocument(
  context: IndexContext,
  repositoryId: number,
  document: ArtifactDocument,
  updatedAt: string,
): boolean {
  const { statements } = context;
  const json = JSON.stringify(document);
  const existing = statements.selectDocumentRow.get(repositoryId, document.digest);
  if (existing?.json === json) return false;
  const { values, truncated } = flattenDocument(document as unknown as JsonValue);
  const row = statements.upsertDocument.get({
    repositoryId,
    digest: document.digest,
    reference: document.reference,
    kind: document.kind,
    format: document.format,
    subject: document.subject,
    parent: document.parent,
    json,
    truncated: truncated ? 1 : 0,
    crawledAt: document.crawledAt,
    updatedAt,
  });
  if (row === undefined) throw new Error(`document row not written: ${document.reference}`);
  if (existing !== undefined) statements.deleteDocumentValues.run(row.id);
  insertValues(context, row.id, values);
  return true;
}

/**
 * The value rows of document `id`: in one statement where the backend binds arrays (PostgreSQL,
 * where a statement is a round trip), else DOCUMENT_VALUES_CHUNK rows per statement run, then the rest in one.
 */
function insertValues(context: IndexContext, id: number, values: readonly TypedValue[]): void {
  const { statements, paths, dialect } = context;
  if (statements.insertDocumentValuesArrays !== null) {
    if (values.length === 0) return;
    const columns = values.map((value) => [paths.intern(value.path), value.type, ...dialect.valueParams(value.value)]);
    const arrays = (columns[0] as unknown[]).map((_first, index) => columns.map((row) => row[index]));
    statements.insertDocumentValuesArrays.run(id, ...arrays);
    return;
  }
  const params: unknown[] = [];
  for (let start = 0; start < values.length; start += DOCUMENT_VALUES_CHUNK) {
    params.length = 0;
    const rows = values.slice(start, start + DOCUMENT_VALUES_CHUNK);
    for (const value of rows)
      params.push(id, paths.intern(value.path), value.type, ...dialect.valueParams(value.value));
    if (rows.length === DOCUMENT_VALUES_CHUNK) statements.insertDocumentValuesChunk.run(...params);
    else statements.insertDocumentValues(rows.length).run(...params);
  }
}

/**
 * Rewrites the stored document `digest` with the attachments the index knows now.
 * Returns true when it changed; false when it did not or is not indexed.
 */
export function rematerialize(context: IndexContext, repositoryId: number, digest: string, at: string): boolean {
  const row = context.statements.selectDocumentRow.get(repositoryId, digest);
  if (row === undefined) return false;
  const stored = JSON.parse(row.json) as ArtifactDocument;
  const document = withAttachments(
    stored,
    knownTags(context, repositoryId, digest),
    knownReferrers(context, repositoryId, digest),
  );
  return storeDocument(context, repositoryId, document, at);
}

/** Removes a document, its values and its referrer edges (as subject). */
export function removeDocument(context: IndexContext, repositoryId: number, id: number, digest: string): void {
  const { statements } = context;
  statements.deleteDocumentValues.run(id);
  statements.deleteDocument.run(id);
  statements.deleteEdgesOfSubject.run(repositoryId, digest);
}
