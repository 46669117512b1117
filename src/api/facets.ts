/** `GET /v1/facets`: distinct values at one or more paths, with document counts. */
import { createRoute, z } from '@hono/zod-openapi';
import { cachedJson } from './cached-json.js';
import { queryContext } from './query-context.js';
import type { ApiDeps } from './deps.js';
import { measured } from './query-page.js';
import type { ResponseCache } from './response-cache.js';
import { newRouter } from './router.js';
import { DialectSchema, errorResponses, jsonResponse, NOT_MODIFIED, READ_SECURITY, TextSchema } from './schemas.js';

/** Paths one request may facet at most. */
export const MAX_FACET_PATHS = 16;

const PathSchema = z.string().min(1).max(1024);

const FacetsQuerySchema = z.object({
  path: z.union([PathSchema, z.array(PathSchema).min(1).max(MAX_FACET_PATHS)]).openapi({
    description: `A singular path into each document, or one ending in \`[*]\` for array elements; repeat it for up to ${MAX_FACET_PATHS} paths.`,
    example: '@.model.license',
  }),
  q: z.string().optional().openapi({ description: 'Only documents this query matches (default: all).' }),
  dialect: DialectSchema.optional(),
  text: TextSchema,
});

const ValuesSchema = z.array(z.object({ value: z.unknown(), count: z.number().int() }));

const FacetsSchema = z
  .object({
    path: z.string().openapi({ description: 'The first path asked for.' }),
    values: ValuesSchema.openapi({ description: 'The values of the first path.' }),
    facets: z
      .array(z.object({ path: z.string(), values: ValuesSchema }))
      .openapi({ description: 'Every path asked for, in order.' }),
  })
  .openapi('Facets');

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['query'],
  summary: 'Distinct values at paths',
  description:
    'Values at each `path` among the documents `q` and `text` match, most frequent first, with how many documents hold each.',
  security: READ_SECURITY,
  request: { query: FacetsQuerySchema },
  responses: {
    200: jsonResponse(FacetsSchema, 'Values and counts.'),
    ...NOT_MODIFIED,
    ...errorResponses(400, 401, 422, 503),
  },
});

/** The facets router (mounted at `/v1/facets`); answers are kept in `responses` per index version. */
export function facetsRoutes(deps: ApiDeps, responses: ResponseCache | null = null) {
  return newRouter().openapi(route, async (c) => {
    const { path, q, dialect, text } = c.req.valid('query');
    const paths = typeof path === 'string' ? [path] : path;
    const options = text === undefined || text.trim() === '' ? { dialect } : { dialect, words: text };
    return cachedJson(c, responses, async () => {
      const facets = await measured(deps, () => deps.queries.facets(paths, q, options, queryContext(c, deps.config)));
      const first = facets[0] ?? { path: paths[0] as string, values: [] };
      return { path: first.path, values: first.values, facets };
    });
  });
}
