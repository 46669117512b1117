import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DOCS_JS } from '../../../src/api/docs-page.js';
import { startServer } from '../../../src/api/index.js';
import { type ApiFixture, apiFixture, body, errorOf } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

describe('probes', () => {
  it('/healthz answers 200 even when dependencies are not ready', async () => {
    fixture.ready.ok = false;
    const response = await fixture.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({ status: 'ok' });
  });

  it('/readyz follows deps.readiness', async () => {
    expect(await body(await fixture.app.request('/readyz'))).toEqual({ status: 'ready', checks: { index: true } });
    fixture.ready.ok = false;
    fixture.ready.checks = { index: true, queue: false };
    const response = await fixture.app.request('/readyz');
    expect(response.status).toBe(503);
    const json = await body(response);
    expect(json.error).toEqual({ code: 'not_ready', message: 'not ready: queue' });
    expect(json.checks).toEqual({ index: true, queue: false });
  });
});

describe('/metrics', () => {
  it('exposes every metric in Prometheus text after a query', async () => {
    await fixture.app.request('/v1/models');
    fixture.deps.metrics.crawlFinished('succeeded');
    fixture.deps.metrics.registryRequest('manifest.get', 200);
    const response = await fixture.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('# TYPE ocidex_query_duration_seconds histogram');
    expect(text).toMatch(/ocidex_query_duration_seconds_bucket\{le="\+Inf",outcome="ok"\} 1/);
    expect(text).toContain('ocidex_crawls_total{status="succeeded"} 1');
    expect(text).toContain('ocidex_registry_requests_total{operation="manifest.get",status="200"} 1');
    expect(text).toContain('ocidex_documents 2');
    expect(text).toContain('ocidex_queue_depth{queue="crawl"} 3');
  });

  it('keeps counters per app (own registry)', async () => {
    const second = apiFixture();
    try {
      fixture.deps.metrics.crawlFinished('failed');
      const text = await (await second.app.request('/metrics')).text();
      expect(text).not.toContain('ocidex_crawls_total{status="failed"}');
    } finally {
      second.cleanup();
    }
  });
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3 document listing every path', async () => {
    const response = await fixture.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = await body(response);
    expect(document.openapi).toMatch(/^3\./);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/healthz',
        '/metrics',
        '/readyz',
        '/v1/artifacts/{reference}',
        '/v1/crawls',
        '/v1/crawls/{id}',
        '/v1/events/distribution',
        '/v1/events/harbor',
        '/v1/facets',
        '/v1/models',
        '/v1/queries',
        '/v1/queries/{name}',
        '/v1/queries/{name}/results',
        '/v1/registries',
        '/v1/registries/{id}',
        '/v1/registries/{id}/crawl',
        '/v1/trust-policies',
      ].sort(),
    );
    expect(Object.keys(document.paths['/v1/registries/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(document.components.schemas.Error).toBeDefined();
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['adminToken', 'eventSecret', 'readToken']);
  });

  it('documents the query parameters from the same schemas that validate them', async () => {
    const document = await body(await fixture.app.request('/openapi.json'));
    const parameters = document.paths['/v1/models'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(parameters.sort()).toEqual(['cursor', 'dialect', 'limit', 'order', 'q', 'sort', 'text']);
  });
});

describe('/docs', () => {
  it('serves an HTML page and its assets with no external URL', async () => {
    const page = await fixture.app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<!doctype html>');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining(['docs/docs.css', 'docs/docs.js', 'openapi.json']));
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const response = await fixture.app.request(`/${asset}`);
      expect(response.status, asset).toBe(200);
      // The page's own code names no other host (openapi.json is data: its examples may).
      if (asset !== 'openapi.json') expect(await response.text()).not.toMatch(/https?:\/\/|\/\/[a-z]/i);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });
});

/** Just enough DOM for docs.js: elements with text, class, id, href and children. */
class FakeElement {
  readonly children: FakeElement[] = [];
  textContent = '';
  className = '';
  id = '';
  href = '';
  constructor(readonly tag: string) {}
  append(...nodes: FakeElement[]): void {
    this.children.push(...nodes);
  }
  *all(): Generator<FakeElement> {
    yield this;
    for (const child of this.children) yield* child.all();
  }
}

describe('docs.js', () => {
  it('renders every operation and schema of openapi.json, as text', async () => {
    const spec = await body(await fixture.app.request('/openapi.json'));
    const slots = Object.fromEntries(
      ['title', 'summary', 'toc', 'operations', 'schemas'].map((id) => [id, new FakeElement('div')]),
    );
    const document = {
      createElement: (tag: string) => new FakeElement(tag),
      getElementById: (id: string) => slots[id],
    };
    const fetch = async (url: string) => ({ json: async () => (url === 'openapi.json' ? spec : null) });
    new Function('document', 'fetch', DOCS_JS)(document, fetch);
    await vi.waitFor(() => expect(slots['schemas']!.children.length).toBeGreaterThan(0));
    expect(slots['title']!.textContent).toBe('ocidex 1.0.0');
    const texts = [...slots['operations']!.all()].map((node) => node.textContent);
    for (const path of Object.keys(spec.paths)) expect(texts).toContain(path);
    const anchors = [...slots['schemas']!.all()].map((node) => node.id).filter(Boolean);
    expect(anchors).toEqual(Object.keys(spec.components.schemas).map((name) => `schema-${name}`));
  });
});

describe('startServer', () => {
  it('serves the app on a free port and closes gracefully', async () => {
    const server = await startServer(fixture.app, { port: 0, host: '127.0.0.1' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${server.url}/healthz`);
      expect(await response.json()).toEqual({ status: 'ok' });
      const missing = await fetch(`${server.url}/v1/artifacts/nope`);
      expect(missing.status).toBe(400);
      expect((await errorOf(missing)).code).toBe('invalid_reference');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await server.close();
  });
});
