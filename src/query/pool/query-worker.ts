/**
 * A query worker thread (piscina runs it; see query-pool.ts): its own read-only connection to
 * the index file and its own QueryEngine, so a query's synchronous evaluation, and the budget
 * clock that stops it (module-level, so one per thread), never run on the API's event loop.
 */
import { workerData } from 'node:worker_threads';
import { openIndex } from '../../store/index.js';
import { QueryEngine } from '../query-engine.js';
import type { EngineOptions } from '../types.js';
import { type QueryTask, runTask, type TaskAnswer } from './task.js';

/** What the pool gives every worker. */
export interface WorkerData {
  /** The index file (its WAL lets this connection read while the service writes) or database URL. */
  dbPath: string;
  engine: EngineOptions;
}

let engine: QueryEngine | null = null;

function openEngine(): QueryEngine {
  const { dbPath, engine: options } = workerData as WorkerData;
  return new QueryEngine(openIndex(dbPath, { readonly: true }).db, options);
}

/** Runs one task (piscina's entry point). */
export default function runQueryTask(task: QueryTask): TaskAnswer {
  task.started?.postMessage('started');
  task.started?.close();
  try {
    engine ??= openEngine();
  } catch (error) {
    const message = `query worker cannot open the index: ${(error as Error).message}`;
    return { ok: false, error: { code: 'internal', message, details: {} } };
  }
  return runTask(engine, task);
}
