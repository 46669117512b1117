/**
 * The referrer listings a push event refreshes, read without writing anything: the index writer
 * stores them afterwards (push-events.ts), so in queue mode the reads run in a fetch job and the
 * writer makes no registry request. distribution notifies a push before it links the pushed
 * tag, so a referrers fallback index pushed under `sha256-<hex>` may not resolve yet when its
 * event arrives: its referrers are read from the index itself, fetched by the pushed digest.
 */
import type { ReferrerSummary } from '../domain/document.js';
import type { FetchContext, RegistryReader } from './context.js';
import { overrideReader } from './reader-override.js';
import { resolveReferrers } from './referrers-unit.js';
import { parseManifest } from '../decode/index.js';
import { isOcidexError } from '../domain/errors.js';
import { isIndex, type Descriptor } from '../domain/oci.js';
import { referrersTag } from '../registry/index.js';

/**
 * What an event's reads need besides the registry: embedded mode answers from the index
 * (event-reads.ts `indexEventReads`), a queue fetch worker, which has no index, from the
 * registry (`registryEventReads`).
 */
export interface EventReads {
  /** tag -> digest of the tags that may attach to `subject` (cosign `.sig`, `.att`, `.sbom`). */
  attachmentTags(repository: string, subject: string): Promise<Map<string, string>>;
  /** The subjects `digest` hangs under as a referrer; [] when it is a document (or unknown). */
  parentsOf(repository: string, digest: string): Promise<string[]>;
  /** The subject of the stored document `digest` (null: none); undefined when it is not indexed. */
  storedSubject(repository: string, digest: string): string | null | undefined;
}

/** A fetch context that can also answer an event's reads. */
export type EventContext = FetchContext & { reads: EventReads };

/** Subjects with their referrers as listed, in the order they are to be stored. */
export type Listings = Array<[string, ReferrerSummary[]]>;

/**
 * Lists the referrers of `subject` again (`pinned`: a tag the event just pushed, which the
 * registry may not list yet and the index has not taken yet; the parents' listings need it too). A subject that is itself a referrer (a signature pushed on an
 * SBOM) lives nested in the documents that list it, so those are listed again too, up to the
 * referrer depth, after it.
 */
export async function listRefreshed(
  context: EventContext,
  repository: string,
  subject: string,
  pinned: [string, string] | null = null,
  depth = context.limits.referrerDepth,
): Promise<Listings> {
  const registry = context.client.registry;
  const tags = await context.reads.attachmentTags(repository, subject);
  if (pinned !== null) tags.set(...pinned);
  // The known tags may lag the registry, so the fallback tag is assumed present: the registry
  // is always asked for the listed referrers.
  const fallback = referrersTag(subject);
  if (!tags.has(fallback)) tags.set(fallback, '');
  const listings: Listings = [[subject, await resolveReferrers(context, { registry, repository, subject, tags })]];
  if (depth <= 1) return listings;
  for (const parent of await context.reads.parentsOf(repository, subject))
    listings.push(...(await listRefreshed(context, repository, parent, pinned, depth - 1)));
  return listings;
}

/** Lists `subject` from the fallback index pushed as `indexDigest` (see the module comment). */
export async function listFromPushedIndex(
  context: EventContext,
  repository: string,
  subject: string,
  indexDigest: string,
  pinned: [string, string],
): Promise<Listings> {
  const listed = await pushedReferrers(context, repository, indexDigest);
  const client = listed === null ? context.client : readerListing(context.client, repository, subject, listed);
  return listRefreshed({ ...context, client }, repository, subject, pinned);
}

/** The descriptors of the pushed index; null when it is gone or is no index (ask the registry). */
async function pushedReferrers(
  context: EventContext,
  repository: string,
  digest: string,
): Promise<Descriptor[] | null> {
  try {
    const fetched = await context.client.fetchManifest(repository, digest, context.signal);
    const manifest = parseManifest(fetched.bytes, fetched.mediaType);
    return isIndex(manifest) ? manifest.manifests : null;
  } catch (error) {
    if (isOcidexError(error, 'not_found') || isOcidexError(error, 'manifest_unknown')) return null;
    throw error;
  }
}

/** `client`, except that the referrers of `subject` are `listed`. */
function readerListing(
  client: RegistryReader,
  repository: string,
  subject: string,
  listed: Descriptor[],
): RegistryReader {
  return overrideReader(client, {
    listReferrers: (name, digest, options) =>
      name === repository && digest === subject ? Promise.resolve(listed) : client.listReferrers(name, digest, options),
  });
}
