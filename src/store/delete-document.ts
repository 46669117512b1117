/** deleteDocument: a manifest deleted from the registry (a push 'delete' event). */
import type { IndexContext } from './context.js';
import { rematerialize, removeDocument } from './materialize.js';

/**
 * Removes the document `digest`, the tags pointing at it (recording tag_events), its values,
 * its edges as subject and as referrer (re-materializing those subjects). Children of a deleted
 * index are left to the next syncRepository's GC. The repository fingerprint is cleared so the
 * next crawl re-lists it. Returns true when a document was removed.
 */
export function deleteDocument(context: IndexContext, repositoryId: number, digest: string, at: string): boolean {
  const { statements } = context;
  const tags = statements.selectTagNamesOfDigest.all(repositoryId, digest);
  for (const name of tags) {
    statements.deleteTag.run(repositoryId, name);
    statements.insertTagEvent.run(repositoryId, name, digest, null, null, at);
  }
  const subjects = statements.selectSubjectsOfReferrer.all(repositoryId, digest);
  for (const subject of subjects) statements.deleteEdge.run(repositoryId, subject, digest);
  const edgesRemoved = statements.deleteEdgesOfSubject.run(repositoryId, digest).changes;
  const row = statements.selectDocumentRow.get(repositoryId, digest);
  if (row !== undefined) removeDocument(context, repositoryId, row.id, digest);
  for (const subject of subjects) rematerialize(context, repositoryId, subject, at);
  if (row !== undefined || tags.length + subjects.length + edgesRemoved > 0) {
    statements.clearFingerprint.run(repositoryId);
  }
  return row !== undefined;
}
