/**
 * Keeps this process's crawl runs honest. While it owns running runs it renews their heartbeat
 * (run-owner.ts), and a run end that could not be written (a full disk, a read-only file) is kept
 * and written again on each beat, and at close, until the index takes it: a run never stays
 * `running` because its end once failed. A process that dies with an unwritten end leaves a run
 * whose owner is gone, which the next start marks aborted.
 */
import type { CrawlSummary } from '../domain/crawl.js';
import { isOcidexError } from '../domain/errors.js';
import { PROCESS_OWNER, RUN_HEARTBEAT_MS, type RunOwner } from './run-owner.js';

/** What the keeper writes through (the store's transactions). */
export interface RunWriter {
  heartbeat(owner: RunOwner): number;
  finish(runId: number, summary: CrawlSummary): void;
}

/** How often a run end the index could not take is tried again. */
export const PENDING_RETRY_MS = 1_000;

export class RunKeeper {
  /** Run ends not written yet, by run id (the first summary given wins). */
  readonly #pending = new Map<number, CrawlSummary>();
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: RunWriter,
    readonly owner: RunOwner = PROCESS_OWNER,
  ) {}

  /** Starts the heartbeat (once; it does not keep the process alive). */
  started(): void {
    this.#timer ??= setInterval(() => this.beat(), RUN_HEARTBEAT_MS).unref();
  }

  /**
   * Writes the end of `runId`; when that fails, keeps it and rethrows. A kept end is tried again
   * every PENDING_RETRY_MS (and on each beat) until written: while it is not, the run shows as
   * running, and other processes take the registry as being crawled (crawl-runs.ts `startRunOnce`).
   */
  finish(runId: number, summary: CrawlSummary): void {
    try {
      this.writer.finish(runId, summary);
      this.#pending.delete(runId);
    } catch (error) {
      // An unknown run will not become known: only ends the index could not take are kept.
      if (!this.#pending.has(runId) && !isOcidexError(error, 'not_found')) this.#pending.set(runId, summary);
      this.#retrySoon();
      throw error;
    }
  }

  /** Run ends still to be written. */
  get pending(): number[] {
    return [...this.#pending.keys()];
  }

  /** Writes the kept run ends the index now takes; returns the ids written. */
  retryPending(): number[] {
    const written: number[] = [];
    for (const [runId, summary] of this.#pending) {
      try {
        this.writer.finish(runId, summary);
      } catch (error) {
        if (!isOcidexError(error, 'not_found')) continue;
      }
      this.#pending.delete(runId);
      written.push(runId);
    }
    return written;
  }

  /** Renews the heartbeat and retries kept ends; never throws (an unwritable index is retried next beat). */
  beat(): void {
    try {
      this.writer.heartbeat(this.owner);
    } catch {
      // The index cannot be written now: the lease runs on, and the next beat tries again.
    }
    this.retryPending();
  }

  /** Stops the heartbeat after a last try of the kept ends. */
  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#retryTimer);
    this.#timer = undefined;
    this.#retryTimer = undefined;
    this.retryPending();
  }

  /** Retries the kept ends every PENDING_RETRY_MS until none is left (it does not keep the process alive). */
  #retrySoon(): void {
    if (this.#pending.size === 0 || this.#retryTimer !== undefined) return;
    this.#retryTimer = setInterval(() => {
      this.retryPending();
      if (this.#pending.size > 0) return;
      clearInterval(this.#retryTimer);
      this.#retryTimer = undefined;
    }, PENDING_RETRY_MS).unref();
  }
}
