/**
 * The API's side of the query pool: which client a query counts against (a token only when a
 * read token makes every token a checked one), and how a refusal is answered: 503 `overloaded`
 * with Retry-After in the error shape, counted in /metrics, not logged as a server error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/index.js';
import { OcidexError } from '../../../src/domain/errors.js';
import type { FacetValue, PathFacet, QueryContext, QueryResult, QueryService } from '../../../src/query/index.js';
import { queryPoolSettingsFromEnv } from '../../../src/query/index.js';
import { type ApiFixture, apiFixture, bearer, errorOf, READ_TOKEN } from './support.js';

const EMPTY_PLAN = { indexed: false, candidates: 0 };

/** A query service that records the client of each call and answers `answer`. */
class RecordingQueries implements QueryService {
  readonly clients: Array<string | undefined> = [];
  answer: () => Promise<QueryResult> = async () => ({ items: [], nextCursor: null, plan: EMPTY_PLAN });

  query(_text: string, _options?: object, context?: QueryContext): Promise<QueryResult> {
    this.clients.push(context?.client);
    return this.answer();
  }
  async facet(_path: string, _text?: string, _options?: object, context?: QueryContext): Promise<FacetValue[]> {
    this.clients.push(context?.client);
    return [];
  }
  async facets(
    _paths: readonly string[],
    _text?: string,
    _options?: object,
    context?: QueryContext,
  ): Promise<PathFacet[]> {
    this.clients.push(context?.client);
    return [];
  }
  async close(): Promise<void> {}
}

let fixture: ApiFixture;
let queries: RecordingQueries;
beforeEach(() => {
  fixture = apiFixture();
  queries = new RecordingQueries();
});
afterEach(() => fixture.cleanup());

const appWith = (config = fixture.deps.config) => createApp({ ...fixture.deps, config, queries });

describe('the client of a query', () => {
  it('is the token (hashed) when a read token is configured, never the token itself', async () => {
    const app = appWith({ ...fixture.deps.config, readToken: READ_TOKEN });
    await app.request('/v1/models', { headers: bearer(READ_TOKEN) });
    await app.request('/v1/facets?path=%40.size', { headers: bearer(READ_TOKEN) });
    const [first, second] = queries.clients;
    expect(first).toMatch(/^token:[0-9a-f]{32}$/);
    expect(second).toBe(first);
    expect(first).not.toContain(READ_TOKEN);
  });

  it('is the remote address when reads are open, whatever token is sent (a fresh token escapes nothing)', async () => {
    const app = appWith();
    await app.request('/v1/models', { headers: bearer('made-up-1') });
    await app.request('/v1/queries/mit-models/results', { headers: bearer('made-up-2') });
    expect(queries.clients).toEqual(['address:unknown', 'address:unknown']);
  });
});

describe('a refused query', () => {
  it('is 503 overloaded with Retry-After from the hint, in the error shape, counted and not logged', async () => {
    queries.answer = async () => {
      throw new OcidexError('overloaded', 'queue full', { retryAfterMs: 2_500 });
    };
    const app = appWith();
    const response = await app.request('/v1/models');
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('3');
    expect(await errorOf(response)).toEqual({ code: 'overloaded', message: expect.stringContaining('Retry-After') });
    expect(fixture.logger.entries).toEqual([]);
    expect(await fixture.deps.metrics.text()).toMatch(/ocidex_query_duration_seconds_count\{outcome="overloaded"\} 1/);
  });
});

describe('pool settings from the environment', () => {
  it('reads the four variables and ignores empty ones', () => {
    const env = {
      OCIDEX_QUERY_WORKERS: '3',
      OCIDEX_QUERY_QUEUE: '10',
      OCIDEX_QUERY_PER_CLIENT: '',
      OCIDEX_QUERY_WORKERS_PER_CLIENT: '2',
    };
    expect(queryPoolSettingsFromEnv(env)).toEqual({ workers: 3, maxQueued: 10, workersPerClient: 2 });
  });

  it.each(['0', '-1', '2.5', 'many'])('refuses %s, naming the variable', (value) => {
    const read = () => queryPoolSettingsFromEnv({ OCIDEX_QUERY_QUEUE: value });
    expect(read).toThrow(/OCIDEX_QUERY_QUEUE must be a positive integer/);
  });
});
