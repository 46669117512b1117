import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, body, errorOf, LLAMA, MISTRAL } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const get = (path: string) => fixture.app.request(path);
const references = (page: { items: Array<{ reference: string }> }) => page.items.map((item) => item.reference);

/** The cursor's wire object (opaque to clients; tests forge the cursors older or other versions made). */
const wireOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const cursorOf = (wire: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(wire)).toString('base64url'));

/** The first page (one item) of a search for `safetensors`, which LLAMA and MISTRAL match. */
async function firstRankedPage(): Promise<{ items: Array<{ reference: string }>; nextCursor: string }> {
  const page = await body(await get('/v1/models?text=safetensors&limit=1'));
  expect(page.nextCursor).toEqual(expect.any(String));
  return page;
}

describe('cursors of text searches ranked by relevance', () => {
  it('page through the ranked results with the cursor they made', async () => {
    const first = await firstRankedPage();
    const second = await body(
      await get(`/v1/models?text=safetensors&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`),
    );
    expect([...references(first), ...references(second)].sort()).toEqual([LLAMA.reference, MISTRAL.reference].sort());
    expect(second.nextCursor).toBeNull();
    expect(wireOf(first.nextCursor).b).toBe('bm25');
  });

  it('refuse a cursor made in reference order (before ranking) with 400 naming both orders', async () => {
    const wire = wireOf((await firstRankedPage()).nextCursor);
    const response = await get(
      `/v1/models?text=safetensors&limit=1&cursor=${cursorOf({ ...wire, b: undefined, k: null })}`,
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/made for results in reference \(or sort\) order.*text relevance order \(bm25\)/);
  });

  it('refuse a cursor of another ranking source', async () => {
    const wire = wireOf((await firstRankedPage()).nextCursor);
    const response = await get(`/v1/models?text=safetensors&limit=1&cursor=${cursorOf({ ...wire, b: 'ts_rank' })}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('text relevance order (ts_rank)');
  });

  it('refuse a ranked cursor where results are in reference order', async () => {
    const first = await body(await get('/v1/models?limit=1'));
    const response = await get(`/v1/models?limit=1&cursor=${cursorOf({ ...wireOf(first.nextCursor), b: 'bm25' })}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/made for results in text relevance order \(bm25\).*reference/);
  });

  it.each([
    ['another text', 'text=8b&limit=1'],
    ['another q', `text=safetensors&limit=1&q=${encodeURIComponent("$[?@.kind == 'model']")}`],
    ['a sort', 'text=safetensors&limit=1&sort=%40.size'],
    ['descending order', 'text=safetensors&limit=1&order=desc'],
    ['another dialect', 'text=safetensors&limit=1&dialect=jsonpath-plus'],
  ])('refuse a cursor used with %s with 400', async (_, query) => {
    const { nextCursor } = await firstRankedPage();
    const response = await get(`/v1/models?${query}&cursor=${encodeURIComponent(nextCursor)}`);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('cursor belongs to another query, text, dialect, sort or order');
  });
});
