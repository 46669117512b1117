/**
 * Processor of the event queue (a fetch worker): one push event's registry reads, with the
 * crawl's event code (src/crawl/push-events.ts `fetchEvent`) answering its reads from the
 * registry (a fetch worker has no index), handed to the index writer as an `event` write job,
 * which applies them without a request. The queue runs one job at a time, so the writes follow
 * arrival order. A transient failure is retried; a permanent one (or the last attempt) is
 * handed to the writer as errors to store, so it is logged and recorded like embedded mode's.
 */
import type { Job } from 'bullmq';
import { registryEventReads } from '../../crawl/event-reads.js';
import { fetchEvent, type EventChange } from '../../crawl/push-events.js';
import { toOcidexError } from '../../domain/errors.js';
import { jobContext, type FetchDeps } from '../fetch-deps.js';
import { isLastAttempt, JOB_OPTIONS, jobFailure } from '../job-options.js';
import { jobId, type EventJobData, type WriteJobs } from '../jobs.js';
import { canonicalRegistry } from '../../registry/index.js';

export function eventProcessor(deps: FetchDeps) {
  return async (job: Job<EventJobData>): Promise<{ requests: number }> => {
    const { action, event, config } = job.data;
    const registry = canonicalRegistry(config.url);
    const scope = { runId: 0, registryId: config.id, config, registry, referrersApi: null };
    const { reader, context } = jobContext(deps, scope);
    let change: EventChange | null = null;
    try {
      // Documents fetched by this event have no parent to look up.
      const documents = new Set<string>([event.digest]);
      const reads = registryEventReads(reader, documents, deps.signal);
      change = await fetchEvent({ ...context, reads }, action, event);
    } catch (error) {
      if (!isLastAttempt(job, toOcidexError(error))) throw jobFailure(error);
      context.errors.add(event.repository, event.digest, error);
    }
    const data: WriteJobs['event'] = { action, event, change, errors: context.errors.drain() };
    // A stable id: an event job retried after adding its write adds it once.
    await deps.writes.send('event', data, { ...JOB_OPTIONS, jobId: jobId('event', job.id ?? event.digest) });
    return { requests: reader.requests.total };
  };
}
