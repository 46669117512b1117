import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { MANIFEST_ACCEPT } from '../../../src/domain/oci.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { FakeRegistry } from '../../support/fake-registry.js';
import { clientFor, collect, rejectionOf } from './helpers.js';

let fake: FakeRegistry;
let client: RegistryClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
});

async function start(options: Parameters<typeof FakeRegistry.start>[0] = {}): Promise<void> {
  fake = await FakeRegistry.start(options);
}

function seedRepositories(names: string[]): void {
  for (const name of names) fake.pushArtifact(name, { tag: 'latest' });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ping', () => {
  it('sends GET /v2/ with the User-Agent', async () => {
    await start();
    client = clientFor(fake);
    await client.ping();
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v2/']);
    expect(fake.requests[0]!.headers['user-agent']).toMatch(/^ocidex\//);
    expect(client.stats.byOperation.ping).toBe(1);
    expect(client.stats.byStatus['200']).toBe(1);
  });

  it('reports a registry that refuses connections as unreachable, without retrying', async () => {
    client = new RegistryClient({ registry: `127.0.0.1:${await closedPort()}`, dockerConfigPath: null });
    const error = await rejectionOf(client.ping());
    expect(error.code).toBe('unreachable');
    expect(error.details.registry).toBe(client.registry);
    expect(client.stats.total).toBe(1);
    expect(client.stats.byStatus.error).toBe(1);
  });
});

describe('connections', () => {
  it('pools keep-alive connections instead of opening one per request', async () => {
    await start();
    fake.pushArtifact('a', { tag: 'v1' });
    client = clientFor(fake);
    await client.ping();
    for (let round = 0; round < 4; round += 1) await client.fetchManifest('a', 'v1');
    await collect(client.listTags('a'));
    const connections = new Set(fake.requests.map((request) => request.remotePort));
    expect(fake.requests).toHaveLength(6);
    // Sequential requests: one socket, or two when the next starts while the last one is released.
    expect(connections.size).toBeLessThanOrEqual(2);
  });

  it('closes idempotently, and refuses requests after close', async () => {
    await start();
    client = clientFor(fake);
    await client.ping();
    await client.close();
    await client.close();
    expect((await rejectionOf(client.ping())).code).toBe('unreachable');
    client = undefined;
  });
});

describe('manifest requests', () => {
  it('send the full Accept list on GET and HEAD', async () => {
    await start();
    fake.pushArtifact('a', { tag: 'v1' });
    client = clientFor(fake);
    await client.fetchManifest('a', 'v1');
    await client.resolveManifest('a', 'v1');
    for (const request of fake.requestsTo('/v2/a/manifests/')) {
      const accepted = String(request.headers.accept)
        .split(',')
        .map((type) => type.trim());
      expect(accepted).toEqual([...MANIFEST_ACCEPT]);
    }
    expect(fake.requestsTo('/v2/a/manifests/').map((request) => request.method)).toEqual(['GET', 'HEAD']);
  });

  it('refuses invalid names before sending anything', async () => {
    await start();
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchManifest('../etc', 'v1'))).code).toBe('invalid_reference');
    expect((await rejectionOf(client.fetchManifest('a', 'bad/tag'))).code).toBe('invalid_reference');
    expect((await rejectionOf(collect(client.listTags('UPPER')))).code).toBe('invalid_reference');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('catalog paging', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];

  it('follows relative Links without sending n', async () => {
    await start({ pageSize: 2 });
    seedRepositories(names);
    client = clientFor(fake);
    expect(await collect(client.catalog())).toEqual(names);
    expect(fake.requestsTo('/v2/_catalog').map((request) => request.path)).toEqual([
      '/v2/_catalog',
      '/v2/_catalog?last=b',
      '/v2/_catalog?last=d',
    ]);
  });

  it('follows absolute Links and sends n when pageSize is set', async () => {
    await start({ absoluteLinks: true });
    seedRepositories(names);
    client = clientFor(fake, { pageSize: 3 });
    expect(await collect(client.catalog())).toEqual(names);
    expect(fake.requestsTo('/v2/_catalog').map((request) => request.path)).toEqual([
      '/v2/_catalog?n=3',
      '/v2/_catalog?n=3&last=c',
    ]);
  });

  it('stops at the page cap with page_limit', async () => {
    await start({ pageSize: 1 });
    seedRepositories(names);
    client = clientFor(fake, { maxPages: 2 });
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const name of client!.catalog()) seen.push(name);
      })(),
    );
    expect(error.code).toBe('page_limit');
    expect(seen).toEqual(['a', 'b']);
    expect(fake.requestsTo('/v2/_catalog')).toHaveLength(2);
  });

  it('detects a Link cycle', async () => {
    await start({ pageSize: 1 });
    seedRepositories(names);
    fake.faults.add({ path: /^\/v2\/_catalog\?last=b$/, setHeaders: { link: '</v2/_catalog?last=a>; rel="next"' } });
    client = clientFor(fake);
    expect((await rejectionOf(collect(client.catalog()))).code).toBe('link_cycle');
    expect(fake.requestsTo('/v2/_catalog')).toHaveLength(3);
  });

  it('refuses a Link to another origin', async () => {
    await start({ pageSize: 1 });
    seedRepositories(names);
    fake.faults.add({
      path: '/v2/_catalog',
      setHeaders: { link: '<https://evil.example/v2/_catalog?last=a>; rel="next"' },
    });
    client = clientFor(fake);
    expect((await rejectionOf(collect(client.catalog()))).code).toBe('bad_response');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['no catalog (404)', { status: 404 }],
    ['405', { status: 405 }],
    ['401 after auth', { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }],
  ])('reports %s as unsupported', async (_name, fault) => {
    await start();
    fake.faults.add({ path: '/v2/_catalog', ...fault });
    client = clientFor(fake);
    const error = await rejectionOf(collect(client.catalog()));
    expect(error.code).toBe('unsupported');
    expect(error.details.status).toBe(fault.status);
  });
});

