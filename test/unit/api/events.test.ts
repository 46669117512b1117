import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, bearer, body, digestOf, errorOf, EVENT_SECRET, REGISTRY } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const MANIFEST = digestOf('pushed-manifest');
const BLOB = digestOf('pushed-blob');
const DISTRIBUTION_V2 = 'application/vnd.docker.distribution.events.v2+json';

/** A distribution notification event, shaped as distribution's bridge writes it. */
function distributionEvent(action: string, target: Record<string, unknown>, host = REGISTRY) {
  return {
    id: `event-${action}-${String(target['digest'])}`,
    timestamp: '2025-03-03T10:00:00Z',
    action,
    target: { repository: 'models/new', url: `http://${host}/v2/models/new/manifests/x`, ...target },
    request: { id: 'request-1', addr: '10.0.0.1:1234', host, method: 'PUT', useragent: 'oras/1.2' },
    actor: {},
    source: { addr: 'registry:5000', instanceID: 'instance' },
  };
}

const pushManifest = distributionEvent('push', {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: MANIFEST,
  size: 512,
  length: 512,
  tag: 'v2',
});
const pushBlob = distributionEvent('push', { mediaType: 'application/octet-stream', digest: BLOB, size: 4096 });
const pullManifest = distributionEvent('pull', {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: MANIFEST,
  tag: 'v2',
});

