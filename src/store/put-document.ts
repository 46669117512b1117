/** putDocuments: one crawled document into the index, with the attachments the index knows. */
import type { ArtifactDocument } from '../domain/document.js';
import { documentReference, withAttachments } from '../domain/document.js';
import { OcidexError } from '../domain/errors.js';
import type { IndexContext } from './context.js';
import { knownReferrers, knownTags, storeDocument } from './materialize.js';
import { replaceEdges } from './referrers.js';

/**
 * Upserts one document. Its `tags` are replaced by the tags table when that knows any for the
 * digest (until the repository is synced, a new document keeps the crawler's tags). Its
 * `referrers` are replaced by the edges when there are any; otherwise the document's own
 * referrers become the edges, so `referrers` always equals the edges.
 * Returns true when the stored row changed.
 */
export function putDocument(context: IndexContext, repositoryId: number, document: ArtifactDocument): boolean {
  checkDocument(document);
  const { digest } = document;
  const tags = knownTags(context, repositoryId, digest);
  let referrers = knownReferrers(context, repositoryId, digest);
  if (referrers.length === 0 && document.referrers.length > 0) {
    replaceEdges(context, repositoryId, digest, document.referrers);
    referrers = knownReferrers(context, repositoryId, digest);
  }
  const materialized = withAttachments(document, tags.length > 0 ? tags : document.tags, referrers);
  return storeDocument(context, repositoryId, materialized, document.crawledAt);
}

function checkDocument(document: ArtifactDocument): void {
  const { registry, repository, digest, reference } = document;
  if (!registry || !repository || !digest) {
    throw new OcidexError('invalid_argument', `document without registry, repository or digest: ${reference}`);
  }
  const expected = documentReference(registry, repository, digest);
  if (reference !== expected) {
    throw new OcidexError('invalid_argument', `document reference ${reference} is not ${expected}`, { reference });
  }
}
