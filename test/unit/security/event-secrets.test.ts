/**
 * Finding 6 of issue 11: one event secret covered every registry, so its holder could delete any
 * indexed document of any registry. A registry with `eventSecretEnv` now accepts only its own
 * secret, and the global secret no longer opens it (deletes are confirmed by a HEAD: see
 * test/unit/embedded/event-sink.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, apiFixture, body, EVENT_SECRET, REGISTRY, type ApiFixture } from '../api/support.js';

const OTHER_SECRET = 'other-registry-event-secret-42';
const OTHER_HOST = 'other.example.com';
let fixture: ApiFixture;
afterEach(() => fixture.cleanup());

function setup(): void {
  fixture = apiFixture({
    adminToken: ADMIN_TOKEN,
    eventSecret: EVENT_SECRET,
    credentialPolicy: { envPrefix: 'OCIDEX_CRED_', secretsDir: null },
    env: { OCIDEX_CRED_OTHER_EVENTS: OTHER_SECRET },
  });
  fixture.registries.configs.set('other', {
    id: 'other',
    url: `https://${OTHER_HOST}`,
    eventSecretEnv: 'OCIDEX_CRED_OTHER_EVENTS',
  });
}

/** A distribution envelope deleting one manifest of `host`. */
function deletion(host: string) {
  const target = {
    repository: 'models/a',
    digest: `sha256:${'1'.repeat(64)}`,
    url: `https://${host}/v2/models/a/manifests/x`,
  };
  return { events: [{ id: `delete-${host}`, action: 'delete', target, request: { host }, actor: {}, source: {} }] };
}

function post(secret: string, payload: unknown, query = '') {
  return fixture.app.request(`/v1/events/distribution${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
}

describe('per-registry event secrets (finding 6)', () => {
  it('regression: the global secret deleted documents of every registry; it no longer opens a registry with its own', async () => {
    setup();
    expect((await post(EVENT_SECRET, deletion(OTHER_HOST), '?registry=other')).status).toBe(401);
    const byHost = await post(EVENT_SECRET, deletion(OTHER_HOST));
    expect(await body(byHost)).toEqual({ accepted: 0, ignored: 1 });
    expect(fixture.sink.removed).toEqual([]);
  });

  it("a registry's own secret opens that registry only", async () => {
    setup();
    expect((await post(OTHER_SECRET, deletion(OTHER_HOST), '?registry=other')).status).toBe(202);
    expect((await post(OTHER_SECRET, deletion(REGISTRY), '?registry=local')).status).toBe(401);
    expect(await body(await post(OTHER_SECRET, deletion(REGISTRY)))).toEqual({ accepted: 0, ignored: 1 });
    expect(fixture.sink.removed.map((event) => event.registry)).toEqual(['other']);
    expect((await post(EVENT_SECRET, deletion(REGISTRY), '?registry=local')).status).toBe(202);
    expect((await post('wrong-secret', deletion(REGISTRY))).status).toBe(401);
  });
});
