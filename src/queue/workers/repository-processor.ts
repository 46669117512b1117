/**
 * Processor of the repository queue (a fetch worker): the repository unit of the embedded crawl
 * (src/crawl/repository-unit.ts) cut into steps where it needs the index. `state` asks the
 * index writer whether it knows the repository; `resolve` lists the tags and HEADs them (a new
 * repository: GETs them, the bodies carried on in the job), then asks the writer for a plan
 * (two-level change detection); `fetch` adds one manifest job per digest not indexed yet (with
 * its body when it was read by tag); `referrers` lists the referrers of
 * the subjects the plan names and hands the manifests' documents, tags, fingerprint and
 * referrers to the writer in one sync job (one transaction per repository; a large repository's
 * in chunks, then `sync` saves its tags and fingerprint once they all answered); `done`
 * answers the crawl with the writer's counts. One failing tag never fails the repository.
 */
import type { Job } from 'bullmq';
import { PrefetchedManifests, prefetchedReader } from '../../crawl/prefetched-reader.js';
import { listSubjectReferrers, resolveTags } from '../../crawl/repository-fetch.js';
import { referrerSubjects } from '../../crawl/repository-plan.js';
import { countReferrers } from '../../crawl/referrers-unit.js';
import { repositoryOutcome } from '../../crawl/repository-outcome.js';
import type { CrawlErrorRecord } from '../../domain/crawl.js';
import { toOcidexError } from '../../domain/errors.js';
import { addRequests } from '../counting-reader.js';
import { jobContext, type FetchDeps } from '../fetch-deps.js';
import { childOptions, isLastAttempt, jobFailure } from '../job-options.js';
import {
  jobId,
  type ManifestJobData,
  type ManifestResult,
  type RepositoryJobData,
  type RepositoryResult,
  type WriteResults,
} from '../jobs.js';
import { childValue, childValues, parkUntilChildrenDone } from '../steps.js';
import { answersOf } from '../writes.js';
import { prefetchedFrom, wirePrefetched, type WireManifest } from '../prefetched-wire.js';
import { lostJob } from './crawl-processor.js';
import { finishChunkedSync, handOverSync } from './sync-handover.js';

type RepositoryJob = Job<RepositoryJobData & { error?: CrawlErrorRecord }>;

export function repositoryProcessor(deps: FetchDeps) {
  return async (job: RepositoryJob, token?: string): Promise<null> => {
    for (;;) {
      const step = job.data.step ?? 'state';
      if (step === 'state') await stateStep(deps, job, token);
      else if (step === 'resolve') await resolveStep(deps, job, token);
      else if (step === 'fetch') await fetchStep(deps, job, token);
      else if (step === 'referrers') await referrersStep(deps, job, token);
      else if (step === 'sync') await syncStep(deps, job, token);
      else return doneStep(deps, job);
    }
  };
}

/** The repository's name in job ids: `registry/repository`. */
function named(job: RepositoryJob): string {
  return `${job.data.registry}/${job.data.repository}`;
}

async function stateStep(deps: FetchDeps, job: RepositoryJob, token: string | undefined): Promise<void> {
  const { runId, registry, repository } = job.data;
  await deps.writes.add(job, 'state', { registry, repository }, childOptions(job, jobId('state', runId, named(job))));
  await parkUntilChildrenDone(job, token, { ...job.data, step: 'resolve' });
}

async function resolveStep(deps: FetchDeps, job: RepositoryJob, token: string | undefined): Promise<void> {
  const { reader, context } = jobContext(deps, job.data);
  const { runId, registry, repository } = job.data;
  const state = childValue<WriteResults['state']>(await answersOf(job), jobId('state', runId, named(job)));
  if (state === undefined) return noAnswer(job, 'state');
  // A repository the index has never seen is read by GET per tag (repository-plan.ts).
  const prefetch = state.isNew ? new PrefetchedManifests() : undefined;
  let resolved: Awaited<ReturnType<typeof resolveTags>>;
  try {
    resolved = await resolveTags(context, job.data, prefetch);
  } catch (error) {
    const failure = toOcidexError(error);
    if (!isLastAttempt(job, failure)) throw jobFailure(error);
    const at = new Date().toISOString();
    const record = { registry, repository, reference: null, code: failure.code, message: failure.message, at };
    return void (await job.updateData({ ...job.data, step: 'done', requests: reader.requests, error: record }));
  }
  const errors = context.errors.drain();
  await deps.writes.add(
    job,
    'plan',
    { runId, registry, repository, resolved, errors },
    childOptions(job, jobId('plan', runId, named(job))),
  );
  const prefetched = prefetch === undefined ? undefined : wirePrefetched(prefetch);
  await parkUntilChildrenDone(job, token, {
    ...job.data,
    step: 'fetch',
    resolved,
    prefetched,
    requests: reader.requests,
  });
}

async function planOf(
  job: RepositoryJob,
): Promise<{ plan: WriteResults['plan'] | undefined; values: Record<string, unknown> }> {
  const values = await answersOf(job);
  return { plan: childValue<WriteResults['plan']>(values, jobId('plan', job.data.runId, named(job))), values };
}

