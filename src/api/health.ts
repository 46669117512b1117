/**
 * Probes: `GET /healthz` answers 200 whenever the process serves requests; `GET /readyz` asks the
 * dependencies (deps.readiness) and answers 200, or 503 in the error shape with the checks.
 * Both are open (no token), for orchestrators.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from './deps.js';
import { newRouter } from './router.js';
import { jsonResponse } from './schemas.js';

const ChecksSchema = z.record(z.string(), z.boolean()).openapi({ example: { index: true, queue: true } });

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'The process serves requests.') },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness',
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ready'), checks: ChecksSchema }), 'Every dependency is ready.'),
    503: jsonResponse(
      z.object({ error: z.object({ code: z.string(), message: z.string() }), checks: ChecksSchema }),
      'A dependency is not ready; `checks` says which.',
    ),
  },
});

/** The probes router (mounted at `/`). */
export function healthRoutes(deps: ApiDeps) {
  return newRouter()
    .openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const { ok, checks } = await deps.readiness();
      if (ok) return c.json({ status: 'ready' as const, checks }, 200);
      const failing = Object.keys(checks).filter((name) => !checks[name]);
      const message = `not ready: ${failing.join(', ') || 'unknown'}`;
      return c.json({ error: { code: 'not_ready', message }, checks }, 503);
    });
}
