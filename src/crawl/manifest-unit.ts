/**
 * Unit of work: one manifest (by digest) -> its normalized documents (itself, and the children
 * of an image index with their platform). Fetches; never writes the index.
 */
import { configToFetch, decodeArtifact, indexMount, parseManifest } from '../decode/index.js';
import type { ArtifactDocument, IndexChild, MountInfo } from '../domain/document.js';
import { documentReference } from '../domain/document.js';
import { isIndex, type ImageIndex } from '../domain/oci.js';
import { forEachConcurrent } from './concurrency.js';
import type { FetchContext } from './context.js';

/** Serializable input of the manifest unit. */
export interface ManifestJob {
  registry: string;
  repository: string;
  digest: string;
  tags: string[];
  parent?: { digest: string; platform: IndexChild['platform'] } | null;
}

/**
 * Fetches and decodes one manifest. A failure of the manifest itself throws (the caller records
 * it against the tag); a failing config blob or child is recorded and the rest still indexed.
 */
export async function fetchArtifact(context: FetchContext, job: ManifestJob): Promise<ArtifactDocument[]> {
  const { client, errors, signal } = context;
  const fetched = await client.fetchManifest(job.repository, job.digest, signal);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  const reference = documentReference(job.registry, job.repository, job.digest);
  const config = await fetchConfig(context, job, configToFetch(manifest), reference);
  const { document, problems } = decodeArtifact(manifest, {
    registry: job.registry,
    repository: job.repository,
    digest: job.digest,
    manifestSize: fetched.size,
    mediaType: fetched.mediaType,
    config,
    tags: job.tags,
    referrers: [],
    crawledAt: context.now(),
    parent: job.parent ?? null,
  });
  for (const problem of problems) errors.addCode(job.repository, reference, problem.code, problem.message);
  if (!isIndex(manifest)) return [document];
  const children = await fetchChildren(context, job, manifest);
  return [{ ...document, mount: indexMount(childMounts(context, job, manifest, children)) }, ...children];
}

/**
 * The mount of each child of an index, in index order: from the child's document fetched now,
 * else from the stored document of a child already indexed (not fetched again: a known digest
 * never is, and push events index children before their index), else null (the fetch failed,
 * or the child is past maxIndexChildren): unknown, so the index counts as not mountable
 * (`child_unknown`). In queue mode a fetch worker sees no index: it fetches every child.
 */
function childMounts(
  context: FetchContext,
  job: ManifestJob,
  index: ImageIndex,
  fetched: ArtifactDocument[],
): Array<MountInfo | null> {
  const byDigest = new Map(fetched.map((child) => [child.digest, child.mount]));
  return index.manifests.map(
    (child) => byDigest.get(child.digest) ?? context.index.mountOf(job.registry, job.repository, child.digest),
  );
}

async function fetchConfig(
  context: FetchContext,
  job: ManifestJob,
  descriptor: { digest: string; size: number } | null,
  reference: string,
): Promise<Uint8Array | null> {
  if (descriptor === null) return null;
  try {
    return await context.client.fetchBlob(job.repository, descriptor, { signal: context.signal });
  } catch (error) {
    context.errors.add(job.repository, reference, error);
    return null;
  }
}

/** Children of an index not indexed yet, each fetched once, bounded in count and concurrency. */
async function fetchChildren(context: FetchContext, job: ManifestJob, index: ImageIndex): Promise<ArtifactDocument[]> {
  const { limits, errors } = context;
  const seen = new Set<string>();
  const children = index.manifests.filter((child) => {
    if (seen.has(child.digest)) return false;
    seen.add(child.digest);
    return !context.index.hasDocument(job.registry, job.repository, child.digest);
  });
  if (children.length > limits.maxIndexChildren) {
    errors.addCode(
      job.repository,
      job.digest,
      'size_exceeds_limit',
      `index lists ${children.length} children; indexing the first ${limits.maxIndexChildren}`,
    );
  }
  const documents: ArtifactDocument[] = [];
  await forEachConcurrent(
    children.slice(0, limits.maxIndexChildren),
    limits.manifestConcurrency,
    async (child) => {
      const platform = child.platform
        ? {
            os: child.platform.os ?? null,
            architecture: child.platform.architecture ?? null,
            variant: child.platform.variant ?? null,
          }
        : null;
      try {
        const childJob = { ...job, digest: child.digest, tags: [], parent: { digest: job.digest, platform } };
        documents.push(...(await fetchArtifact(context, childJob)));
      } catch (error) {
        errors.add(job.repository, child.digest, error);
      }
    },
    context.signal,
  );
  return documents;
}
