/**
 * Findings 3 and 5 of issue 11 against the in-process fake registry: a registry echoing the
 * `Authorization` header in an error body, redirects and realms pointing at cloud metadata
 * addresses, and an https registry sending credentials to a plain-http token realm.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCollector, MAX_STORED_MESSAGE_CHARS } from '../../../src/crawl/error-collector.js';
import { mayCarryCredentials, withAuth } from '../../../src/registry/auth.js';
import { withRedirects } from '../../../src/registry/redirect.js';
import { EgressGuard, egressPolicyFromEnv } from '../../../src/registry/egress.js';
import type { RegistryRequest, RegistryResponse, Send } from '../../../src/registry/exchange.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { SecretRedactor } from '../../../src/registry/redact.js';
import { FakeRegistry } from '../../support/fake-registry.js';
import { clientFor, rejectionOf } from '../registry/helpers.js';

const USER = 'alice';
const PASSWORD = 'correct-horse-battery-staple-42';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const PASSWORD_BASE64 = Buffer.from(PASSWORD).toString('base64');

/** Every 8-character piece of `secret`. */
function pieces(secret: string): string[] {
  return Array.from({ length: secret.length - 7 }, (_, start) => secret.slice(start, start + 8));
}

/** The parsed manifest `models/a:v1` of `registry`, read with a client of its own. */
async function manifestOf(registry: FakeRegistry): Promise<unknown> {
  const reader = clientFor(registry);
  try {
    return JSON.parse(Buffer.from((await reader.fetchManifest('models/a', 'v1')).bytes).toString('utf8'));
  } finally {
    await reader.close();
  }
}

let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

describe('a registry echoing the Authorization header (finding 3)', () => {
  it('regression: the echoed Basic credential was cut to 200 characters before redaction and leaked', async () => {
    fake = await FakeRegistry.start({ auth: { kind: 'basic', username: USER, password: PASSWORD } });
    fake.pushArtifact('models/a', { tag: 'v1', config: { name: 'a' } });
    // 190 characters of padding put the base64 credential across the old 200-character cut.
    const echoed = `${'x'.repeat(190)} Authorization: Basic ${BASIC} and the password as base64 ${PASSWORD_BASE64}`;
    const body = JSON.stringify({
      errors: [{ code: 'BAD_REQUEST', message: echoed, detail: { authorization: BASIC } }],
    });
    fake.faults.add({
      path: '/v2/models/a/manifests/v1',
      status: 400,
      headers: { 'content-type': 'application/json' },
      body,
    });
    client = clientFor(fake, { credentials: { username: USER, password: PASSWORD } });
    const error = await rejectionOf(client.fetchManifest('models/a', 'v1'));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('[redacted]');
    const shown = `${error.message} ${JSON.stringify(error.details)} ${String(error.cause ?? '')}`;
    for (const secret of [PASSWORD, BASIC, PASSWORD_BASE64]) {
      for (const piece of pieces(secret)) expect(shown).not.toContain(piece);
    }
  });

  it('removes every run of text made of 8-character pieces of a secret, and keeps the rest', () => {
    const redactor = new SecretRedactor();
    redactor.add(BASIC);
    const cut = BASIC.slice(3, 20);
    expect(redactor.redact(`before ${cut} after`)).toBe('before [redacted] after');
    expect(redactor.redact('nothing secret here')).toBe('nothing secret here');
  });
});

describe('crawl errors anyone may read (finding 5)', () => {
  it('are stored with their code and a message cut to a short length', () => {
    const errors = new ErrorCollector('r.example');
    errors.addCode('models/a', 'v1', 'bad_response', `HTTP 400 ${'body '.repeat(1000)}`);
    const [stored] = errors.drain();
    expect(stored?.code).toBe('bad_response');
    expect(stored?.message.length).toBe(MAX_STORED_MESSAGE_CHARS + 1);
  });
});

