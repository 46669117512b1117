import { afterEach, describe, expect, it, vi } from 'vitest';
import { OcidexError } from '../../../src/domain/errors.js';
import {
  ADMIN_TOKEN,
  type ApiFixture,
  apiFixture,
  bearer,
  body,
  errorOf,
  EVENT_SECRET,
  READ_TOKEN,
} from './support.js';

let fixture: ApiFixture;
afterEach(() => fixture.cleanup());

describe('errors', () => {
  it('answers an unknown route with 404 in the error shape', async () => {
    fixture = apiFixture();
    const response = await fixture.app.request('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'no route GET /v1/nothing-here' });
  });

  it('answers an unexpected error with a generic 500 that leaks nothing, and logs it', async () => {
    fixture = apiFixture();
    fixture.registries.failWith = new Error('ENOENT: /etc/ocidex/registries.yaml password=hunter2');
    const response = await fixture.app.request('/v1/registries');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('/etc/ocidex');
    expect(fixture.logger.entries).toHaveLength(1);
    expect(fixture.logger.entries[0]?.fields).toMatchObject({ method: 'GET', path: '/v1/registries', status: 500 });
  });

  it.each([
    [new OcidexError('internal', 'index error: /var/lib/ocidex/index.db is malformed'), 500, 'internal error'],
    [
      new OcidexError('timeout', 'index busy: SQLITE_BUSY /var/lib/ocidex/index.db'),
      503,
      'the server did not finish the request in time; try again later',
    ],
    [
      new OcidexError('index_unavailable', 'the index database postgres://ocidex@db:5432/ocidex is unavailable'),
      503,
      'the index database cannot be reached or written now; try again later',
    ],
  ])('answers a server-side OcidexError with a fixed message (%s)', async (error, status, message) => {
    fixture = apiFixture();
    fixture.registries.failWith = error;
    const response = await fixture.app.request('/v1/registries');
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toEqual({ code: error.code, message });
  });

  it('does not log client errors or the Authorization header', async () => {
    fixture = apiFixture();
    await fixture.app.request('/v1/registries/local/crawl', { method: 'POST', headers: bearer('wrong-secret-token') });
    await fixture.app.request('/v1/models?limit=0');
    expect(fixture.logger.entries).toEqual([]);
    fixture.registries.failWith = new Error('boom');
    await fixture.app.request('/v1/registries/local/crawl', { method: 'POST', headers: bearer(ADMIN_TOKEN) });
    expect(JSON.stringify(fixture.logger.entries)).not.toContain(ADMIN_TOKEN);
  });

  it('answers a request over its time limit with 503 timeout and Retry-After', async () => {
    fixture = apiFixture({ requestTimeoutMs: 50 });
    fixture.registries.hang = true;
    const response = await fixture.app.request('/v1/registries/local');
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('1');
    expect((await errorOf(response)).code).toBe('timeout');
  });

  it('answers an oversize body with 413 before the handler runs', async () => {
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, maxBodyBytes: 100 });
    const payload = JSON.stringify({ id: 'big', url: 'r.example.com', include: ['x'.repeat(200)] });
    const response = await fixture.app.request('/v1/registries', {
      method: 'POST',
      headers: bearer(ADMIN_TOKEN, true),
      body: payload,
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('size_exceeds_limit');
    expect(fixture.registries.configs.has('big')).toBe(false);
  });

  it('applies the body limit to events too', async () => {
    fixture = apiFixture({ eventSecret: EVENT_SECRET, maxBodyBytes: 64 });
    const response = await fixture.app.request('/v1/events/distribution', {
      method: 'POST',
      headers: { ...bearer(EVENT_SECRET), 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [{ action: 'pull', padding: 'x'.repeat(100) }] }),
    });
    expect(response.status).toBe(413);
  });
});

describe('read authorization', () => {
  it('leaves reads open without a read token', async () => {
    fixture = apiFixture({ adminToken: ADMIN_TOKEN });
    expect((await fixture.app.request('/v1/models')).status).toBe(200);
    expect((await fixture.app.request('/v1/models', { headers: bearer('whatever') })).status).toBe(200);
  });

  it('needs the read or admin token when a read token is set', async () => {
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN });
    for (const headers of [{}, bearer('wrong-token'), bearer(`${READ_TOKEN}x`)]) {
      const response = await fixture.app.request('/v1/models', { headers });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    expect((await fixture.app.request('/v1/models', { headers: bearer(READ_TOKEN) })).status).toBe(200);
    expect((await fixture.app.request('/v1/registries', { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('keeps probes, metrics and docs open when a read token is set', async () => {
    fixture = apiFixture({ readToken: READ_TOKEN });
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
      expect((await fixture.app.request(path)).status, path).toBe(200);
    }
  });
});

describe('CORS', () => {
  const origin = 'https://catalog.example.com';

  it('answers a preflight from an allowed origin without authentication', async () => {
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN, cors: { origins: [origin] } });
    const response = await fixture.app.request('/v1/registries', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
  });

  it('sets the allowed origin on responses, errors included, and not for other origins', async () => {
    fixture = apiFixture({ readToken: READ_TOKEN, cors: { origins: [origin] } });
    const ok = await fixture.app.request('/v1/models', { headers: { Origin: origin, ...bearer(READ_TOKEN) } });
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    const denied = await fixture.app.request('/v1/models', { headers: { Origin: origin } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    const crawl = await fixture.app.request('/v1/registries/local/crawl', {
      method: 'POST',
      headers: { Origin: origin, ...bearer(ADMIN_TOKEN) },
    });
    expect(crawl.status).toBe(403);
    expect(crawl.headers.get('Access-Control-Expose-Headers')).toContain('Location');
    const foreign = await fixture.app.request('/v1/models', {
      headers: { Origin: 'https://evil.example.com', ...bearer(READ_TOKEN) },
    });
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('sends no CORS headers when not configured', async () => {
    fixture = apiFixture();
    const response = await fixture.app.request('/v1/models', { headers: { Origin: origin } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('metrics', () => {
  it('records query latency by outcome', async () => {
    fixture = apiFixture();
    const observe = vi.spyOn(fixture.deps.metrics, 'observeQuery');
    await fixture.app.request('/v1/models');
    await fixture.app.request('/v1/models?q=%24%5B');
    expect(observe.mock.calls.map(([, outcome]) => outcome)).toEqual(['ok', 'invalid']);
    const text = await (await fixture.app.request('/metrics')).text();
    expect(text).toMatch(/ocidex_query_duration_seconds_count\{outcome="ok"\} 1/);
    expect(text).toMatch(/ocidex_query_duration_seconds_count\{outcome="invalid"\} 1/);
    expect(await body(await fixture.app.request('/healthz'))).toEqual({ status: 'ok' });
  });
});