function postDistribution(
  payload: unknown,
  options: { query?: string; contentType?: string; secret?: string | null } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? DISTRIBUTION_V2 };
  if (options.secret !== null) headers['Authorization'] = `Bearer ${options.secret ?? EVENT_SECRET}`;
  return fixture.app.request(`/v1/events/distribution${options.query ?? ''}`, {
    method: 'POST',
    headers,
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('POST /v1/events/distribution', () => {
  it('forwards exactly the manifest push of an envelope with a blob push and a pull', async () => {
    const response = await postDistribution({ events: [pushManifest, pushBlob, pullManifest] });
    expect(response.status).toBe(202);
    expect(await body(response)).toEqual({ accepted: 1, ignored: 2 });
    expect(fixture.sink.pushed).toEqual([
      {
        registry: 'local',
        repository: 'models/new',
        digest: MANIFEST,
        tag: 'v2',
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      },
    ]);
    expect(fixture.sink.removed).toEqual([]);
  });

  it('forwards a manifest delete (no media type, no tag) to remove', async () => {
    const deletion = distributionEvent('delete', { digest: MANIFEST });
    const response = await postDistribution({ events: [deletion] });
    expect(response.status).toBe(202);
    expect(fixture.sink.removed).toEqual([
      { registry: 'local', repository: 'models/new', digest: MANIFEST, tag: null, mediaType: null },
    ]);
    expect(fixture.sink.pushed).toEqual([]);
  });

  it('forwards duplicates as received (the sink is idempotent)', async () => {
    await postDistribution({ events: [pushManifest, pushManifest] });
    expect(fixture.sink.pushed).toHaveLength(2);
  });

  it('accepts the v1 media type and application/json; an empty envelope is fine', async () => {
    expect(
      (
        await postDistribution(
          { events: [pushManifest] },
          { contentType: 'application/vnd.docker.distribution.events.v1+json' },
        )
      ).status,
    ).toBe(202);
    expect(
      (await postDistribution({ events: [pushManifest] }, { contentType: 'application/json; charset=utf-8' })).status,
    ).toBe(202);
    expect(await body(await postDistribution({}))).toEqual({ accepted: 0, ignored: 0 });
    expect(fixture.sink.pushed).toHaveLength(2);
  });

  it('names the registry by ?registry= over the event host', async () => {
    fixture.registries.configs.set('mirror', { id: 'mirror', url: 'https://mirror.example.com' });
    const event = distributionEvent(
      'push',
      { mediaType: 'application/vnd.oci.image.index.v1+json', digest: MANIFEST },
      'public.example.com',
    );
    await postDistribution({ events: [event] }, { query: '?registry=mirror' });
    expect(fixture.sink.pushed.map((pushed) => pushed.registry)).toEqual(['mirror']);
  });

  it('ignores events of a host no registry is configured for', async () => {
    const event = distributionEvent(
      'push',
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: MANIFEST },
      'unknown.example.com',
    );
    expect(await body(await postDistribution({ events: [event] }))).toEqual({ accepted: 0, ignored: 1 });
    expect(fixture.sink.pushed).toEqual([]);
  });

  it('answers an unknown ?registry= with 404', async () => {
    const response = await postDistribution({ events: [pushManifest] }, { query: '?registry=nope' });
    expect(response.status).toBe(404);
    expect(fixture.sink.pushed).toEqual([]);
  });

  it('refuses a missing or wrong secret with 401, and does not forward', async () => {
    for (const secret of [null, 'wrong-secret']) {
      const response = await postDistribution({ events: [pushManifest] }, { secret });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    expect(fixture.sink.pushed).toEqual([]);
  });

  it('does not take the admin token for the event secret', async () => {
    const response = await fixture.app.request('/v1/events/distribution', {
      method: 'POST',
      headers: { ...bearer('admin-token-0123456789'), 'Content-Type': DISTRIBUTION_V2 },
      body: JSON.stringify({ events: [pushManifest] }),
    });
    expect(response.status).toBe(401);
  });

  it('refuses events with 403 when no secret is configured', async () => {
    fixture.cleanup();
    fixture = apiFixture({ adminToken: 'admin' });
    const response = await postDistribution({ events: [pushManifest] });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toContain('OCIDEX_EVENT_SECRET');
  });

  it('answers malformed JSON with 400, a wrong shape with 400, text with 415', async () => {
    expect((await postDistribution('{"events": [')).status).toBe(400);
    const wrong = await postDistribution({ events: 'many' });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).message).toContain('body.events');
    const text = await postDistribution({ events: [] }, { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(fixture.sink.pushed).toEqual([]);
  });
});

describe('POST /v1/events/harbor', () => {
  const harbor = (type: string, resources: unknown[]) => ({
    type,
    occur_at: 1741000000,
    operator: 'admin',
    event_data: {
      resources,
      repository: {
        date_created: 1741000000,
        name: 'llm',
        namespace: 'models',
        repo_full_name: 'models/llm',
        repo_type: 'private',
      },
    },
  });
  const post = (payload: unknown) =>
    fixture.app.request('/v1/events/harbor?registry=local', {
      method: 'POST',
      headers: { ...bearer(EVENT_SECRET), 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });

  it('forwards PUSH_ARTIFACT resources to push', async () => {
    const response = await post(
      harbor('PUSH_ARTIFACT', [{ digest: MANIFEST, tag: 'v3', resource_url: `${REGISTRY}/models/llm:v3` }]),
    );
    expect(response.status).toBe(202);
    expect(fixture.sink.pushed).toEqual([
      { registry: 'local', repository: 'models/llm', digest: MANIFEST, tag: 'v3', mediaType: null },
    ]);
  });

  it('forwards DELETE_ARTIFACT to remove and ignores other types', async () => {
    await post(
      harbor('DELETE_ARTIFACT', [{ digest: MANIFEST, tag: '', resource_url: `${REGISTRY}/models/llm@${MANIFEST}` }]),
    );
    expect(fixture.sink.removed).toEqual([
      { registry: 'local', repository: 'models/llm', digest: MANIFEST, tag: null, mediaType: null },
    ]);
    const pulled = await post(harbor('PULL_ARTIFACT', [{ digest: MANIFEST, tag: 'v3' }]));
    expect(await body(pulled)).toEqual({ accepted: 0, ignored: 1 });
    expect(fixture.sink.pushed).toEqual([]);
  });

  it('maps the registry from resource_url without ?registry=', async () => {
    const response = await fixture.app.request('/v1/events/harbor', {
      method: 'POST',
      headers: { ...bearer(EVENT_SECRET), 'Content-Type': 'application/json' },
      body: JSON.stringify(
        harbor('PUSH_ARTIFACT', [{ digest: MANIFEST, tag: 'v3', resource_url: `${REGISTRY}/models/llm:v3` }]),
      ),
    });
    expect(await body(response)).toEqual({ accepted: 1, ignored: 0 });
    expect(fixture.sink.pushed[0]?.registry).toBe('local');
  });

  it('refuses a wrong secret', async () => {
    const response = await fixture.app.request('/v1/events/harbor?registry=local', {
      method: 'POST',
      headers: { ...bearer('nope'), 'Content-Type': 'application/json' },
      body: JSON.stringify(harbor('PUSH_ARTIFACT', [{ digest: MANIFEST, tag: 'v3' }])),
    });
    expect(response.status).toBe(401);
    expect(fixture.sink.pushed).toEqual([]);
  });
});