describe('the egress policy (finding 5)', () => {
  it('refuses link-local and metadata addresses by default, allows loopback and private ranges', () => {
    const guard = new EgressGuard();
    for (const address of [
      '169.254.169.254',
      'fd00:ec2::254',
      '100.100.100.200',
      'fe80::1',
      '::ffff:169.254.169.254',
    ]) {
      expect(guard.refusal(address), address).not.toBeNull();
    }
    for (const address of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '172.16.0.1', '8.8.8.8']) {
      expect(guard.refusal(address), address).toBeNull();
    }
  });

  it('takes the operator allow and deny lists from the environment; deny wins', () => {
    const policy = egressPolicyFromEnv({
      OCIDEX_EGRESS_ALLOW: '169.254.10.0/24',
      OCIDEX_EGRESS_DENY: '10.0.0.0/8, 169.254.10.5',
    });
    const guard = new EgressGuard(policy);
    expect(guard.refusal('169.254.10.9')).toBeNull();
    expect(guard.refusal('169.254.10.5')).toMatch(/OCIDEX_EGRESS_DENY/);
    expect(guard.refusal('10.9.9.9')).toMatch(/OCIDEX_EGRESS_DENY/);
    expect(() => egressPolicyFromEnv({ OCIDEX_EGRESS_DENY: 'not-a-cidr' })).toThrow(/OCIDEX_EGRESS_DENY.*not-a-cidr/);
  });

  it('regression: a blob redirect to 169.254.169.254 was followed; it is refused before connecting', async () => {
    fake = await FakeRegistry.start();
    fake.pushArtifact('models/a', { tag: 'v1', config: { name: 'a' } });
    const { config } = (await manifestOf(fake)) as { config: { digest: string; size: number } };
    fake.faults.add({
      path: `/v2/models/a/blobs/${config.digest}`,
      status: 307,
      headers: { location: 'http://169.254.169.254/latest/meta-data/' },
    });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchBlob('models/a', config));
    expect(error.code).toBe('egress_denied');
    expect(error.message).toMatch(/169\.254\.169\.254 is a link-local or cloud-metadata address/);
    expect(client.stats.total).toBe(2); // the registry's 307 and the refused hop, never retried
    expect(fake.requestsTo(/blobs/, 'storage')).toHaveLength(0);
  });

  it('refuses a token realm at a metadata address before connecting', async () => {
    fake = await FakeRegistry.start();
    const challenge = 'Bearer realm="http://169.254.169.254/latest/meta-data/iam",service="x"';
    fake.faults.add({ path: '/v2/', status: 401, headers: { 'www-authenticate': challenge } });
    client = clientFor(fake);
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('egress_denied');
    expect(error.message).toMatch(
      /^token http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam: connection to 169\.254\.169\.254 refused/,
    );
  });

  it('refuses a registry whose name resolves to a denied address (checked after DNS)', async () => {
    fake = await FakeRegistry.start();
    const port = new URL(fake.url).port;
    client = new RegistryClient({
      registry: `http://localhost:${port}`,
      dockerConfigPath: null,
      egress: { allow: [], deny: ['127.0.0.0/8', '::1'] },
    });
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('egress_denied');
    expect(error.message).toMatch(/connection to localhost refused by the egress policy/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('credentials and plain-http token realms (finding 5)', () => {
  /** A registry at https://registry.example whose 401 names `realm`; records what the stack sends. */
  function challengingRegistry(realm: string, sent: RegistryRequest[]): Send {
    return async <T>(request: RegistryRequest, read: (response: RegistryResponse) => Promise<T>): Promise<T> => {
      sent.push(request);
      const body = Object.assign(Readable.from([]), { dump: async () => undefined });
      const headers =
        request.operation === 'token' ? {} : { 'www-authenticate': `Bearer realm="${realm}",service="x"` };
      return read({
        status: request.operation === 'token' ? 500 : 401,
        headers,
        url: request.url,
        body,
        request,
      } as RegistryResponse);
    };
  }

  it('regression: an https registry sent Basic credentials to an http realm; it refuses to', async () => {
    const sent: RegistryRequest[] = [];
    const send = withAuth(challengingRegistry('http://tokens.example/token', sent), {
      registryOrigin: 'https://registry.example',
      credentials: { username: USER, password: PASSWORD },
      redactor: new SecretRedactor(),
    });
    const request = {
      method: 'GET' as const,
      url: new URL('https://registry.example/v2/'),
      operation: 'ping' as const,
    };
    const error = await rejectionOf(send(request, async () => undefined));
    expect(error.code).toBe('insecure_transport');
    expect(sent.map((item) => item.operation)).toEqual(['ping']);
    expect(sent.some((item) => item.headers?.authorization !== undefined)).toBe(false);
  });

  it('never sends credentials of an https registry over http: not to a realm, not to a redirect on the same host', async () => {
    expect(mayCarryCredentials('https://registry.example', new URL('http://registry.example/token'))).toBe(false);
    expect(mayCarryCredentials('https://registry.example', new URL('https://auth.example/token'))).toBe(true);
    expect(mayCarryCredentials('http://127.0.0.1:5000', new URL('http://127.0.0.1:5000/token'))).toBe(true);
    const sent: RegistryRequest[] = [];
    const inner: Send = async <T>(
      request: RegistryRequest,
      read: (response: RegistryResponse) => Promise<T>,
    ): Promise<T> => {
      sent.push(request);
      const body = Object.assign(Readable.from([]), { dump: async () => undefined });
      const redirect = request.url.protocol === 'https:';
      const headers = redirect ? { location: 'http://registry.example/v2/m/blobs/x' } : {};
      return read({ status: redirect ? 307 : 200, headers, url: request.url, body, request } as RegistryResponse);
    };
    const send = withRedirects(
      withAuth(inner, {
        registryOrigin: 'https://registry.example',
        credentials: { registryToken: PASSWORD },
        redactor: new SecretRedactor(),
      }),
    );
    await send(
      { method: 'GET', url: new URL('https://registry.example/v2/m/blobs/x'), operation: 'blob.get' },
      async () => undefined,
    );
    expect(sent.map((request) => [request.url.protocol, request.headers?.authorization ?? null])).toEqual([
      ['https:', `Bearer ${PASSWORD}`],
      ['http:', null],
    ]);
  });
});
