/**
 * Processor of the manifest queue (a fetch worker): fetches and decodes one manifest with the
 * crawl's manifest unit (its config blob, and the children of an image index) and answers the
 * documents as its job result. The repository job collects its manifests' results and hands
 * them to the index writer in one sync job, so the writer gets one job per repository, not one
 * per manifest. A transient failure is retried; a permanent one (or the last attempt) is
 * recorded against the tag and answered, never thrown, so the repository goes on.
 */
import type { Job } from 'bullmq';
import { fetchArtifact } from '../../crawl/manifest-unit.js';
import { prefetchedReader } from '../../crawl/prefetched-reader.js';
import type { ArtifactDocument } from '../../domain/document.js';
import { toOcidexError } from '../../domain/errors.js';
import { jobContext, type FetchDeps } from '../fetch-deps.js';
import { isLastAttempt, jobFailure } from '../job-options.js';
import type { ManifestJobData, ManifestResult } from '../jobs.js';
import { prefetchedFrom } from '../prefetched-wire.js';

export function manifestProcessor(deps: FetchDeps) {
  return async (job: Job<ManifestJobData>): Promise<ManifestResult> => {
    const { registry, repository, digest, tags, manifest } = job.data;
    const { reader, context: given } = jobContext(deps, job.data);
    // Read by tag already (a new repository): not fetched again.
    const carried = manifest === undefined ? null : prefetchedFrom([manifest]);
    const context = carried === null ? given : { ...given, client: prefetchedReader(reader, carried) };
    let documents: ArtifactDocument[] = [];
    let ok = true;
    try {
      documents = await fetchArtifact(context, { registry, repository, digest, tags });
    } catch (error) {
      if (!isLastAttempt(job, toOcidexError(error))) throw jobFailure(error);
      context.errors.add(repository, tags[0] ?? digest, error);
      ok = false;
    }
    return { digest, ok, documents, errors: context.errors.drain(), requests: reader.requests };
  };
}
