/** `GET /v1/facets`: distinct values at a path, with document counts. */
import { createRoute, z } from '@hono/zod-openapi';
import { queryContext } from './query-context.js';
import type { ApiDeps } from './deps.js';
import { measured } from './query-page.js';
import { newRouter } from './router.js';
import { DialectSchema, errorResponses, jsonResponse, READ_SECURITY } from './schemas.js';

const FacetsQuerySchema = z.object({
  path: z.string().min(1).max(1024).openapi({
    description: 'A singular path into each document, or one ending in `[*]` for array elements.',
    example: '@.model.license',
  }),
  q: z.string().optional().openapi({ description: 'Only documents this query matches (default: all).' }),
  dialect: DialectSchema.optional(),
});

const FacetsSchema = z
  .object({
    path: z.string(),
    values: z.array(z.object({ value: z.unknown(), count: z.number().int() })),
  })
  .openapi('Facets');

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['query'],
  summary: 'Distinct values at a path',
  description: 'Values at `path` among the documents `q` matches, most frequent first, with how many documents hold each.',
  security: READ_SECURITY,
  request: { query: FacetsQuerySchema },
  responses: { 200: jsonResponse(FacetsSchema, 'Values and counts.'), ...errorResponses(400, 401, 422, 503) },
});

/** The facets router (mounted at `/v1/facets`). */
export function facetsRoutes(deps: ApiDeps) {
  return newRouter().openapi(route, async (c) => {
    const { path, q, dialect } = c.req.valid('query');
    const values = await measured(deps, () => deps.queries.facet(path, q, { dialect }, queryContext(c, deps.config)));
    return c.json({ path, values }, 200);
  });
}
