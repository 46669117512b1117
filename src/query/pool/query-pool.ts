/**
 * Queries off the event loop: a piscina pool of worker threads (query-worker.ts), each with its
 * own read-only connection to the index, behind a FairQueue (bounded wait queue, per-client cap,
 * per-client share of the workers). The engine's budget stops a query inside its worker; a
 * worker still busy `graceMs` past that budget (a stuck SQLite step) is terminated and replaced.
 * The worker says when it starts a task (a message on a port sent with it), so the time a new
 * worker takes to load does not count against the task.
 */
import { MessageChannel } from 'node:worker_threads';
import type { SqlDatabase } from '../../store/index.js';
import { Piscina } from 'piscina';
import { OcidexError } from '../../domain/errors.js';
import { queryTimeout } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from '../limits.js';
import type { FacetValue, PathFacet, QueryContext, QueryOptions, QueryResult, QueryService } from '../types.js';
import { FairQueue, RETRY_AFTER_MS } from './fair-queue.js';
import type { WorkerData } from './query-worker.js';
import { type QueryPoolSettings, type ResolvedPoolSettings, resolvePoolSettings } from './settings.js';
import { type QueryTask, type TaskAnswer, type TaskValue, unwrapAnswer } from './task.js';

/** The client of a task given none (the CLI, tests). */
const ANONYMOUS = 'anonymous';

/** A QueryService running every task on a worker thread. */
export class QueryPool implements QueryService {
  readonly settings: ResolvedPoolSettings;
  readonly #pool: Piscina<QueryTask, TaskAnswer>;
  readonly #queue: FairQueue;
  #replaced = 0;
  #closed = false;

  /** A pool over the index of `db` (its file, or its database), the service's connection. */
  static open(db: SqlDatabase, settings: QueryPoolSettings = {}): QueryPool {
    return new QueryPool(db.location, settings);
  }

  constructor(dbPath: string, settings: QueryPoolSettings = {}) {
    this.settings = resolvePoolSettings(settings);
    const { workers, maxQueued, maxPerClient, workersPerClient, engine, workerFile, execArgv } = this.settings;
    const workerData: WorkerData = { dbPath, engine };
    this.#pool = new Piscina({
      filename: workerFile,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
      ...(execArgv === undefined ? {} : { execArgv }),
    });
    this.#queue = new FairQueue({ slots: workers, maxQueued, maxPerClient, share: workersPerClient });
  }

  /** Tasks running and waiting, and workers replaced after running past their budget. */
  get stats(): { running: number; waiting: number; replaced: number } {
    return { ...this.#queue.stats, replaced: this.#replaced };
  }

  query(text: string, options: QueryOptions = {}, context: QueryContext = {}): Promise<QueryResult> {
    return this.#run({ kind: 'query', text, options }, context);
  }

  facet(path: string, text?: string, options: QueryOptions = {}, context: QueryContext = {}): Promise<FacetValue[]> {
    return this.#run({ kind: 'facet', path, text, options }, context);
  }

  facets(
    paths: readonly string[],
    text?: string,
    options: QueryOptions = {},
    context: QueryContext = {},
  ): Promise<PathFacet[]> {
    return this.#run({ kind: 'facets', paths, text, options }, context);
  }

  /** Stops the workers at once: tasks running or waiting fail with `overloaded` (a retry may find another server). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.destroy();
  }

  async #run<T extends TaskValue>(task: QueryTask, context: QueryContext): Promise<T> {
    const release = await this.#queue.acquire(context.client ?? ANONYMOUS, context.signal);
    try {
      if (this.#closed) throw shuttingDown();
      return unwrapAnswer<T>(await this.#execute(task));
    } finally {
      release();
    }
  }

  /** Runs `task` on a worker, terminating the worker when it overruns the task's budget by graceMs. */
  async #execute(task: QueryTask): Promise<TaskAnswer> {
    const budgetMs = budgetOf(task, this.settings);
    const watchdog = new AbortController();
    const { port1: startedPort, port2: started } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    startedPort.once('message', () => {
      timer = setTimeout(() => watchdog.abort(), budgetMs + this.settings.graceMs);
    });
    try {
      return await this.#pool.run({ ...task, started }, { signal: watchdog.signal, transferList: [started] });
    } catch (error) {
      if (watchdog.signal.aborted) {
        this.#replaced += 1;
        throw queryTimeout(budgetMs);
      }
      if (this.#closed) throw shuttingDown();
      throw new OcidexError('internal', `query worker failed: ${(error as Error).message}`, {}, { cause: error });
    } finally {
      clearTimeout(timer);
      startedPort.close();
    }
  }
}

function shuttingDown(): OcidexError {
  const details = { transient: true, retryAfterMs: RETRY_AFTER_MS };
  return new OcidexError('overloaded', 'the query pool is shutting down', details);
}

/** The budget the worker's engine applies to `task` (an invalid one is refused there; the default stands in). */
function budgetOf(task: QueryTask, settings: ResolvedPoolSettings): number {
  const given = task.options.timeoutMs;
  if (typeof given === 'number' && Number.isInteger(given) && given > 0) return given;
  return settings.engine.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
}
