import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCrawl, modelDocument } from '../store/fixtures.js';
import { type ApiFixture, apiFixture, body, errorOf, LLAMA, MISTRAL } from './support.js';

const QWEN = modelDocument('qwen', { model: { ...modelDocument('qwen').model!, family: 'qwen' } });
const moveLatestToQwen = () =>
  applyCrawl(fixture.index, { tags: { v1: LLAMA, latest: QWEN }, at: '2025-03-03T10:00:00.000Z' });

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const get = (path: string) => fixture.app.request(path);
const references = (page: { items: Array<{ reference: string }> }) => page.items.map((item) => item.reference);
const encoded = (text: string) => encodeURIComponent(text);

describe('GET /v1/models?text=', () => {
  it('finds documents by a word of their family, name or tags, as prefixes', async () => {
    expect(references(await body(await get('/v1/models?text=mistr')))).toEqual([MISTRAL.reference]);
    expect(references(await body(await get('/v1/models?text=latest')))).toEqual([MISTRAL.reference]);
    expect(references(await body(await get('/v1/models?text=llama%20v1')))).toEqual([LLAMA.reference]);
  });

  it('requires every word', async () => {
    expect(references(await body(await get('/v1/models?text=mistral%20nonexistentword')))).toEqual([]);
  });

  it('combines with q in the rfc9535 dialect', async () => {
    const q = encoded("$[?@.model.license == 'Apache-2.0']");
    expect(references(await body(await get(`/v1/models?text=mistral&q=${q}`)))).toEqual([]);
    expect(references(await body(await get(`/v1/models?text=llama&q=${q}`)))).toEqual([LLAMA.reference]);
  });

  it('combines with q in the jsonpath-plus dialect', async () => {
    const q = encoded("$[?(@.model.license === 'MIT')]");
    const page = await body(await get(`/v1/models?text=mistral&dialect=jsonpath-plus&q=${q}`));
    expect(references(page)).toEqual([MISTRAL.reference]);
  });

  it('treats FTS5 syntax as plain words (quotes, stars, operators cannot break the expression)', async () => {
    const page = await body(await get(`/v1/models?text=${encoded('"mistral" OR* NEAR(')}`));
    expect(references(page)).toEqual([]);
    const words = await body(await get(`/v1/models?text=${encoded('mistral*')}`));
    expect(references(words)).toEqual([MISTRAL.reference]);
  });

  it('answers text with no letters or digits with 400 invalid_argument', async () => {
    const response = await get(`/v1/models?text=${encoded('*** ""')}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_argument');
  });

  it('follows writes: a tag moved to another document is found on the new one, a removed document is gone', async () => {
    expect(references(await body(await get('/v1/models?text=latest')))).toEqual([MISTRAL.reference]);
    moveLatestToQwen();
    expect(references(await body(await get('/v1/models?text=latest')))).toEqual([QWEN.reference]);
    expect(references(await body(await get('/v1/models?text=mistral')))).toEqual([]);
  });
});

describe('GET /v1/facets with several paths', () => {
  it('answers each path in order, over every document', async () => {
    const response = await get('/v1/facets?path=%40.model.license&path=%40.model.family&path=%40.kind');
    expect(response.status).toBe(200);
    const answer = await body(response);
    expect(answer.facets.map((facet: { path: string }) => facet.path)).toEqual([
      '@.model.license',
      '@.model.family',
      '@.kind',
    ]);
    const family = answer.facets[1].values;
    expect(family).toContainEqual({ value: 'mistral', count: 1 });
    expect(answer.path).toBe('@.model.license');
    expect(answer.values).toEqual(answer.facets[0].values);
  });

  it('counts only the documents text and q match, in both dialects', async () => {
    const text = await body(await get('/v1/facets?path=%40.model.license&path=%40.model.family&text=mistral'));
    expect(text.facets[0].values).toEqual([{ value: 'MIT', count: 1 }]);
    expect(text.facets[1].values).toEqual([{ value: 'mistral', count: 1 }]);
    const rfc = encoded("$[?@.model.license == 'MIT']");
    const plus = encoded("$[?(@.model.license === 'MIT')]");
    const first = await body(await get(`/v1/facets?path=%40.model.family&path=%40.size&q=${rfc}`));
    const second = await body(
      await get(`/v1/facets?path=%40.model.family&path=%40.size&dialect=jsonpath-plus&q=${plus}`),
    );
    expect(first.facets[1].values).toEqual([{ value: MISTRAL.size, count: 1 }]);
    expect(second.facets).toEqual(first.facets);
  });

  it('sees a write after an unfiltered facet was answered (the cache follows the index)', async () => {
    const before = await body(await get('/v1/facets?path=%40.model.family'));
    const mistral = before.values.find((entry: { value: unknown }) => entry.value === 'mistral');
    expect(mistral.count).toBe(1);
    moveLatestToQwen();
    const after = await body(await get('/v1/facets?path=%40.model.family'));
    expect(after.values.find((entry: { value: unknown }) => entry.value === 'mistral')).toBeUndefined();
    expect(after.values).toContainEqual({ value: 'qwen', count: 1 });
  });

  it('refuses more than 16 paths with 400', async () => {
    const response = await get(`/v1/facets?${Array.from({ length: 17 }, (_, i) => `path=%40.p${i}`).join('&')}`);
    expect(response.status).toBe(400);
  });
});
