/**
 * One push event, in two halves: `fetchEvent` makes every registry read (the pushed manifest by
 * digest unless indexed, with its config blob and index children, decoded by the crawl's
 * manifest unit; the referrers of its subject and its own) and writes nothing; `applyChange`
 * writes what it read and makes no request. Embedded mode runs both in one process; queue mode
 * runs the first in a fetch job and hands the change to the index writer. Every step is
 * idempotent, so duplicated and reordered deliveries are harmless: a manifest the registry no
 * longer has (deleted after the push) is skipped, a delete of an unknown digest is a no-op. Tags
 * come from the event, never from resolving them in the registry (distribution notifies before
 * it links the tag); see event-referrers.ts for the referrers fallback index.
 */
import type { PushEvent } from '../domain/registry.js';
import { fetchArtifact } from './manifest-unit.js';
import { classifyTag } from '../decode/index.js';
import { documentReference, type ArtifactDocument } from '../domain/document.js';
import { isOcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { listFromPushedIndex, listRefreshed, type EventContext, type Listings } from './event-referrers.js';
import { storeReferrers } from './store-referrers.js';

/** What a push did: indexed the manifest, found it indexed, found it gone, or moved an attachment tag. */
export type PushOutcome = 'indexed' | 'known' | 'gone' | 'attachment';

/**
 * What a delete did: removed the document (or referrer edge), found nothing indexed, or kept it
 * (the registry still has it).
 */
export type DeleteOutcome = 'removed' | 'unknown' | 'kept';

interface Target {
  registry: string;
  repository: string;
  digest: string;
}

/** What an event read, for the index to take (plain JSON: it travels in a job). */
export type EventChange =
  | (Target & {
      action: 'push';
      /** manifest: a version (documents, when fetched); attachment: a referrer or attachment tag. */
      kind: 'manifest' | 'attachment' | 'gone';
      tag: string | null;
      documents: ArtifactDocument[];
      referrers: Listings;
    })
  | (Target & { action: 'remove'; present: boolean });

/** Reads what the event changes (see the module comment). */
export function fetchEvent(context: EventContext, action: 'push' | 'remove', event: PushEvent): Promise<EventChange> {
  return action === 'push' ? fetchPush(context, event) : fetchDelete(context, event);
}

async function fetchPush(context: EventContext, event: PushEvent): Promise<EventChange> {
  const { repository, digest, tag } = event;
  const base = { action: 'push' as const, registry: context.client.registry, repository, digest, tag };
  const attachment = tag === null ? null : classifyTag(tag);
  if (tag !== null && attachment?.kind === 'attachment') {
    // A referrers fallback index or a cosign attachment: not a version, it changes its subject.
    const pinned: [string, string] = [tag, digest];
    const referrers =
      attachment.attachment === 'referrers-index'
        ? await listFromPushedIndex(context, repository, attachment.subject, digest, pinned)
        : await listRefreshed(context, repository, attachment.subject, pinned);
    return { ...base, kind: 'attachment', documents: [], referrers };
  }
  let documents: ArtifactDocument[] = [];
  if (!context.index.hasDocument(base.registry, repository, digest)) {
    try {
      documents = await fetchArtifact(context, { ...base, tags: tag === null ? [] : [tag] });
    } catch (error) {
      if (isGone(error)) return { ...base, kind: 'gone', documents: [], referrers: [] };
      throw error;
    }
    const subject = documents[0]?.subject;
    // A referrer pushed by digest lives in its subject's document, never as a document itself.
    if (tag === null && subject)
      return {
        ...base,
        kind: 'attachment',
        documents: [],
        referrers: await listRefreshed(context, repository, subject),
      };
  }
  const subject = documents[0]?.subject ?? context.reads.storedSubject(repository, digest) ?? null;
  const referrers = subject === null ? [] : await listRefreshed(context, repository, subject);
  referrers.push(...(await listRefreshed(context, repository, digest)));
  return { ...base, kind: 'manifest', documents, referrers };
}

/**
 * A delete removes the document (its tags, its edges) only once a `HEAD` of the manifest answers
 * 404 (MANIFEST_UNKNOWN, NAME_UNKNOWN). An event secret is no proof: the holder of one could
 * otherwise delete any document, and it would come back only with the next crawl. A HEAD that
 * fails otherwise (unreachable, 5xx) throws, and nothing is removed.
 */
async function fetchDelete(context: EventContext, event: PushEvent): Promise<EventChange> {
  const { client, signal } = context;
  const present = (await client.resolveManifest(event.repository, event.digest, signal)) !== null;
  return { action: 'remove', registry: client.registry, repository: event.repository, digest: event.digest, present };
}

/** Writes what `fetchEvent` read; no registry request. Returns what the event did. */
export function applyChange(index: IndexStore, change: EventChange): PushOutcome | DeleteOutcome {
  const { registry, repository, digest } = change;
  if (change.action === 'remove') {
    if (change.present) return 'kept';
    return index.deleteDocument(registry, repository, digest) ? 'removed' : 'unknown';
  }
  if (change.kind === 'gone') return 'gone';
  return index.inBatch(() => {
    let indexed = false;
    if (change.documents.length > 0 && !index.hasDocument(registry, repository, digest)) {
      // A fetch worker sees no index: it fetched the children too, some of which may be indexed.
      index.putDocuments(
        change.documents.filter((document) => !index.hasDocument(registry, repository, document.digest)),
      );
      adoptChildren(index, change.documents[0]);
      indexed = true;
    }
    if (change.tag !== null) index.setTag(registry, repository, change.tag, digest);
    for (const [subject, referrers] of change.referrers)
      storeReferrers(index, registry, repository, subject, referrers);
    if (change.kind === 'attachment') return 'attachment';
    return indexed ? 'indexed' : 'known';
  });
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
