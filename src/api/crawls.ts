/**
 * `/v1/crawls`: crawl runs as the index recorded them (status, counts, errors). Counts come from
 * the run's progress while it runs, then from its summary; null before the first report.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { OcidexError } from '../domain/errors.js';
import type { CrawlRunRecord } from '../store/index.js';
import { canonicalRegistry } from '../registry/index.js';
import type { ApiDeps } from './deps.js';
import { SlugSchema } from '../config/registry-schema.js';
import { newRouter } from './router.js';
import { errorResponses, jsonResponse, READ_SECURITY } from './schemas.js';

/** Errors listed with one crawl unless `errorLimit` says otherwise, and the most allowed. */
const DEFAULT_ERROR_LIMIT = 100;
const MAX_ERROR_LIMIT = 1000;
const DEFAULT_RUN_LIMIT = 50;

const CrawlSchema = z
  .object({
    id: z.number().int(),
    registry: z.string().openapi({ description: 'The registry host crawled.' }),
    status: z.string().openapi({ description: 'running | succeeded | failed' }),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    counts: z
      .record(z.string(), z.number())
      .nullable()
      .openapi({ description: 'CrawlCounts so far; null before the first progress report.' }),
    errorsByCode: z.record(z.string(), z.number()).nullable(),
    fatal: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .openapi('Crawl');

const CrawlErrorSchema = z
  .object({
    registry: z.string(),
    repository: z.string().nullable(),
    reference: z.string().nullable(),
    code: z.string(),
    message: z.string(),
    at: z.string(),
  })
  .openapi('CrawlError');

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['crawls'],
  summary: 'One crawl: status, counts, errors',
  security: READ_SECURITY,
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .positive()
        .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
    }),
    query: z.object({ errorLimit: z.coerce.number().int().positive().max(MAX_ERROR_LIMIT).optional() }),
  },
  responses: {
    200: jsonResponse(CrawlSchema.extend({ errors: z.array(CrawlErrorSchema) }), 'The crawl and its first errors.'),
    ...errorResponses(400, 401, 404),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['crawls'],
  summary: 'Crawls, newest first',
  security: READ_SECURITY,
  request: {
    query: z.object({
      registry: z
        .string()
        .max(300)
        .optional()
        .openapi({ description: 'A configured registry id, or a registry host.' }),
      limit: z.coerce
        .number()
        .int()
        .positive()
        .max(1000)
        .optional()
        .openapi({ description: `Default ${DEFAULT_RUN_LIMIT}.` }),
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(CrawlSchema) }), 'Crawls.'), ...errorResponses(400, 401) },
});

function shownRun(run: CrawlRunRecord): z.infer<typeof CrawlSchema> {
  const { summary } = run;
  return {
    id: run.id,
    registry: run.registry,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    counts: run.progress === null ? null : { ...run.progress },
    errorsByCode: summary === null ? null : { ...summary.errorsByCode },
    fatal: summary?.fatal ?? null,
  };
}

/** The crawls router (mounted at `/v1/crawls`). */
export function crawlsRoutes(deps: ApiDeps) {
  /** Runs record the registry host; a configured id is translated to its host. */
  const hostOf = async (registry: string): Promise<string> => {
    const config = SlugSchema.safeParse(registry).success ? await deps.registries.get(registry) : null;
    return config === null ? registry : canonicalRegistry(config.url);
  };
  return newRouter()
    .openapi(getRoute, (c) => {
      const { id } = c.req.valid('param');
      const run = deps.index.getRun(id);
      if (run === null) throw new OcidexError('not_found', `no crawl ${id}`);
      const errors = deps.index.listErrors({
        runId: id,
        limit: c.req.valid('query').errorLimit ?? DEFAULT_ERROR_LIMIT,
      });
      return c.json({ ...shownRun(run), errors }, 200);
    })
    .openapi(listRoute, async (c) => {
      const { registry, limit } = c.req.valid('query');
      const filter = {
        limit: limit ?? DEFAULT_RUN_LIMIT,
        ...(registry === undefined ? {} : { registry: await hostOf(registry) }),
      };
      return c.json({ items: deps.index.listRuns(filter).map(shownRun) }, 200);
    });
}
