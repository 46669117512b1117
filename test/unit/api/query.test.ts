import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAGE_SIZE } from '../../../src/api/index.js';
import { OcidexError } from '../../../src/domain/errors.js';
import { type ApiFixture, apiFixture, body, errorOf, LLAMA, MISTRAL } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const get = (path: string) => fixture.app.request(path);

describe('GET /v1/models', () => {
  it('returns every document by default, ordered by reference', async () => {
    const response = await get('/v1/models');
    expect(response.status).toBe(200);
    const page = await body(response);
    const expected = [LLAMA.reference, MISTRAL.reference].sort();
    expect(page.items.map((item: { reference: string }) => item.reference)).toEqual(expected);
    expect(page.nextCursor).toBeNull();
    expect(page.total).toBe(2);
    expect(page).not.toHaveProperty('plan');
  });

  it('pages by DEFAULT_PAGE_SIZE when no limit is given', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    await get('/v1/models');
    await get('/v1/models?limit=7');
    expect(query.mock.calls.map(([, options]) => options?.limit)).toEqual([DEFAULT_PAGE_SIZE, 7]);
  });

  it('filters with q and selects values', async () => {
    const q = encodeURIComponent("$[?@.model.license == 'MIT'].model.name");
    const page = await body(await get(`/v1/models?q=${q}`));
    expect(page.items).toEqual(['mistral']);
  });

  it('sorts and pages with limit and cursor', async () => {
    const first = await body(await get('/v1/models?q=%24%5B*%5D.size&sort=%40.size&order=desc&limit=1'));
    expect(first.items).toEqual([MISTRAL.size]);
    expect(typeof first.nextCursor).toBe('string');
    const cursor = encodeURIComponent(first.nextCursor);
    const second = await body(
      await get(`/v1/models?q=%24%5B*%5D.size&sort=%40.size&order=desc&limit=1&cursor=${cursor}`),
    );
    expect(second.items).toEqual([LLAMA.size]);
    expect(second.nextCursor).toBeNull();
  });

  it('runs the jsonpath-plus dialect', async () => {
    const q = encodeURIComponent("$[?(@.model.license === 'MIT')].model.name");
    const page = await body(await get(`/v1/models?q=${q}&dialect=jsonpath-plus`));
    expect(page.items).toEqual(['mistral']);
  });

  it('answers an invalid query with 400 invalid_query and its position', async () => {
    const response = await get(`/v1/models?q=${encodeURIComponent('$[?@.size >]')}`);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_query');
    expect(typeof error.position).toBe('number');
    expect(error.position).toBeGreaterThan(0);
  });

  it('rejects an over-long query before the engine parses it', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    const q = `$[?@.reference == '${'x'.repeat(5000)}']`;
    const response = await get(`/v1/models?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_query');
    expect(error.message).toContain('longer than 4096');
    expect(query).not.toHaveBeenCalled();
  });

  it('honours a configured maxQueryLength', async () => {
    fixture.cleanup();
    fixture = apiFixture({ maxQueryLength: 10 });
    expect((await get('/v1/models?q=%24%5B*%5D')).status).toBe(200);
    const error = await errorOf(await get(`/v1/models?q=${encodeURIComponent('$[*].reference')}`));
    expect(error).toMatchObject({ code: 'invalid_query', position: 10 });
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['order=sideways', 'query.order'],
    ['dialect=xpath', 'query.dialect'],
  ])('answers bad parameter %s with 400 naming it', async (parameter, name) => {
    const response = await get(`/v1/models?${parameter}`);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain(name);
  });

  it('answers a cursor of another query with 400', async () => {
    const first = await body(await get('/v1/models?limit=1'));
    const response = await get(`/v1/models?q=%24%5B*%5D.size&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_argument');
  });

  it.each([
    ['query_timeout', 'query exceeded its time budget of 5000 ms'],
    ['result_too_large', 'result has more than 10000 items'],
  ] as const)('maps %s to 422 with its message', async (code, message) => {
    vi.spyOn(fixture.deps.queries, 'query').mockImplementation(() => {
      throw new OcidexError(code, message);
    });
    const response = await get('/v1/models');
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toEqual({ code, message });
  });
});

describe('GET /v1/facets', () => {
  it('counts values at a path', async () => {
    const result = await body(await get('/v1/facets?path=%40.model.license'));
    expect(result.path).toBe('@.model.license');
    expect(result.values).toEqual(
      expect.arrayContaining([
        { value: 'Apache-2.0', count: 1 },
        { value: 'MIT', count: 1 },
      ]),
    );
    expect(result.values).toHaveLength(2);
  });

  it('restricts to the documents q matches', async () => {
    const q = encodeURIComponent("$[?@.model.license == 'MIT']");
    const result = await body(await get(`/v1/facets?path=%40.model.family&q=${q}`));
    expect(result.values).toEqual([{ value: 'mistral', count: 1 }]);
  });

  it('needs a path', async () => {
    const response = await get('/v1/facets');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('query.path');
  });

  it('answers an invalid facet path with 400', async () => {
    const response = await get('/v1/facets?path=model..license%5B');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toMatch(/^invalid_/);
  });
});

describe('/v1/queries', () => {
  it('lists saved queries without their server-side file', async () => {
    const result = await body(await get('/v1/queries'));
    expect(result.items.map((query: { name: string }) => query.name)).toEqual(['mit-models', 'by-size']);
    expect(JSON.stringify(result)).not.toContain('/srv/ocidex');
  });

  it('returns one saved query', async () => {
    const result = await body(await get('/v1/queries/by-size'));
    expect(result).toEqual({
      name: 'by-size',
      description: 'Every document, largest first',
      query: '$[*].reference',
      dialect: 'rfc9535',
      sort: '@.size',
      order: 'desc',
    });
  });

  it('runs a saved query with its own sort and order, paged', async () => {
    const first = await body(await get('/v1/queries/by-size/results?limit=1'));
    expect(first.items).toEqual([MISTRAL.reference]);
    const next = await body(
      await get(`/v1/queries/by-size/results?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`),
    );
    expect(next.items).toEqual([LLAMA.reference]);
    const mit = await body(await get('/v1/queries/mit-models/results'));
    expect(mit.items.map((item: { digest: string }) => item.digest)).toEqual([MISTRAL.digest]);
  });

  it('answers an unknown saved query with 404', async () => {
    for (const path of ['/v1/queries/nope', '/v1/queries/nope/results']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toEqual({ code: 'not_found', message: "no saved query 'nope'" });
    }
  });
});
