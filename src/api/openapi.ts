/**
 * `GET /openapi.json` (OpenAPI 3.1, generated from the routers' zod schemas) and `GET /docs`,
 * an offline page that renders it (see docs-page.ts). Both are open.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DOCS_CSP, DOCS_CSS, DOCS_HTML, DOCS_JS } from './docs-page.js';

/** The API's version in the OpenAPI document (the `/v1` contract). */
export const API_VERSION = '1.0.0';

const DESCRIPTION =
  'Query ML model artifacts indexed from OCI registries. Every error is `{"error": {"code", "message"}}`. ' +
  'Reads are open unless a read token is configured; writes need the admin token; registry notifications ' +
  'need the event secret. All as `Authorization: Bearer <token>`.';

/** Adds the OpenAPI document and the docs page to the root `app` (after every router is mounted). */
export function addOpenApi(app: OpenAPIHono): void {
  const { openAPIRegistry } = app;
  const bearer = (description: string) => ({ type: 'http' as const, scheme: 'bearer', description });
  openAPIRegistry.registerComponent('securitySchemes', 'adminToken', bearer('OCIDEX_ADMIN_TOKEN: writes (and reads).'));
  openAPIRegistry.registerComponent(
    'securitySchemes',
    'readToken',
    bearer('OCIDEX_READ_TOKEN: reads, when configured.'),
  );
  openAPIRegistry.registerComponent(
    'securitySchemes',
    'eventSecret',
    bearer("Registry notifications: the registry's eventSecretEnv secret, else OCIDEX_EVENT_SECRET."),
  );
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'ocidex', version: API_VERSION, description: DESCRIPTION },
    tags: [
      { name: 'query', description: 'JSONPath queries, facets and saved queries over the index.' },
      { name: 'artifacts', description: 'One indexed artifact.' },
      { name: 'registries', description: 'The registries ocidex crawls.' },
      { name: 'crawls', description: 'Crawl runs and their errors.' },
      { name: 'events', description: 'Registry push notifications.' },
      { name: 'operations', description: 'Probes and metrics.' },
    ],
  });
  const asset = (body: string, type: string) => () =>
    new Response(body, {
      headers: { 'Content-Type': type, 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' },
    });
  app.get('/docs', asset(DOCS_HTML, 'text/html; charset=utf-8'));
  app.get('/docs/docs.js', asset(DOCS_JS, 'text/javascript; charset=utf-8'));
  app.get('/docs/docs.css', asset(DOCS_CSS, 'text/css; charset=utf-8'));
}
