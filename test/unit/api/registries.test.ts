import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ApiFixture, apiFixture, bearer, body, errorOf, READ_TOKEN, REGISTRY } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const admin = bearer(ADMIN_TOKEN, true);
const send = (method: string, path: string, payload?: unknown, headers: Record<string, string> = admin) =>
  fixture.app.request(path, { method, headers, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) });

const REMOTE = {
  id: 'remote',
  url: 'https://registry.example.com',
  credentials: { usernameEnv: 'OCIDEX_CRED_REMOTE_USER', passwordEnv: 'OCIDEX_CRED_REMOTE_PASSWORD' },
  include: ['models/**'],
  schedule: '0 */6 * * *',
  concurrency: 4,
  rateLimit: 20,
};

describe('/v1/registries', () => {
  it('lists and reads registries with env-var names only', async () => {
    const list = await body(await fixture.app.request('/v1/registries'));
    expect(list.items).toEqual([
      { id: 'local', url: `http://${REGISTRY}`, credentials: { passwordEnv: 'OCIDEX_CRED_LOCAL_PASSWORD' } },
    ]);
    const one = await body(await fixture.app.request('/v1/registries/local'));
    expect(one.id).toBe('local');
  });

  it('never echoes fields a store kept beyond the known ones', async () => {
    const leaky = {
      id: 'leaky',
      url: 'leaky.example.com',
      password: 'hunter2',
      credentials: { passwordEnv: 'P', token: 'hunter2' },
    };
    fixture.registries.configs.set('leaky', leaky as never);
    for (const path of ['/v1/registries', '/v1/registries/leaky']) {
      const text = await (await fixture.app.request(path)).text();
      expect(text).toContain('leaky.example.com');
      expect(text).not.toContain('hunter2');
    }
  });

  it('creates a registry: 201, Location, stored as sent', async () => {
    const response = await send('POST', '/v1/registries', REMOTE);
    expect(response.status).toBe(201);
    expect(response.headers.get('Location')).toBe('/v1/registries/remote');
    expect(await body(response)).toEqual(REMOTE);
    expect(fixture.registries.configs.get('remote')).toEqual(REMOTE);
  });

  it('refuses a duplicate id with 409', async () => {
    const response = await send('POST', '/v1/registries', { id: 'local', url: 'other.example.com' });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('conflict');
  });

  it('refuses a raw password and does not echo it', async () => {
    for (const payload of [
      { ...REMOTE, password: 'hunter2-secret' },
      { ...REMOTE, credentials: { usernameEnv: 'U', password: 'hunter2-secret' } },
    ]) {
      const response = await send('POST', '/v1/registries', payload);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain('passwordEnv');
      expect(text).not.toContain('hunter2');
    }
    expect(fixture.registries.configs.has('remote')).toBe(false);
  });

  it('refuses credentials in the url without echoing them', async () => {
    const response = await send('POST', '/v1/registries', {
      id: 'x',
      url: 'https://user:hunter2@registry.example.com',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('body.url');
    expect(text).not.toContain('hunter2');
  });

  it.each([
    [{ id: 'Bad_Id', url: 'r.example.com' }, 'body.id'],
    [{ id: 'ok', url: 'r.example.com/some/path' }, 'body.url'],
    [{ id: 'ok', url: 'r.example.com', schedule: 'every hour' }, 'body.schedule'],
    [{ id: 'ok', url: 'r.example.com', concurrency: 0 }, 'body.concurrency'],
    [{ id: 'ok', url: 'r.example.com', colour: 'blue' }, 'unknown field(s): colour'],
    [{ id: 'ok', url: 'r.example.com', credentials: { passwordEnv: 'has spaces' } }, 'body.credentials.passwordEnv'],
  ])('validates %j', async (payload, expected) => {
    const response = await send('POST', '/v1/registries', payload);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain(expected);
  });

  it('patches as a merge patch: null removes a field', async () => {
    await send('POST', '/v1/registries', REMOTE);
    const response = await send('PATCH', '/v1/registries/remote', { concurrency: 2, schedule: null, include: null });
    expect(response.status).toBe(200);
    const updated = await body(response);
    expect(updated).toMatchObject({ id: 'remote', concurrency: 2, rateLimit: 20 });
    expect(updated).not.toHaveProperty('include');
    expect(updated).not.toHaveProperty('schedule');
  });

  it('refuses to patch the id or a password', async () => {
    expect((await send('PATCH', '/v1/registries/local', { id: 'other' })).status).toBe(400);
    const response = await send('PATCH', '/v1/registries/local', { credentials: { password: 'hunter2' } });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('hunter2');
  });

  it('deletes a registry: 204, then 404', async () => {
    const response = await send('DELETE', '/v1/registries/local');
    expect(response.status).toBe(204);
    expect(fixture.registries.configs.has('local')).toBe(false);
    expect((await send('DELETE', '/v1/registries/local')).status).toBe(404);
  });

  it('answers an unknown registry with 404 everywhere', async () => {
    for (const [method, path, payload] of [
      ['GET', '/v1/registries/nope', undefined],
      ['PATCH', '/v1/registries/nope', { concurrency: 1 }],
      ['POST', '/v1/registries/nope/crawl', undefined],
    ] as const) {
      const response = await send(method, path, payload);
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toEqual({ code: 'not_found', message: "no registry 'nope'" });
    }
    expect(fixture.coordinator.calls).toEqual([]);
  });

  it('starts a crawl: 202 with its id and Location', async () => {
    const response = await send('POST', '/v1/registries/local/crawl');
    expect(response.status).toBe(202);
    const { crawlId } = await body(response);
    expect(fixture.coordinator.calls).toEqual([{ registryId: 'local', trigger: 'api' }]);
    expect(response.headers.get('Location')).toBe(`/v1/crawls/${crawlId}`);
    expect(fixture.index.getRun(crawlId)?.status).toBe('running');
  });

  it('answers malformed JSON with 400 in the error shape', async () => {
    const response = await fixture.app.request('/v1/registries', {
      method: 'POST',
      headers: admin,
      body: '{"id": "x",',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_argument');
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await fixture.app.request('/v1/registries', {
      method: 'POST',
      headers: { ...bearer(ADMIN_TOKEN), 'Content-Type': 'text/plain' },
      body: 'id=x',
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });
});

describe('write authorization', () => {
  const attempt = (headers: Record<string, string>) => send('POST', '/v1/registries/local/crawl', undefined, headers);

  it('needs the admin token: none or wrong -> 401 with WWW-Authenticate', async () => {
    for (const headers of [{}, bearer('wrong-token'), { Authorization: ADMIN_TOKEN }]) {
      const response = await attempt(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toContain('Bearer');
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    expect(fixture.coordinator.calls).toEqual([]);
  });

  it('refuses the read token with 403', async () => {
    fixture.cleanup();
    fixture = apiFixture({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN });
    const response = await attempt(bearer(READ_TOKEN));
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
    expect((await attempt(bearer(ADMIN_TOKEN))).status).toBe(202);
  });

  it('refuses every write when no admin token is configured, saying how to enable them', async () => {
    fixture.cleanup();
    fixture = apiFixture({});
    for (const [method, path] of [
      ['POST', '/v1/registries'],
      ['PATCH', '/v1/registries/local'],
      ['DELETE', '/v1/registries/local'],
      ['POST', '/v1/registries/local/crawl'],
    ]) {
      const response = await send(method!, path!, {}, bearer('anything', true));
      expect(response.status).toBe(403);
      expect((await errorOf(response)).message).toContain('OCIDEX_ADMIN_TOKEN');
    }
    expect(fixture.registries.configs.has('local')).toBe(true);
  });
});
