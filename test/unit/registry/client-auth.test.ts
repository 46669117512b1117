import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/registry/index.js';
import { withAuth } from '../../../src/registry/auth.js';
import { SecretRedactor } from '../../../src/registry/redact.js';
import { withRetry } from '../../../src/registry/retry.js';
import { retryPolicy } from '../../../src/registry/retry-policy.js';
import { createRequestStats } from '../../../src/registry/stats.js';
import { TokenCache } from '../../../src/registry/token-cache.js';
import { createTransport } from '../../../src/registry/transport.js';
import { FakeRegistry, type FakeAuth } from '../../support/fake-registry.js';
import { clientFor, collect, rejectionOf } from './helpers.js';

const PASSWORD = 'hunter2-Very-Secret';
const USER = 'alice';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

let fake: FakeRegistry;
let client: RegistryClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
});

async function start(auth: FakeAuth): Promise<void> {
  fake = await FakeRegistry.start({ auth });
  fake.pushArtifact('models/a', { tag: 'v1', config: { name: 'a' } });
  fake.pushArtifact('models/b', { tag: 'v1', config: { name: 'b' } });
}

describe('bearer tokens', () => {
  it('fetches an anonymous token for the scope of the challenge and sends it', async () => {
    await start({ kind: 'bearer' });
    client = clientFor(fake);
    await client.fetchManifest('models/a', 'v1');
    expect(fake.tokenRequests).toHaveLength(1);
    const token = fake.tokenRequests[0]!;
    expect(token.path).toBe('/token?service=fake-registry&scope=repository%3Amodels%2Fa%3Apull');
    expect(token.headers.authorization).toBeUndefined();
    const [first, second] = fake.requestsTo('/v2/models/a/manifests/v1');
    expect(first!.headers.authorization).toBeUndefined();
    expect(second!.headers.authorization).toMatch(/^Bearer [0-9a-f]{32}$/);
    expect(client.stats.byOperation.token).toBe(1);
    expect(client.stats.byOperation['manifest.get']).toBe(2);
  });

  it('sends Basic credentials to the token endpoint', async () => {
    await start({ kind: 'bearer', username: USER, password: PASSWORD });
    client = clientFor(fake, { credentials: { username: USER, password: PASSWORD } });
    await client.ping();
    expect(fake.tokenRequests[0]!.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(fake.tokenRequests[0]!.path).toBe('/token?service=fake-registry');
  });

  it('fetches exactly one token for many parallel requests with the same scope', async () => {
    await start({ kind: 'bearer' });
    client = clientFor(fake, { concurrency: 16 });
    const results = await Promise.all(Array.from({ length: 12 }, () => client!.fetchManifest('models/a', 'v1')));
    expect(new Set(results.map((result) => result.digest)).size).toBe(1);
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('reuses the token for later requests of the same repository, one per other scope', async () => {
    await start({ kind: 'bearer' });
    client = clientFor(fake);
    await client.fetchManifest('models/a', 'v1');
    await collect(client.listTags('models/a'));
    await client.resolveManifest('models/a', 'v1');
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.requestsTo('/v2/models/a/tags/list')).toHaveLength(1);
    await client.fetchManifest('models/b', 'v1');
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.tokenRequests[1]!.path).toContain('scope=repository%3Amodels%2Fb%3Apull');
  });

  it('fetches a new token when the registry refuses the cached one', async () => {
    await start({ kind: 'bearer' });
    client = clientFor(fake);
    await client.fetchManifest('models/a', 'v1');
    fake.revokeTokens();
    await client.fetchManifest('models/a', 'v1');
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('gives up with unauthorized when a fresh token is refused too (no loop)', async () => {
    await start({ kind: 'bearer' });
    fake.faults.add({
      path: '/v2/models/a/manifests/v1',
      status: 401,
      headers: { 'www-authenticate': fake.bearerChallenge('repository:models/a:pull') },
    });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchManifest('models/a', 'v1'));
    expect(error.code).toBe('unauthorized');
    expect(error.details.status).toBe(401);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.requestsTo('/v2/models/a/manifests/v1')).toHaveLength(2);
  });

  it('reports credentials refused by the token endpoint as unauthorized', async () => {
    await start({ kind: 'bearer', username: USER, password: PASSWORD });
    client = clientFor(fake, { credentials: { username: USER, password: 'wrong-password' } });
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('unauthorized');
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('resolves a relative realm and reads access_token', async () => {
    await start({ kind: 'bearer', realm: 'relative', tokenField: 'access_token' });
    client = clientFor(fake);
    await client.fetchManifest('models/a', 'v1');
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('exchanges an identity token by OAuth2 refresh_token POST', async () => {
    await start({ kind: 'bearer', refreshToken: 'refresh-Secret-1', anonymous: false });
    client = clientFor(fake, { credentials: { identityToken: 'refresh-Secret-1' } });
    await client.fetchManifest('models/a', 'v1');
    const [token] = fake.tokenRequests;
    expect(token!.method).toBe('POST');
    const form = new URLSearchParams(token!.body);
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-Secret-1',
      service: 'fake-registry',
      scope: 'repository:models/a:pull',
    });
  });

  it('sends a registry token as is, without fetching one', async () => {
    await start({ kind: 'none' });
    client = clientFor(fake, { credentials: { registryToken: 'raw-Token-42' } });
    await client.fetchManifest('models/a', 'v1');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer raw-Token-42');
    expect(client.stats.byOperation.token).toBe(0);
  });

  it('fetches a new token once the cached one is about to expire', async () => {
    await start({ kind: 'bearer', expiresIn: 300 });
    let now = Date.now();
    const stats = createRequestStats();
    const dispatcher = new Agent();
    const transport = createTransport({ dispatcher, stats, timeoutMs: 5000, concurrency: 4 });
    const send = withAuth(withRetry(transport, { policy: retryPolicy({ maxAttempts: 1 }), stats }), {
      registryOrigin: fake.url,
      credentials: undefined,
      redactor: new SecretRedactor(),
      cache: new TokenCache(() => now),
    });
    const get = () =>
      send(
        {
          method: 'GET',
          url: new URL('/v2/models/a/tags/list', fake.url),
          operation: 'tags',
          scopes: ['repository:models/a:pull'],
        },
        async (response) => {
          await response.body.dump();
          return response.status;
        },
      );
    expect(await get()).toBe(200);
    now += 200_000;
    expect(await get()).toBe(200);
    expect(fake.tokenRequests).toHaveLength(1);
    now += 95_000;
    expect(await get()).toBe(200);
    expect(fake.tokenRequests).toHaveLength(2);
    await dispatcher.close();
  });
});

describe('basic auth', () => {
  it('answers a Basic challenge, then sends Basic up front', async () => {
    await start({ kind: 'basic', username: USER, password: PASSWORD });
    client = clientFor(fake, { credentials: { username: USER, password: PASSWORD } });
    await client.ping();
    await client.fetchManifest('models/a', 'v1');
    await collect(client.listTags('models/b'));
    expect(fake.requests.map((request) => request.headers.authorization ?? null)).toEqual([
      null,
      `Basic ${BASIC}`,
      `Basic ${BASIC}`,
      `Basic ${BASIC}`,
    ]);
    expect(client.stats.byStatus['401']).toBe(1);
  });

  it('fails with unauthorized on a wrong password, after one answer', async () => {
    await start({ kind: 'basic', username: USER, password: PASSWORD });
    client = clientFor(fake, { credentials: { username: USER, password: 'nope-nope' } });
    expect((await rejectionOf(client.ping())).code).toBe('unauthorized');
    expect(fake.requests).toHaveLength(2);
  });

  it('fails with unauthorized without credentials', async () => {
    await start({ kind: 'basic', username: USER, password: PASSWORD });
    client = clientFor(fake);
    expect((await rejectionOf(client.ping())).code).toBe('unauthorized');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('credentials in errors', () => {
  function expectClean(error: unknown, ...secrets: string[]): void {
    const shown = [String((error as Error).message), String((error as Error).stack), JSON.stringify(error)].join('\n');
    for (const secret of secrets) expect(shown).not.toContain(secret);
  }

  it('never shows a password echoed by the registry', async () => {
    await start({ kind: 'basic', username: USER, password: PASSWORD });
    fake.faults.add({
      path: '/v2/',
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="r"' },
      body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `bad password ${PASSWORD} (${BASIC})` }] }),
    });
    client = clientFor(fake, { credentials: { username: USER, password: PASSWORD } });
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('bad password [redacted]');
    expectClean(error, PASSWORD, BASIC);
  });

  it('never shows identity or registry tokens, nor issued tokens', async () => {
    await start({ kind: 'bearer', refreshToken: 'refresh-Secret-2', anonymous: false });
    client = clientFor(fake, { credentials: { identityToken: 'refresh-Secret-2' } });
    await client.fetchManifest('models/a', 'v1');
    const issued = String(fake.requestsTo('/v2/models/a/manifests/v1')[1]!.headers.authorization).slice(
      'Bearer '.length,
    );
    fake.faults.add({
      path: '/v2/models/a/manifests/v1',
      status: 403,
      body: JSON.stringify({ errors: [{ code: 'DENIED', message: `token ${issued} from refresh-Secret-2 denied` }] }),
    });
    const error = await rejectionOf(client.fetchManifest('models/a', 'v1'));
    expect(error.code).toBe('denied');
    expectClean(error, 'refresh-Secret-2', issued);
  });

  it('never shows a registry token', async () => {
    await start({ kind: 'none' });
    fake.faults.add({
      path: '/v2/',
      status: 401,
      body: '{"errors":[{"code":"UNAUTHORIZED","message":"raw-Token-43 expired"}]}',
    });
    client = clientFor(fake, { credentials: { registryToken: 'raw-Token-43' } });
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('unauthorized');
    expectClean(error, 'raw-Token-43');
  });

  it('never shows userinfo of a registry name', () => {
    let error: unknown;
    try {
      new RegistryClient({ registry: `https://${USER}:${PASSWORD}@registry.example`, dockerConfigPath: null });
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).toBe('invalid_reference');
    expectClean(error, PASSWORD);
  });
});
