/**
 * Applying one push event to the index without crawling the registry: the pushed manifest is
 * fetched by digest unless indexed (with its config blob and index children, decoded by the
 * crawl's manifest unit), its tag set, the referrers of its subject and its own refreshed.
 * Every step is idempotent, so duplicated and reordered deliveries are harmless: a manifest the
 * registry no longer has (deleted after the push) is skipped, a delete of an unknown digest is
 * a no-op. Tags come from the event, never from resolving them in the registry (distribution
 * notifies before it links the tag); see event-referrers.ts for the referrers fallback index.
 */
import type { PushEvent } from '../domain/registry.js';
import { fetchArtifact } from './manifest-unit.js';
import { classifyTag } from '../decode/index.js';
import { documentReference, type ArtifactDocument } from '../domain/document.js';
import { isOcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { refreshFromPushedIndex, refreshReferrers, type EventContext } from './event-referrers.js';

/** What a push did: indexed the manifest, found it indexed, found it gone, or moved an attachment tag. */
export type PushOutcome = 'indexed' | 'known' | 'gone' | 'attachment';

/** Applies a push (see the module comment). */
export async function applyPush(context: EventContext, event: PushEvent): Promise<PushOutcome> {
  const { index, client } = context;
  const { repository, digest, tag } = event;
  const registry = client.registry;
  const attachment = tag === null ? null : classifyTag(tag);
  if (tag !== null && attachment?.kind === 'attachment') {
    // A referrers fallback index or a cosign attachment: not a version, it changes its subject.
    index.setTag(registry, repository, tag, digest);
    if (attachment.attachment === 'referrers-index')
      await refreshFromPushedIndex(context, repository, attachment.subject, digest);
    else await refreshReferrers(context, repository, attachment.subject);
    return 'attachment';
  }
  let documents: ArtifactDocument[] = [];
  if (!index.hasDocument(registry, repository, digest)) {
    try {
      documents = await fetchArtifact(context, { registry, repository, digest, tags: tag === null ? [] : [tag] });
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
    const [pushed] = documents;
    if (tag === null && pushed?.subject) {
      // A referrer pushed by digest lives in its subject's document, never as a document itself.
      await refreshReferrers(context, repository, pushed.subject);
      return 'attachment';
    }
    index.putDocuments(documents);
    adoptChildren(index, pushed);
  }
  if (tag !== null) index.setTag(registry, repository, tag, digest);
  const subject = index.getDocument(documentReference(registry, repository, digest))?.subject ?? null;
  if (subject !== null) await refreshReferrers(context, repository, subject);
  await refreshReferrers(context, repository, digest);
  return documents.length > 0 ? 'indexed' : 'known';
}

/**
 * What a delete did: removed the document (or referrer edge), found nothing indexed, or kept it
 * (the registry still has it).
 */
export type DeleteOutcome = 'removed' | 'unknown' | 'kept';

/**
 * Applies a delete: removes the document (its tags, its edges) only once a `HEAD` of the manifest
 * answers 404 (MANIFEST_UNKNOWN, NAME_UNKNOWN). An event secret is no proof: the holder of one
 * could otherwise delete any document, and it would come back only with the next crawl. A HEAD
 * that fails otherwise (unreachable, 5xx) throws, and nothing is removed.
 */
export async function applyDelete(
  context: Pick<EventContext, 'index' | 'client' | 'signal'>,
  event: PushEvent,
): Promise<DeleteOutcome> {
  const { index, client, signal } = context;
  const { repository, digest } = event;
  if ((await client.resolveManifest(repository, digest, signal)) !== null) return 'kept';
  return index.deleteDocument(client.registry, repository, digest) ? 'removed' : 'unknown';
}

/** The registry answered 404: the manifest (or its repository) is gone. */
function isGone(error: unknown): boolean {
  return (
    isOcidexError(error, 'not_found') ||
    isOcidexError(error, 'manifest_unknown') ||
    isOcidexError(error, 'name_unknown')
  );
}

/**
 * Children of a pushed index that were pushed (and indexed) before it, by digest, get the
 * parent and platform a crawl would have given them.
 */
function adoptChildren(index: IndexStore, pushed: ArtifactDocument | undefined): void {
  if (pushed === undefined || pushed.kind !== 'index') return;
  const adopted: ArtifactDocument[] = [];
  for (const child of pushed.manifests) {
    const stored = index.getDocument(documentReference(pushed.registry, pushed.repository, child.digest));
    if (stored !== null && stored.parent === null)
      adopted.push({ ...stored, parent: pushed.digest, platform: child.platform });
  }
  if (adopted.length > 0) index.putDocuments(adopted);
}
