/**
 * Crawl exact references (`host/repo:tag`, `host/repo@sha256:..`): the `omlmd crawl` use case.
 * Each reference is resolved, fetched unless already indexed, decoded and stored with its
 * referrers; tags are not synced (a full crawl of the repository owns its tag list).
 */
import type { ArtifactDocument } from '../domain/document.js';
import { documentReference } from '../domain/document.js';
import { OcidexError, toOcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { DEFAULT_LIMITS, type CrawlContext, type RegistryReader } from './context.js';
import { ErrorCollector } from './error-collector.js';
import { fetchArtifact } from './manifest-unit.js';
import { storeReferrers } from './store-referrers.js';
import { resolveReferrers } from './referrers-unit.js';

export interface ParsedReference {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export interface ReferenceOutcome {
  /** The reference as given. */
  reference: string;
  document: ArtifactDocument | null;
  error: { code: string; message: string } | null;
}

/** Crawls each reference; one failing reference never stops the others. */
export async function crawlReferences(
  references: readonly string[],
  deps: { parse(reference: string): ParsedReference; clientFor(registry: string): RegistryReader; index: IndexStore },
): Promise<ReferenceOutcome[]> {
  const outcomes: ReferenceOutcome[] = [];
  for (const reference of references) {
    try {
      const parsed = deps.parse(reference);
      const document = await crawlOne(deps.clientFor(parsed.registry), deps.index, parsed);
      outcomes.push({ reference, document, error: null });
    } catch (error) {
      const failure = toOcidexError(error);
      outcomes.push({ reference, document: null, error: { code: failure.code, message: failure.message } });
    }
  }
  return outcomes;
}

async function crawlOne(client: RegistryReader, index: IndexStore, parsed: ParsedReference): Promise<ArtifactDocument> {
  const { registry, repository } = parsed;
  const digest = parsed.digest ?? (await client.resolveManifest(repository, parsed.tag ?? 'latest'))?.digest;
  if (digest === undefined) {
    throw new OcidexError('manifest_unknown', `${registry}/${repository}:${parsed.tag ?? 'latest'} not found`);
  }
  const reference = documentReference(registry, repository, digest);
  const known = index.getDocument(reference);
  if (known !== null) return known;
  const errors = new ErrorCollector(registry);
  const context: CrawlContext = { client, index, errors, limits: DEFAULT_LIMITS, now: () => new Date().toISOString() };
  index.putDocuments(await fetchArtifact(context, { registry, repository, digest, tags: [] }));
  storeReferrers(
    index,
    registry,
    repository,
    digest,
    await resolveReferrers(context, { registry, repository, subject: digest, tags: null }),
  );
  index.recordErrors(null, errors.drain());
  const stored = index.getDocument(reference);
  if (stored === null) throw new OcidexError('internal', `${reference} was not stored`);
  return stored;
}
