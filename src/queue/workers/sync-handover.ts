/**
 * How a repository job hands its sync to the index writer (src/queue/sync-chunks.ts): one `sync`
 * job when its documents and listings fit one chunk; else one `chunk` job per chunk, then, once
 * every chunk answered (the `sync` step), a final `sync` job with no documents that saves the
 * tags and the fingerprint (incomplete when a chunk did not answer) with the chunks' counts.
 */
import type { Job } from 'bullmq';
import { repositorySync, type RepositoryOutcome } from '../../crawl/repository-outcome.js';
import type { RepositoryPlan } from '../../crawl/repository-plan.js';
import type { CrawlErrorRecord } from '../../domain/crawl.js';
import type { ReferrerSummary } from '../../domain/document.js';
import type { FetchDeps } from '../fetch-deps.js';
import { childOptions } from '../job-options.js';
import { jobId, type FetchedManifest, type RepositoryJobData, type WriteResults } from '../jobs.js';
import { childValue } from '../steps.js';
import { SYNC_CHUNK, syncChunks } from '../sync-chunks.js';

type RepositoryJob = Job<RepositoryJobData>;

/** What a repository's fetches came to, for the writer. */
export interface SyncParts {
  outcome: RepositoryOutcome;
  errors: CrawlErrorRecord[];
  referrers: Array<[string, ReferrerSummary[]]>;
  manifests: FetchedManifest[];
  complete: boolean;
}

/** The repository's name in job ids: `registry/repository`. */
export function repositoryName(data: { registry: string; repository: string }): string {
  return `${data.registry}/${data.repository}`;
}

/**
 * Adds the sync (one job), or its chunks; answers what the job's data needs for its `sync`
 * step when chunked, else null (the job goes on to `done`).
 */
export async function handOverSync(
  deps: FetchDeps,
  job: RepositoryJob,
  plan: Pick<RepositoryPlan, 'unchanged' | 'tags' | 'fingerprint'>,
  parts: SyncParts,
): Promise<RepositoryJobData['chunked'] | null> {
  const chunks = syncChunks(parts.manifests, parts.referrers, deps.syncChunk ?? SYNC_CHUNK);
  if (chunks.length === 1) {
    await addSync(deps, job, plan, parts);
    return null;
  }
  const { runId, registry, repository } = job.data;
  await deps.writes.addBulk(
    job,
    chunks.map((chunk, at) => ({
      name: 'chunk',
      data: { runId, registry, repository, ...chunk },
      opts: childOptions(job, chunkId(job, at)),
    })),
  );
  const { outcome, errors, complete } = parts;
  return { chunks: chunks.length, outcome, errors, complete };
}

/** The final sync of a chunked hand-over: the chunks' documents counted, tags and fingerprint. */
export async function finishChunkedSync(
  deps: FetchDeps,
  job: RepositoryJob,
  plan: Pick<RepositoryPlan, 'unchanged' | 'tags' | 'fingerprint'>,
  values: Record<string, unknown>,
): Promise<void> {
  const chunked = job.data.chunked;
  if (chunked === undefined) throw new Error(`job ${job.id}: a sync step without chunks`);
  const answers = Array.from({ length: chunked.chunks }, (_, at) =>
    childValue<WriteResults['chunk']>(values, chunkId(job, at)),
  );
  const missing = answers.filter((answer) => answer === undefined).length;
  const written = answers.reduce((sum, answer) => sum + (answer?.written ?? 0), 0);
  const errors = [...chunked.errors];
  if (missing > 0) {
    const { registry, repository } = job.data;
    const message = `the index writer did not answer ${missing} of ${chunked.chunks} chunks of this repository`;
    errors.push({ registry, repository, reference: null, code: 'internal', message, at: new Date().toISOString() });
  }
  const outcome = { ...chunked.outcome, manifestsNew: chunked.outcome.manifestsNew + written };
  const complete = chunked.complete && missing === 0;
  await addSync(deps, job, plan, { outcome, errors, referrers: [], manifests: [], complete });
}

async function addSync(
  deps: FetchDeps,
  job: RepositoryJob,
  plan: Pick<RepositoryPlan, 'unchanged' | 'tags' | 'fingerprint'>,
  parts: SyncParts,
): Promise<void> {
  const { runId, registry, repository } = job.data;
  const sync = repositorySync(plan, parts.complete);
  const { outcome, errors, referrers, manifests } = parts;
  await deps.writes.add(
    job,
    'sync',
    {
      ...{ runId, registry, repository, outcome, errors, referrers, manifests },
      tags: sync?.tags ?? null,
      fingerprint: sync?.fingerprint ?? null,
    },
    childOptions(job, jobId('sync', runId, repositoryName(job.data))),
  );
}

function chunkId(job: RepositoryJob, at: number): string {
  return jobId('chunk', job.data.runId, repositoryName(job.data), at);
}
