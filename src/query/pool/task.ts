/**
 * One query task as plain JSON, and its answer: what crosses from the API thread to a query
 * worker and back. `runTask` is the one place a task meets the engine, whether the engine runs
 * in a worker (query-worker.ts) or in process (in-process.ts). Errors cross as their code,
 * message and details, since a thread boundary drops an Error's class.
 */
import { type ErrorDetails, isOcidexError, OcidexError } from '../../domain/errors.js';
import type { MessagePort } from 'node:worker_threads';
import type { QueryEngine } from '../query-engine.js';
import type { FacetValue, PathFacet, QueryOptions, QueryResult } from '../types.js';

/**
 * A page of a query, or the facet values at a path. `started` (sent to a worker) hears when the
 * task starts running, which starts the pool's watchdog.
 */
export type QueryTask = (
  | { kind: 'query'; text: string; options: QueryOptions }
  | { kind: 'facet'; path: string; text?: string; options: QueryOptions }
  | { kind: 'facets'; paths: readonly string[]; text?: string; options: QueryOptions }
) & { started?: MessagePort };

/** What a task computes. */
export type TaskValue = QueryResult | FacetValue[] | PathFacet[];

/** What a task answers. */
export type TaskAnswer =
  | { ok: true; value: TaskValue }
  | { ok: false; error: { code: OcidexError['code']; message: string; details: ErrorDetails } };

/** Runs `task` on `engine`; never throws (a failure is an answer). */
export function runTask(engine: QueryEngine, task: QueryTask): TaskAnswer {
  try {
    if (task.kind === 'query') return { ok: true, value: engine.query(task.text, task.options) };
    if (task.kind === 'facets') return { ok: true, value: engine.facets(task.paths, task.text, task.options) };
    return { ok: true, value: engine.facet(task.path, task.text, task.options) };
  } catch (error) {
    if (isOcidexError(error)) {
      return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
    }
    // A bug, not the query's fault: the API answers 500 without this message and logs it.
    const message = `${(error as Error).name}: ${(error as Error).message}`;
    return { ok: false, error: { code: 'internal', message, details: {} } };
  }
}

/** The value of `answer`, or its error rethrown as an OcidexError. */
export function unwrapAnswer<T extends TaskValue>(answer: TaskAnswer): T {
  if (answer.ok) return answer.value as T;
  throw new OcidexError(answer.error.code, answer.error.message, answer.error.details);
}
