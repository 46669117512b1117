/**
 * Saved queries (queries/*.yaml): `GET /v1/queries`, `GET /v1/queries/{name}` and
 * `GET /v1/queries/{name}/results` to run one. Results are a sub-resource rather than `?run=1`
 * so that each path has one response shape in the OpenAPI document.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { OcidexError } from '../domain/errors.js';
import type { SavedQuery } from '../query/index.js';
import type { ApiDeps } from './deps.js';
import { queryPage } from './query-page.js';
import { newRouter } from './router.js';
import {
  DialectSchema,
  errorResponses,
  jsonResponse,
  PageQuerySchema,
  QueryPageSchema,
  READ_SECURITY,
} from './schemas.js';

const SavedQuerySchema = z
  .object({
    name: z.string(),
    description: z.string(),
    query: z.string(),
    dialect: DialectSchema,
    sort: z.string().optional(),
    order: z.enum(['asc', 'desc']).optional(),
  })
  .openapi('SavedQuery');

const NameSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'signed-models' }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['query'],
  summary: 'Saved queries',
  security: READ_SECURITY,
  responses: {
    200: jsonResponse(z.object({ items: z.array(SavedQuerySchema) }), 'Every saved query.'),
    ...errorResponses(401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{name}',
  tags: ['query'],
  summary: 'One saved query',
  security: READ_SECURITY,
  request: { params: NameSchema },
  responses: { 200: jsonResponse(SavedQuerySchema, 'The saved query.'), ...errorResponses(400, 401, 404) },
});

const resultsRoute = createRoute({
  method: 'get',
  path: '/{name}/results',
  tags: ['query'],
  summary: 'Run a saved query',
  description: 'One page of the saved query’s result, with its own dialect, sort and order.',
  security: READ_SECURITY,
  request: { params: NameSchema, query: PageQuerySchema },
  responses: {
    200: jsonResponse(QueryPageSchema, 'One page of the result.'),
    ...errorResponses(400, 401, 404, 422, 503),
  },
});

/** A saved query as served: without the server-side file it came from. */
function shown(query: SavedQuery): z.infer<typeof SavedQuerySchema> {
  const { file: _file, ...rest } = query;
  return rest;
}

/** The saved-queries router (mounted at `/v1/queries`). */
export function queriesRoutes(deps: ApiDeps) {
  const byName = new Map(deps.savedQueries.map((query) => [query.name, query]));
  const find = (name: string): SavedQuery => {
    const query = byName.get(name);
    if (query === undefined) throw new OcidexError('not_found', `no saved query '${name}'`);
    return query;
  };
  return newRouter()
    .openapi(listRoute, (c) => c.json({ items: deps.savedQueries.map(shown) }, 200))
    .openapi(getRoute, (c) => c.json(shown(find(c.req.valid('param').name)), 200))
    .openapi(resultsRoute, async (c) => {
      const saved = find(c.req.valid('param').name);
      const { dialect, sort, order } = saved;
      return c.json(await queryPage(c, deps, saved.query, { ...c.req.valid('query'), dialect, sort, order }), 200);
    });
}
