/**
 * Unit of work: one repository. Two-level change detection (Artifact Hub tracker style):
 * level 1, the repository fingerprint over tag -> digest (from HEAD requests); level 2, per
 * digest: a digest already indexed is never fetched again (content-addressed = immutable).
 * One failing tag never fails the repository; the fingerprint is saved only after success.
 */
import { classifyTag } from '../decode/index.js';
import type { CrawlCounts } from '../domain/crawl.js';
import type { ArtifactDocument } from '../domain/document.js';
import { forEachConcurrent } from './concurrency.js';
import type { CrawlContext } from './context.js';
import { repositoryFingerprint } from './fingerprint.js';
import { fetchArtifact } from './manifest-unit.js';
import { countReferrers, resolveReferrers } from './referrers-unit.js';

/** Serializable input of the repository unit. */
export interface RepositoryJob {
  registry: string;
  repository: string;
}

/** What one repository's crawl counted (the registry crawl adds them up). */
export type RepositoryOutcome = Pick<
  CrawlCounts,
  'manifestsNew' | 'manifestsUnchanged' | 'manifestsRemoved' | 'referrers' | 'tagsAdded' | 'tagsMoved' | 'tagsRemoved'
> & { unchanged: boolean };

/** Crawls one repository into the index. Throws only when its tag list cannot be read. */
export async function crawlRepository(context: CrawlContext, job: RepositoryJob): Promise<RepositoryOutcome> {
  const previous = context.index.getRepositoryState(job.registry, job.repository);
  const resolved = await resolveTags(context, job, previous.tags);
  const fingerprint = repositoryFingerprint(resolved.tags);
  const versions = versionsByDigest(resolved.tags);
  // With the referrers API a new referrer changes no tag: list the referrers of every version.
  const referrersApi = context.client.referrersApi === true;
  if (!resolved.incomplete && fingerprint === previous.fingerprint) {
    const outcome = { ...emptyOutcome(), unchanged: true, manifestsUnchanged: versions.size };
    if (referrersApi) await refreshReferrers(context, job, new Set(versions.keys()), resolved.tags, outcome);
    return outcome;
  }
  const outcome = emptyOutcome();
  const fetched = await fetchNewArtifacts(context, job, versions, outcome);
  const subjects = referrersApi
    ? new Set([...versions.keys()].filter((digest) => context.index.hasDocument(job.registry, job.repository, digest)))
    : new Set([...fetched.subjects, ...changedAttachmentSubjects(previous.tags, resolved.tags)]);
  const referrersOk = await refreshReferrers(context, job, subjects, resolved.tags, outcome);
  const complete = !resolved.incomplete && fetched.complete && referrersOk;
  const sync = context.index.syncRepository({
    registry: job.registry,
    repository: job.repository,
    tags: resolved.tags,
    // An incomplete crawl must not match next time, so the failed items are tried again.
    fingerprint: complete ? fingerprint : `incomplete:${fingerprint}`,
    at: context.now(),
  });
  outcome.manifestsRemoved = sync.documentsRemoved;
  outcome.tagsAdded = sync.tagsAdded;
  outcome.tagsMoved = sync.tagsMoved;
  outcome.tagsRemoved = sync.tagsRemoved;
  return outcome;
}

function emptyOutcome(): RepositoryOutcome {
  return {
    unchanged: false, manifestsNew: 0, manifestsUnchanged: 0, manifestsRemoved: 0,
    referrers: 0, tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0,
  };
}

/** tag -> digest by HEAD; a tag whose HEAD fails keeps its last known digest. */
async function resolveTags(
  context: CrawlContext,
  job: RepositoryJob,
  known: ReadonlyMap<string, string>,
): Promise<{ tags: Map<string, string>; incomplete: boolean }> {
  const names: string[] = [];
  for await (const tag of context.client.listTags(job.repository, { signal: context.signal })) names.push(tag);
  const tags = new Map<string, string>();
  let incomplete = false;
  await forEachConcurrent(names, context.limits.manifestConcurrency, async (tag) => {
    try {
      const head = await context.client.resolveManifest(job.repository, tag, context.signal);
      if (head !== null) tags.set(tag, head.digest);
    } catch (error) {
      context.errors.add(job.repository, tag, error);
      incomplete = true;
      const last = known.get(tag);
      if (last !== undefined) tags.set(tag, last);
    }
  }, context.signal);
  return { tags, incomplete };
}

/** Version tags grouped by digest (attachment tags such as `sha256-<hex>.sig` are not versions). */
function versionsByDigest(tags: ReadonlyMap<string, string>): Map<string, string[]> {
  const versions = new Map<string, string[]>();
  for (const [tag, digest] of tags) {
    if (classifyTag(tag).kind !== 'version') continue;
    versions.set(digest, [...(versions.get(digest) ?? []), tag]);
  }
  return versions;
}

/** Subjects whose attachment tags (fallback index, cosign tags) appeared, moved or vanished. */
function changedAttachmentSubjects(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const subjects = new Set<string>();
  for (const tag of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(tag) === after.get(tag)) continue;
    const kind = classifyTag(tag);
    if (kind.kind === 'attachment') subjects.add(kind.subject);
  }
  return [...subjects];
}

/** Fetches digests not indexed yet, writing documents in batches to bound memory. */
async function fetchNewArtifacts(
  context: CrawlContext,
  job: RepositoryJob,
  versions: ReadonlyMap<string, string[]>,
  outcome: RepositoryOutcome,
): Promise<{ subjects: string[]; complete: boolean }> {
  const { index, limits } = context;
  const pending: ArtifactDocument[] = [];
  const subjects: string[] = [];
  let complete = true;
  const flush = (): void => {
    if (pending.length > 0) index.putDocuments(pending.splice(0, pending.length));
  };
  const fresh = [...versions].filter(([digest]) => !index.hasDocument(job.registry, job.repository, digest));
  outcome.manifestsUnchanged = versions.size - fresh.length;
  await forEachConcurrent(fresh, limits.manifestConcurrency, async ([digest, tags]) => {
    try {
      const documents = await fetchArtifact(context, { ...job, digest, tags });
      pending.push(...documents);
      subjects.push(digest);
      outcome.manifestsNew += documents.length;
      if (pending.length >= limits.writeBatch) flush();
    } catch (error) {
      context.errors.add(job.repository, `${tags[0] ?? digest}`, error);
      complete = false;
    }
  }, context.signal);
  flush();
  return { subjects, complete };
}

/** Re-lists the referrers of the given subjects and stores them on their documents. */
async function refreshReferrers(
  context: CrawlContext,
  job: RepositoryJob,
  subjects: ReadonlySet<string>,
  tags: ReadonlyMap<string, string>,
  outcome: RepositoryOutcome,
): Promise<boolean> {
  let complete = true;
  await forEachConcurrent(subjects, context.limits.manifestConcurrency, async (subject) => {
    try {
      const referrers = await resolveReferrers(context, { ...job, subject, tags });
      context.index.setReferrers(job.registry, job.repository, subject, referrers);
      outcome.referrers += countReferrers(referrers);
    } catch (error) {
      context.errors.add(job.repository, subject, error);
      complete = false;
    }
  }, context.signal);
  return complete;
}
