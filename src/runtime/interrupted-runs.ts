/**
 * Crawl runs left `running` by a process that died (kill -9, a crash, a reboot, an end the full
 * index never took) would show as running forever. At start, the service (and `ocidex crawl`)
 * marks every running run that nothing is working on as failed (`aborted`): those whose owner
 * process is gone (store/run-owner.ts; a live CLI crawl is left alone), and in queue mode whose
 * crawl job is gone from Redis too.
 */
import { ownerAlive, RUN_LEASE_MS, type CrawlRunRecord, type IndexStore } from '../store/index.js';
import { OcidexError } from '../domain/errors.js';
import { failedSummary } from '../crawl/repository-outcome.js';
import type { ServiceLogger } from './logger.js';

/** Whether the process that owns `run` still works on it (store/run-owner.ts). */
export async function runOwnerAlive(run: CrawlRunRecord): Promise<boolean> {
  return ownerAlive(run.owner, run.heartbeatAt);
}

/**
 * Looks again every lease (an owner on another host is judged by its heartbeat, which may still
 * have been fresh at start); `stop` ends it. Errors are logged, never thrown.
 */
export function sweepInterruptedRuns(
  index: IndexStore,
  alive: (run: CrawlRunRecord) => Promise<boolean>,
  logger: ServiceLogger,
): { stop(): void } {
  const timer = setInterval(() => {
    failInterruptedRuns(index, alive, logger).catch((error: unknown) => {
      logger.error('interrupted crawls not marked', { error: error instanceof Error ? error.message : String(error) });
    });
  }, RUN_LEASE_MS).unref();
  return { stop: () => clearInterval(timer) };
}

/** Runs looked at, newest first. */
const RUN_SCAN_LIMIT = 1_000;

/** Marks the running runs `alive` says no one works on as failed; resolves with their ids. */
export async function failInterruptedRuns(
  index: IndexStore,
  alive: (run: CrawlRunRecord) => Promise<boolean>,
  logger: ServiceLogger,
): Promise<number[]> {
  const failed: number[] = [];
  for (const run of index.listRuns({ limit: RUN_SCAN_LIMIT })) {
    if (run.status !== 'running' || (await alive(run))) continue;
    const error = new OcidexError('aborted', 'the process running this crawl stopped before it finished');
    const summary = failedSummary(run.registry, run.startedAt, error);
    // What it had done so far stays in the counts.
    index.finishRun(run.id, { ...summary, counts: { ...summary.counts, ...(run.progress ?? {}) } });
    failed.push(run.id);
  }
  if (failed.length > 0) logger.info('interrupted crawls marked failed', { crawls: failed });
  return failed;
}
