/**
 * Processor of the manifest queue (a fetch worker): fetches and decodes one manifest with the
 * crawl's manifest unit (its config blob, and the children of an image index) and hands the
 * documents to the index writer as a child of the repository job, which so waits for the
 * write before it syncs tags. A transient failure is retried; a permanent one (or the last
 * attempt) is recorded against the tag and answered, never thrown, so the repository goes on.
 */
import type { Job } from 'bullmq';
import { fetchArtifact } from '../../crawl/manifest-unit.js';
import type { ArtifactDocument } from '../../domain/document.js';
import { toOcidexError } from '../../domain/errors.js';
import { jobContext, type FetchDeps } from '../fetch-deps.js';
import { isLastAttempt, jobFailure, JOB_OPTIONS } from '../job-options.js';
import { jobId, type ManifestJobData, type ManifestResult } from '../jobs.js';

export function manifestProcessor(deps: FetchDeps) {
  return async (job: Job<ManifestJobData>): Promise<ManifestResult> => {
    const { runId, registry, repository, digest, tags } = job.data;
    const { reader, context } = jobContext(deps, job.data);
    let documents: ArtifactDocument[] = [];
    let ok = true;
    try {
      documents = await fetchArtifact(context, { registry, repository, digest, tags });
    } catch (error) {
      if (!isLastAttempt(job, toOcidexError(error))) throw jobFailure(error);
      context.errors.add(repository, tags[0] ?? digest, error);
      ok = false;
    }
    const parent = job.parent;
    if (parent?.id === undefined) throw new Error(`manifest job ${job.id} has no repository job`);
    await deps.queues.write.add(
      'put',
      { runId, registry, repository, digest, documents, errors: context.errors.drain() },
      {
        ...JOB_OPTIONS,
        jobId: jobId('put', runId, `${registry}/${repository}@${digest}`),
        parent: { id: parent.id, queue: parent.queueKey },
        ignoreDependencyOnFailure: true,
      },
    );
    return { digest, ok, requests: reader.requests };
  };
}
