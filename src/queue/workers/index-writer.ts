/**
 * Processor of the write queue: the only code of queue mode that touches SQLite, run with a
 * global concurrency of 1, so the index has one writer however many workers fetch. Every job is
 * idempotent: a document already indexed is not written again (a manifest job retried after a
 * crash hands the same documents twice, the second hand writes nothing), tags and referrers
 * are set to what the job says, a run finishes once.
 */
import type { Job } from 'bullmq';
import { addOutcome, syncedOutcome } from '../../crawl/repository-outcome.js';
import { planRepository } from '../../crawl/repository-plan.js';
import { storeReferrers } from '../../crawl/store-referrers.js';
import { emptyCounts, type CrawlCounts } from '../../domain/crawl.js';
import type { IndexStore } from '../../store/index.js';
import type { WriteJobName, WriteJobs, WriteResults } from '../jobs.js';
import { applyEvent, type EventDeps } from '../../crawl/apply-event.js';

export type WriterDeps = EventDeps;

type Handlers = {
  [N in WriteJobName]: (
    index: IndexStore,
    data: WriteJobs[N],
    deps: WriterDeps,
  ) => WriteResults[N] | Promise<WriteResults[N]>;
};

const handlers: Handlers = {
  plan(index, { runId, registry, repository, resolved, errors }) {
    index.recordErrors(runId, errors);
    const plan = planRepository(index.getRepositoryState(registry, repository), resolved, (digest) =>
      index.hasDocument(registry, repository, digest),
    );
    return { ...plan, knownReferrers: index.knownReferrersOf(registry, repository) };
  },

  put(index, { runId, registry, repository, digest, documents, errors }) {
    index.recordErrors(runId, errors);
    const fresh = documents.filter(
      (document) => !index.hasDocument(document.registry, document.repository, document.digest),
    );
    if (fresh.length > 0) index.putDocuments(fresh);
    // The plan found `digest` new: if it is here already, an attempt cut short by a crash wrote it.
    const rewritten = fresh.length === 0 && documents.length > 0 && index.hasDocument(registry, repository, digest);
    return { written: rewritten ? documents.length : fresh.length };
  },

  sync(index, data) {
    const { runId, registry, repository } = data;
    index.recordErrors(runId, data.errors);
    for (const [subject, referrers] of data.referrers) storeReferrers(index, registry, repository, subject, referrers);
    let outcome = data.outcome;
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
    const progress: CrawlCounts = { ...emptyCounts(), ...(index.getRun(runId)?.progress ?? {}) };
    addOutcome(progress, outcome);
    index.updateRunProgress(runId, progress);
    return outcome;
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

  async event(_index, { action, event }, deps) {
    return { outcome: await applyEvent(deps, action, event) };
  },
};

/** The write queue's processor over `deps.index`. */
export function indexWriter(deps: WriterDeps) {
  return (job: Job): Promise<unknown> => {
    const handler = handlers[job.name as WriteJobName] as
      | ((index: IndexStore, data: unknown, deps: WriterDeps) => unknown)
      | undefined;
    if (handler === undefined) return Promise.reject(new Error(`unknown write job '${job.name}'`));
    return Promise.resolve(handler(deps.index, job.data, deps));
  };
}
