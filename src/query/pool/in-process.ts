/**
 * The query service over an engine in this thread: for the CLI and API tests, where blocking the
 * event loop does not matter. Same tasks, same answers as the worker pool.
 */
import type { QueryEngine } from '../query-engine.js';
import type { FacetValue, PathFacet, QueryOptions, QueryResult, QueryService } from '../types.js';
import { runTask, unwrapAnswer } from './task.js';

/** A QueryService running each task on `engine`, synchronously, without admission limits. */
export class InProcessQueries implements QueryService {
  constructor(readonly engine: QueryEngine) {}

  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    return unwrapAnswer<QueryResult>(runTask(this.engine, { kind: 'query', text, options }));
  }

  async facet(path: string, text?: string, options: QueryOptions = {}): Promise<FacetValue[]> {
    return unwrapAnswer<FacetValue[]>(runTask(this.engine, { kind: 'facet', path, text, options }));
  }

  async facets(paths: readonly string[], text?: string, options: QueryOptions = {}): Promise<PathFacet[]> {
    return unwrapAnswer<PathFacet[]>(runTask(this.engine, { kind: 'facets', paths, text, options }));
  }

  async close(): Promise<void> {}
}