async function fetchStep(deps: FetchDeps, job: RepositoryJob, token: string | undefined): Promise<void> {
  const { plan } = await planOf(job);
  if (plan === undefined) return noAnswer(job, 'plan');
  const { step: _step, resolved: _resolved, requests: _requests, error: _error, prefetched, ...scope } = job.data;
  const bodies = new Map((prefetched ?? []).map((manifest) => [manifest.digest, manifest]));
  const fresh = plan.unchanged ? [] : plan.fresh;
  await deps.queues.manifest.addBulk(
    fresh.map(([digest, tags]) => ({
      name: 'manifest',
      data: { ...scope, digest, tags, manifest: bodies.get(digest) } satisfies ManifestJobData,
      opts: childOptions(job, jobId('manifest', job.data.runId, `${named(job)}@${digest}`)),
    })),
  );
  for (const [digest] of fresh) bodies.delete(digest);
  // What is left (fallback indexes, cosign signatures) serves the referrers step.
  await parkUntilChildrenDone(job, token, { ...job.data, step: 'referrers', prefetched: [...bodies.values()] });
}

/** The job's context, its reads served from the manifests it carries first. */
function carriedContext(deps: FetchDeps, job: RepositoryJob, plan: WriteResults['plan']) {
  const { reader, context } = jobContext(deps, job.data, plan.knownReferrers);
  const carried: readonly WireManifest[] = job.data.prefetched ?? [];
  if (carried.length === 0) return { reader, context };
  return { reader, context: { ...context, client: prefetchedReader(reader, prefetchedFrom(carried)) } };
}

async function referrersStep(deps: FetchDeps, job: RepositoryJob, token: string | undefined): Promise<void> {
  const { plan, values } = await planOf(job);
  if (plan === undefined) return noAnswer(job, 'plan');
  const { registry } = job.data;
  const manifests = childValues<ManifestResult>(values, 'manifest/');
  const failures = Object.entries(await job.getIgnoredChildrenFailures());
  const fetched = manifests.filter((result) => result.ok).map((result) => result.digest);
  const { reader, context } = carriedContext(deps, job, plan);
  const tags = new Map(plan.tags);
  const listing = await listSubjectReferrers(
    context,
    job.data,
    referrerSubjects(plan, fetched, reader.referrersApi === true),
    tags,
  );
  const complete = fetched.length === plan.fresh.length && failures.length === 0 && listing.complete;
  // The writer adds the documents it writes: only it knows which the index already had.
  const outcome = repositoryOutcome(plan, {
    documents: 0,
    referrers: listing.referrers.reduce((sum, [, referrers]) => sum + countReferrers(referrers), 0),
    complete,
  });
  const errors = [
    ...manifests.flatMap((result) => result.errors),
    ...context.errors.drain(),
    ...failures.map(([key, reason]) => lostJob(registry, key, reason)),
  ];
  const manifestsOut = manifests.map(({ digest, documents }) => ({ digest, documents }));
  const parts = { outcome, errors, referrers: listing.referrers, manifests: manifestsOut, complete };
  const chunked = await handOverSync(deps, job, plan, parts);
  const requests = addRequests(
    addRequests(job.data.requests ?? { total: 0, byOperation: {} }, reader.requests),
    manifests.reduce((sum, result) => addRequests(sum, result.requests), { total: 0, byOperation: {} }),
  );
  const next = chunked === null ? { step: 'done' as const } : { step: 'sync' as const, chunked };
  await parkUntilChildrenDone(job, token, { ...job.data, ...next, requests, prefetched: undefined });
}

/** A chunked sync's chunks answered: the final sync (sync-handover.ts). */
async function syncStep(deps: FetchDeps, job: RepositoryJob, token: string | undefined): Promise<void> {
  const { plan, values } = await planOf(job);
  if (plan === undefined) return noAnswer(job, 'plan');
  await finishChunkedSync(deps, job, plan, values);
  await parkUntilChildrenDone(job, token, { ...job.data, step: 'done', chunked: undefined });
}

/**
 * Adds what the repository came to to its crawl's tally (once, however often this step runs) and
 * answers the crawl nothing: the crawl's finish reads the tally, not one answer per repository.
 */
async function doneStep(deps: FetchDeps, job: RepositoryJob): Promise<null> {
  const values = await answersOf(job);
  const outcome = job.data.error
    ? null
    : childValue<WriteResults['sync']>(values, jobId('sync', job.data.runId, named(job)));
  const result: RepositoryResult = {
    repository: job.data.repository,
    outcome: outcome ?? null,
    error: job.data.error ?? (outcome === undefined ? noAnswerRecord(job, 'sync') : null),
    referrersApi: deps.clients.get(job.data.config).referrersApi,
    requests: job.data.requests ?? { total: 0, byOperation: {} },
  };
  await deps.tally.add(job.data.runId, jobId('repository', job.data.runId, named(job)), result);
  return null;
}

/** The index writer did not answer (its job failed): the repository fails, the crawl goes on. */
async function noAnswer(job: RepositoryJob, what: string): Promise<void> {
  await job.updateData({ ...job.data, step: 'done', error: noAnswerRecord(job, what) });
}

function noAnswerRecord(job: RepositoryJob, what: string): CrawlErrorRecord {
  return {
    registry: job.data.registry,
    repository: job.data.repository,
    reference: null,
    code: 'internal',
    message: `the index writer did not answer the ${what} of this repository`,
    at: new Date().toISOString(),
  };
}