describe('tags', () => {
  it('lists nothing for "tags": null', async () => {
    await start({ emptyTags: 'null' });
    fake.pushArtifact('untagged', {});
    client = clientFor(fake);
    expect(await collect(client.listTags('untagged'))).toEqual([]);
  });

  it('reports a missing repository as name_unknown', async () => {
    await start();
    client = clientFor(fake);
    const error = await rejectionOf(collect(client.listTags('missing/repo')));
    expect(error.code).toBe('name_unknown');
    expect(error.details).toMatchObject({ status: 404, repository: 'missing/repo', registry: fake.host });
  });

  it('reports any tags 404 as name_unknown, even without an error body', async () => {
    await start();
    fake.faults.add({ path: '/v2/a/tags/list', status: 404, body: 'not found' });
    client = clientFor(fake);
    expect((await rejectionOf(collect(client.listTags('a')))).code).toBe('name_unknown');
  });

  it.each([400, 405, 413])('retries without n after %i', async (status) => {
    await start({ pageSize: 2 });
    for (const tag of ['t1', 't2', 't3']) fake.pushArtifact('repo', { tag, annotations: { tag } });
    fake.faults.add({
      path: /^\/v2\/repo\/tags\/list\?n=/,
      status,
      body: '{"errors":[{"code":"PAGINATION_NUMBER_INVALID"}]}',
    });
    client = clientFor(fake, { pageSize: 1000 });
    expect(await collect(client.listTags('repo'))).toEqual(['t1', 't2', 't3']);
    expect(fake.requestsTo('/v2/repo/tags/list').map((request) => request.path)).toEqual([
      '/v2/repo/tags/list?n=1000',
      '/v2/repo/tags/list',
      '/v2/repo/tags/list?last=t2',
    ]);
  });

  it('does not retry other statuses without n', async () => {
    await start();
    fake.pushArtifact('repo', { tag: 'x' });
    fake.faults.add({ path: '/v2/repo/tags/list', status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' });
    client = clientFor(fake, { pageSize: 10 });
    expect((await rejectionOf(collect(client.listTags('repo')))).code).toBe('denied');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a body that is not a listing as bad_response', async () => {
    await start();
    fake.pushArtifact('repo', { tag: 'x' });
    fake.faults.add({ path: '/v2/repo/tags/list', body: '{"tags":"x"}' });
    client = clientFor(fake);
    const error = await rejectionOf(collect(client.listTags('repo')));
    expect(isOcidexError(error, 'bad_response')).toBe(true);
  });
});
