/**
 * Garbage collection of one repository's documents. A document is live when it is tagged, or is
 * kept by a live document: listed as its child (`parent`, or in its `manifests`) or named by one
 * of its referrer edges (nested referrers included). Everything else is removed; the tag history
 * in tag_events keeps the trail.
 */
import type { ReferrerSummary } from '../domain/document.js';
import type { IndexContext } from './context.js';
import { removeDocument } from './materialize.js';
import { summaryDigests } from './referrers.js';
import type { RepositoryDocumentRow } from './statements.js';

/** Removes the dead documents of a repository; returns the surviving rows. */
export function collectGarbage(
  context: IndexContext,
  repositoryId: number,
  tagged: Iterable<string>,
): { removed: number; survivors: RepositoryDocumentRow[] } {
  const documents = context.statements.selectRepositoryDocuments.all(repositoryId);
  const live = liveDigests(context, repositoryId, documents, tagged);
  const survivors: RepositoryDocumentRow[] = [];
  for (const document of documents) {
    if (live.has(document.digest)) survivors.push(document);
    else removeDocument(context, repositoryId, document.id, document.digest);
  }
  return { removed: documents.length - survivors.length, survivors };
}

/** Digests reachable from the tagged ones through child and referrer links. */
function liveDigests(
  context: IndexContext,
  repositoryId: number,
  documents: readonly RepositoryDocumentRow[],
  tagged: Iterable<string>,
): Set<string> {
  const keeps = keptDigests(context, repositoryId, documents);
  const live = new Set<string>();
  const pending = [...tagged];
  for (let digest = pending.pop(); digest !== undefined; digest = pending.pop()) {
    if (live.has(digest)) continue;
    live.add(digest);
    pending.push(...(keeps.get(digest) ?? []));
  }
  return live;
}

/** For each digest, the digests it keeps alive while it lives. */
function keptDigests(
  context: IndexContext,
  repositoryId: number,
  documents: readonly RepositoryDocumentRow[],
): Map<string, string[]> {
  const keeps = new Map<string, string[]>();
  const link = (from: string, to: string): void => {
    const list = keeps.get(from);
    if (list === undefined) keeps.set(from, [to]);
    else list.push(to);
  };
  for (const document of documents) {
    if (document.parent !== null) link(document.parent, document.digest);
    for (const child of JSON.parse(document.children) as unknown[]) {
      if (typeof child === 'string') link(document.digest, child);
    }
  }
  for (const edge of context.statements.selectEdgesOfRepository.all(repositoryId)) {
    for (const digest of summaryDigests(JSON.parse(edge.json) as ReferrerSummary)) link(edge.subject, digest);
  }
  return keeps;
}
