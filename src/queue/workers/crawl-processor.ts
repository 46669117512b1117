/**
 * Processor of the crawl queue (a fetch worker): one registry crawl in two steps. `catalog`
 * pings the registry and adds one repository job per repository of the catalog (or of the
 * configured list), then parks; `finish` reads what the repositories added up to as they
 * finished (run-tally.ts: the same memory for 10 repositories or 100,000) and hands the summary
 * to the index writer; `done` forgets the tally. Only an unreachable registry, failed authentication or an
 * unreadable catalog fails a crawl, after its retries.
 */
import type { Job } from 'bullmq';
import { repositoryFilter, filterRepositories } from '../../crawl/repository-filter.js';
import { crawlSummary } from '../../crawl/repository-outcome.js';
import type { CrawlErrorRecord, CrawlSummary } from '../../domain/crawl.js';
import { toOcidexError } from '../../domain/errors.js';
import { addRequests } from '../counting-reader.js';
import { jobContext, type FetchDeps } from '../fetch-deps.js';
import { childOptions, isLastAttempt, jobFailure } from '../job-options.js';
import { jobId, type CrawlJobData, type RepositoryJobData } from '../jobs.js';
import { parkUntilChildrenDone } from '../steps.js';

/** Repository jobs added at once while the catalog streams. */
const ADD_BATCH = 500;

export function crawlProcessor(deps: FetchDeps) {
  return async (job: Job<CrawlJobData>, token?: string): Promise<{ runId: number }> => {
    for (;;) {
      const step = job.data.step ?? 'catalog';
      if (step === 'catalog') await catalogStep(deps, job, token);
      else if (step === 'finish') await finishStep(deps, job, token);
      else {
        await deps.tally.clear(job.data.runId);
        return { runId: job.data.runId };
      }
    }
  };
}

async function catalogStep(deps: FetchDeps, job: Job<CrawlJobData>, token: string | undefined): Promise<void> {
  const { reader, context } = jobContext(deps, job.data);
  const { config } = job.data;
  let fatal: CrawlSummary['fatal'] = null;
  try {
    await reader.ping(deps.signal);
    const source = config.repositories?.length ? config.repositories : reader.catalog({ signal: deps.signal });
    const batch: string[] = [];
    for await (const repository of filterRepositories(source, repositoryFilter(config.include, config.exclude))) {
      batch.push(repository);
      if (batch.length >= ADD_BATCH) await addRepositories(deps, job, batch.splice(0));
    }
    await addRepositories(deps, job, batch);
  } catch (error) {
    const failure = toOcidexError(error);
    if (!isLastAttempt(job, failure)) throw jobFailure(error);
    fatal = { code: failure.code, message: failure.message };
    context.errors.add(null, null, failure);
  }
  const requests = addRequests(job.data.requests ?? { total: 0, byOperation: {} }, reader.requests);
  await parkUntilChildrenDone(job, token, {
    ...job.data,
    step: 'finish',
    fatal,
    errors: context.errors.drain(),
    requests,
  });
}

async function addRepositories(deps: FetchDeps, job: Job<CrawlJobData>, repositories: string[]): Promise<void> {
  const { step: _step, startedAt: _started, fatal: _fatal, errors: _errors, requests: _requests, ...scope } = job.data;
  await deps.queues.repository.addBulk(
    repositories.map((repository) => ({
      name: 'repository',
      data: { ...scope, repository } satisfies RepositoryJobData,
      opts: childOptions(job, jobId('repository', job.data.runId, `${job.data.registry}/${repository}`)),
    })),
  );
}

async function finishStep(deps: FetchDeps, job: Job<CrawlJobData>, token: string | undefined): Promise<void> {
  const { runId, registry } = job.data;
  const totals = await deps.tally.read(runId);
  const errors: CrawlErrorRecord[] = [...(job.data.errors ?? []), ...totals.errors];
  const requests = addRequests(job.data.requests ?? { total: 0, byOperation: {} }, totals.requests);
  const referrersApi = totals.referrersApi ?? job.data.referrersApi;
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    errors.push(lostJob(registry, key, reason));
  }
  const summary = crawlSummary({
    registry,
    counts: totals.counts,
    errorsByCode: {},
    requests,
    startedAt: job.data.startedAt,
    finishedAt: new Date().toISOString(),
    fatal: job.data.fatal ?? null,
  });
  await deps.writes.add(
    job,
    'finish',
    { runId, summary, referrersApi, errors },
    childOptions(job, jobId('finish', runId)),
  );
  await parkUntilChildrenDone(job, token, { ...job.data, step: 'done' });
}

/** The error record of a child job that failed without answering (it stalled too often, say). */
export function lostJob(registry: string, key: string, reason: string): CrawlErrorRecord {
  return {
    registry,
    repository: null,
    reference: key,
    code: 'internal',
    message: `job failed: ${reason}`,
    at: new Date().toISOString(),
  };
}
