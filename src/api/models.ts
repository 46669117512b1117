/** `GET /v1/models`: a JSONPath query over every indexed document, paged. */
import { createRoute, z } from '@hono/zod-openapi';
import { cachedJson } from './cached-json.js';
import type { ApiDeps } from './deps.js';
import { queryPage } from './query-page.js';
import type { ResponseCache } from './response-cache.js';
import { newRouter } from './router.js';
import {
  DialectSchema,
  errorResponses,
  jsonResponse,
  PageQuerySchema,
  QueryPageSchema,
  NOT_MODIFIED,
  READ_SECURITY,
  TextSchema,
} from './schemas.js';

/** The query of a request without `q`: every document. */
export const DEFAULT_QUERY = '$[*]';

const ModelsQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .optional()
    .openapi({
      description: `JSONPath over the array of all documents (default \`${DEFAULT_QUERY}\`).`,
      example: "$[?@.model.license == 'Apache-2.0']",
    }),
  dialect: DialectSchema.optional(),
  text: TextSchema,
  sort: z
    .string()
    .max(1024)
    .optional()
    .openapi({ description: 'Singular path into each document.', example: '@.model.metrics.accuracy' }),
  order: z.enum(['asc', 'desc']).optional(),
});

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['query'],
  summary: 'Query the indexed documents',
  description:
    'Runs `q` over the JSON array of all documents (ordered by reference, or by `sort`) and returns one page ' +
    'of the result, narrowed to the documents matching `text` when given. Pass `nextCursor` as `cursor` with the same q, dialect, sort and order for the next page.',
  security: READ_SECURITY,
  request: { query: ModelsQuerySchema },
  responses: {
    200: jsonResponse(QueryPageSchema, 'One page of the result.'),
    ...NOT_MODIFIED,
    ...errorResponses(400, 401, 422, 503),
  },
});

/** The models router (mounted at `/v1/models`); answers are kept in `responses` per index version. */
export function modelsRoutes(deps: ApiDeps, responses: ResponseCache | null = null) {
  return newRouter().openapi(route, async (c) => {
    const { q, text, ...options } = c.req.valid('query');
    const words = text === undefined || text.trim() === '' ? {} : { words: text };
    return cachedJson(c, responses, () => queryPage(c, deps, q ?? DEFAULT_QUERY, { ...options, ...words }));
  });
}
