/**
 * The crawl runs of the index store: runs started, progressed and finished (kept by the run
 * keeper when the index cannot take a run's end), their errors, and the registry
 * configurations service mode crawls by. IndexStore (store.ts) adds the documents.
 */
import type { CrawlCounts, CrawlErrorRecord, CrawlSummary } from '../domain/crawl.js';
import { now } from './context.js';
import * as runs from './crawl-runs.js';
import * as configs from './registry-configs.js';
import { StoreBase } from './store-base.js';

/** Runs, errors and registry configurations; see IndexStore. */
export class StoreRuns extends StoreBase {
  /**
   * Records a running crawl of `registry`, owned by this process (which renews its heartbeat);
   * returns the run id. `params` must not hold credentials.
   */
  startRun(registry: string, params: Record<string, unknown>): number {
    const runId = this.write(() => runs.startRun(this.context, registry, params, now(), this.runKeeper.owner));
    this.runKeeper.started();
    return runId;
  }

  /**
   * Records a running crawl of `registry` as `startRun` does, unless another process is still
   * crawling it (see crawl-runs.ts `startRunOnce`): then answers that run, `started` false.
   */
  startRunOnce(registry: string, params: Record<string, unknown>): runs.RunStart {
    const start = this.write(() => runs.startRunOnce(this.context, registry, params, now(), this.runKeeper.owner));
    if (start.started) this.runKeeper.started();
    return start;
  }

  /**
   * Records the summary and final status of a run. When the index cannot take it (full,
   * read-only), throws, and keeps it to write again on each heartbeat and at close.
   */
  finishRun(runId: number, summary: CrawlSummary): void {
    this.runKeeper.finish(runId, summary);
  }

  /** Writes the run ends kept after a failed `finishRun` that the index now takes; returns their ids. */
  retryRunEnds(): number[] {
    return this.runKeeper.retryPending();
  }

  /** Records the counts so far of a running crawl (see `getRun`); false when it is not running. */
  updateRunProgress(runId: number, counts: CrawlCounts): boolean {
    return this.write(() => runs.updateRunProgress(this.context, runId, counts, now()));
  }

  /**
   * Adds to the counts so far of a running crawl, exactly under concurrent writers (the run's row
   * is read and written in one write transaction); false when it is not running.
   */
  addRunProgress(runId: number, add: (counts: CrawlCounts | null) => CrawlCounts): boolean {
    return this.write(() => runs.addRunProgress(this.context, runId, add, now()));
  }

  /** Stores every error given (the crawl caps them), in one transaction. */
  recordErrors(runId: number | null, errors: readonly CrawlErrorRecord[]): void {
    if (errors.length > 0) this.write(() => runs.recordErrors(this.context, runId, errors));
  }

  /** The tag changes a run recorded in the tag history (exact even when a sync was applied twice). */
  tagChangesOfRun(runId: number): runs.TagChanges {
    return runs.tagChangesOfRun(this.context, runId);
  }

  /** Stored errors of a run, counted by code. */
  errorCountsOfRun(runId: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const row of this.context.statements.countErrorsOfRun.all(runId)) counts[row.code] = row.count;
    return counts;
  }

  /** Stored errors, oldest first, filtered by run and/or registry. */
  listErrors(filter: runs.ErrorFilter = {}): CrawlErrorRecord[] {
    return runs.listErrors(this.context, filter);
  }

  /** One crawl run, or null; a running one shows the counts last reported (`updateRunProgress`). */
  getRun(runId: number): runs.CrawlRunRecord | null {
    return runs.getRun(this.context, runId);
  }

  /** Crawl runs, newest first. */
  listRuns(filter: { registry?: string; limit?: number } = {}): runs.CrawlRunRecord[] {
    return runs.listRuns(this.context, filter);
  }

  /** Stored registry configurations (service mode), ordered by id. */
  listRegistryConfigs(): configs.StoredRegistryConfig[] {
    return configs.listRegistryConfigs(this.context);
  }

  /** The stored registry configuration `id`, or null. */
  getRegistryConfig(id: string): configs.StoredRegistryConfig | null {
    return configs.getRegistryConfig(this.context, id);
  }

  /**
   * Stores a registry configuration (never secrets). With `replace` false it is written only
   * when `id` is free; returns true when written.
   */
  putRegistryConfig(stored: Omit<configs.StoredRegistryConfig, 'updatedAt'>, options: { replace: boolean }): boolean {
    return this.write(() => configs.writeRegistryConfig(this.context, stored, now(), options.replace));
  }

  /** Removes the registry configuration `id` (not its documents); false when unknown. */
  deleteRegistryConfig(id: string): boolean {
    return this.write(() => this.context.statements.deleteRegistryConfig.run(id).changes > 0);
  }
}
