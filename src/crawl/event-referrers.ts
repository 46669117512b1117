/**
 * Referrers refreshed by push events. distribution notifies a push before it links the pushed
 * tag, so a referrers fallback index pushed under `sha256-<hex>` may not resolve yet when its
 * event arrives: its referrers are read from the index itself, fetched by the pushed digest.
 */
import type { CrawlContext, RegistryReader } from './context.js';
import { overrideReader } from './reader-override.js';
import { resolveReferrers } from './referrers-unit.js';
import { storeReferrers } from './store-referrers.js';
import { parseManifest } from '../decode/index.js';
import { isOcidexError } from '../domain/errors.js';
import { isIndex, type Descriptor } from '../domain/oci.js';
import { referrersTag } from '../registry/index.js';
import type { IndexStore } from '../store/index.js';

/** A crawl context whose index is the whole store (reads of documents and tags too). */
export type EventContext = CrawlContext & { index: IndexStore };

/**
 * Lists the referrers of `subject` again and stores them on it (indexed or not yet). A subject
 * that is itself a referrer (a signature pushed on an SBOM) lives nested in the documents that
 * list it, so those are refreshed too, up to the referrer depth.
 */
export async function refreshReferrers(
  context: EventContext,
  repository: string,
  subject: string,
  depth = context.limits.referrerDepth,
): Promise<void> {
  const { index, client } = context;
  // The tags the index knows give cosign's tag attachments. They may lag the registry, so the
  // fallback tag is assumed present: the registry is always asked for the listed referrers.
  const tags = new Map(index.getRepositoryState(client.registry, repository).tags);
  const fallback = referrersTag(subject);
  if (!tags.has(fallback)) tags.set(fallback, '');
  const referrers = await resolveReferrers(context, { registry: client.registry, repository, subject, tags });
  storeReferrers(index, client.registry, repository, subject, referrers);
  if (depth <= 1 || index.hasDocument(client.registry, repository, subject)) return;
  for (const parent of index.subjectsOf(client.registry, repository, subject))
    await refreshReferrers(context, repository, parent, depth - 1);
}

/** Refreshes `subject` from the fallback index pushed as `indexDigest` (see the module comment). */
export async function refreshFromPushedIndex(
  context: EventContext,
  repository: string,
  subject: string,
  indexDigest: string,
): Promise<void> {
  const listed = await pushedReferrers(context, repository, indexDigest);
  const client = listed === null ? context.client : readerListing(context.client, repository, subject, listed);
  await refreshReferrers({ ...context, client }, repository, subject);
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
