/**
 * Processor of the write queue: the only code of queue mode that writes the index. On SQLite it
 * runs with a global concurrency of 1, so the index has one writer however many workers fetch;
 * on PostgreSQL every worker runs it, several jobs at once. Every job is idempotent and one
 * transaction: a document already indexed is not written again (a sync job retried after a
 * crash hands the same documents twice, the second hand writes nothing), tags and referrers
 * are set to what the job says, a run finishes once.
 */
import type { Job } from 'bullmq';
import { addOutcome, syncedOutcome } from '../../crawl/repository-outcome.js';
import { isNewRepository, planRepository } from '../../crawl/repository-plan.js';
import { storeReferrers } from '../../crawl/store-referrers.js';
import { emptyCounts, type CrawlCounts } from '../../domain/crawl.js';
import type { IndexStore } from '../../store/index.js';
import type { FetchedManifest, WriteJobName, WriteJobs, WriteResults } from '../jobs.js';
import { eventFields } from '../../crawl/apply-event.js';
import { applyChange } from '../../crawl/push-events.js';
import { errorField, type ServiceLogger } from '../../domain/logger.js';

/** The writer has the index and a log, and no registry client: it makes no request. */
export interface WriterDeps {
  index: IndexStore;
  logger: ServiceLogger;
}

type Handlers = {
  [N in WriteJobName]: (
    index: IndexStore,
    data: WriteJobs[N],
    deps: WriterDeps,
  ) => WriteResults[N] | Promise<WriteResults[N]>;
};

const handlers: Handlers = {
  state(index, { registry, repository }) {
    return { isNew: isNewRepository(index.getRepositoryState(registry, repository)) };
  },

  plan(index, { runId, registry, repository, resolved, errors }) {
    index.recordErrors(runId, errors);
    const plan = planRepository(index.getRepositoryState(registry, repository), resolved, (digest) =>
      index.hasDocument(registry, repository, digest),
    );
    return { ...plan, knownReferrers: index.knownReferrersOf(registry, repository) };
  },

  sync(index, data) {
    // One transaction: a worker killed mid-write leaves nothing of it, the retry counts exactly.
    return index.inBatch(() => syncRepository(index, data));
  },

  chunk(index, data) {
    const { registry, repository } = data;
    return index.inBatch(() => {
      const written = data.manifests.reduce((sum, manifest) => sum + putManifest(index, data, manifest), 0);
      for (const [subject, referrers] of data.referrers)
        storeReferrers(index, registry, repository, subject, referrers);
      return { written };
    });
  },

  finish(index, { runId, summary, referrersApi, errors }) {
    index.recordErrors(runId, errors);
    if (referrersApi !== null) index.setReferrersApi(summary.registry, referrersApi);
    const errorsByCode = index.errorCountsOfRun(runId);
    const total = Object.values(errorsByCode).reduce((sum, count) => sum + count, 0);
    // Tag changes come from the run's tag history: exact even when a sync job ran twice.
    const tags = index.tagChangesOfRun(runId);
    index.finishRun(runId, { ...summary, errorsByCode, counts: { ...summary.counts, ...tags, errors: total } });
    return { status: summary.status };
  },

  event(index, { action, event, change, errors }, deps) {
    const fields = eventFields(action, event);
    try {
      if (change === null) {
        deps.logger.error('push event failed', { ...fields, error: errors[0]?.message ?? 'unknown' });
        return { outcome: 'failed' };
      }
      const outcome = applyChange(index, change);
      deps.logger.info('push event applied', { ...fields, outcome });
      return { outcome };
    } catch (error) {
      deps.logger.error('push event failed', { ...fields, error: errorField(error) });
      return { outcome: 'failed' };
    } finally {
      index.recordErrors(null, errors);
    }
  },
};

/** Writes a repository's documents, referrers and tags; its outcome with the documents written. */
function syncRepository(index: IndexStore, data: WriteJobs['sync']): WriteResults['sync'] {
  const { runId, registry, repository } = data;
  index.recordErrors(runId, data.errors);
  const written = data.manifests.reduce((sum, manifest) => sum + putManifest(index, data, manifest), 0);
  for (const [subject, referrers] of data.referrers) storeReferrers(index, registry, repository, subject, referrers);
  let outcome = { ...data.outcome, manifestsNew: data.outcome.manifestsNew + written };
  if (data.tags !== null && data.fingerprint !== null) {
    const sync = index.syncRepository({
      registry,
      repository,
      tags: new Map(data.tags),
      fingerprint: data.fingerprint,
      runId,
      at: new Date().toISOString(),
    });
    outcome = syncedOutcome(outcome, sync);
  }
  index.addRunProgress(runId, (counts) => {
    const progress: CrawlCounts = { ...emptyCounts(), ...(counts ?? {}) };
    addOutcome(progress, outcome);
    return progress;
  });
  return outcome;
}

/**
 * Puts the documents of one manifest the index does not have; how many count as written. The
 * plan found the manifest new: if the index has it already, an earlier attempt of this job
 * wrote it (committed, then killed before the job was marked done), so it counts again.
 */
function putManifest(index: IndexStore, scope: { registry: string; repository: string }, manifest: FetchedManifest) {
  const { documents, digest } = manifest;
  const fresh = documents.filter(
    (document) => !index.hasDocument(document.registry, document.repository, document.digest),
  );
  if (fresh.length > 0) index.putDocuments(fresh);
  const rewritten =
    fresh.length === 0 && documents.length > 0 && index.hasDocument(scope.registry, scope.repository, digest);
  return rewritten ? documents.length : fresh.length;
}

/** Runs the write `name` on `deps.index`: a write job's work, or (on PostgreSQL) a fetch job's own write. */
export function runWrite(deps: WriterDeps, name: string, data: unknown): Promise<unknown> {
  const handler = handlers[name as WriteJobName] as
    | ((index: IndexStore, data: unknown, deps: WriterDeps) => unknown)
    | undefined;
  if (handler === undefined) return Promise.reject(new Error(`unknown write job '${name}'`));
  return Promise.resolve(handler(deps.index, data, deps));
}

/** The write queue's processor over `deps.index`. */
export function indexWriter(deps: WriterDeps) {
  return (job: Job): Promise<unknown> => runWrite(deps, job.name, job.data);
}
