/**
 * `/v1/registries`: the registries ocidex crawls (list, read, create, patch, delete) and
 * `POST /v1/registries/{id}/crawl` to start a crawl (202 with its id; status at /v1/crawls/{id}).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { OcidexError } from '../domain/errors.js';
import type { ApiDeps } from './deps.js';
import type { RegistryConfig } from '../domain/registry.js';
import { ApiError } from './errors.js';
import { credentialPolicyFromEnv } from '../registry/credential-sources.js';
import {
  credentialSourceProblem,
  RegistryConfigSchema,
  RegistryPatchSchema,
  shownRegistry,
  SlugSchema,
} from '../config/registry-schema.js';
import { newRouter } from './router.js';
import { errorResponses, jsonResponse, READ_SECURITY, WRITE_SECURITY } from './schemas.js';

const tags = ['registries'];
const IdParamSchema = z.object({ id: SlugSchema.openapi({ param: { name: 'id', in: 'path' } }) });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const writeErrors = errorResponses(400, 401, 403, 404, 413, 415);

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Configured registries',
  security: READ_SECURITY,
  responses: {
    200: jsonResponse(z.object({ items: z.array(RegistryConfigSchema) }), 'Every registry, by id.'),
    ...errorResponses(401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'One registry',
  security: READ_SECURITY,
  request: { params: IdParamSchema },
  responses: { 200: jsonResponse(RegistryConfigSchema, 'The registry.'), ...errorResponses(400, 401, 404) },
});

const postRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a registry',
  description:
    "Credentials are names of environment variables of the crawler (they must start with the operator's prefix, " +
    'default OCIDEX_CRED_) or files in its secrets directory; a `password` field is refused.',
  security: WRITE_SECURITY,
  request: { body: jsonBody(RegistryConfigSchema) },
  responses: {
    201: jsonResponse(RegistryConfigSchema, 'Created; see Location.'),
    ...writeErrors,
    ...errorResponses(409),
  },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Change a registry',
  description: 'JSON merge patch (RFC 7396): a field given replaces the stored one, null removes it.',
  security: WRITE_SECURITY,
  request: { params: IdParamSchema, body: jsonBody(RegistryPatchSchema) },
  responses: { 200: jsonResponse(RegistryConfigSchema, 'The registry as changed.'), ...writeErrors },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Remove a registry (its indexed documents stay)',
  security: WRITE_SECURITY,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Removed.' }, ...writeErrors },
});

const crawlRoute = createRoute({
  method: 'post',
  path: '/{id}/crawl',
  tags,
  summary: 'Start a crawl',
  description: 'Answers 202 with the crawl id at once; follow the Location (/v1/crawls/{crawlId}) for its status.',
  security: WRITE_SECURITY,
  request: { params: IdParamSchema },
  responses: { 202: jsonResponse(z.object({ crawlId: z.number().int() }), 'Started; see Location.'), ...writeErrors },
});

function unknownRegistry(id: string): OcidexError {
  return new OcidexError('not_found', `no registry '${id}'`);
}

/** The registries router (mounted at `/v1/registries`). */
export function registriesRoutes(deps: ApiDeps) {
  const { registries, crawls } = deps;
  const policy = deps.config.credentialPolicy ?? credentialPolicyFromEnv();
  const checkSources = (config: Parameters<typeof credentialSourceProblem>[0]): void => {
    const problem = credentialSourceProblem(config, policy);
    if (problem !== null) throw new OcidexError('invalid_argument', `body.${problem}`);
  };
  const existing = async (id: string): Promise<RegistryConfig> => {
    const config = await registries.get(id);
    if (config === null) throw unknownRegistry(id);
    return config;
  };
  return newRouter()
    .openapi(listRoute, async (c) => c.json({ items: (await registries.list()).map(shownRegistry) }, 200))
    .openapi(getRoute, async (c) => c.json(shownRegistry(await existing(c.req.valid('param').id)), 200))
    .openapi(postRoute, async (c) => {
      const config = c.req.valid('json');
      checkSources(config);
      if ((await registries.get(config.id)) !== null)
        throw new ApiError('conflict', `registry '${config.id}' already exists`);
      const created = await registries.create(config);
      c.header('Location', `/v1/registries/${encodeURIComponent(created.id)}`);
      return c.json(shownRegistry(created), 201);
    })
    .openapi(patchRoute, async (c) => {
      const { id } = c.req.valid('param');
      await existing(id);
      const patch = c.req.valid('json');
      checkSources(patch);
      const updated = await registries.update(id, patch);
      if (updated === null) throw unknownRegistry(id);
      return c.json(shownRegistry(updated), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await registries.remove(id))) throw unknownRegistry(id);
      return c.body(null, 204);
    })
    .openapi(crawlRoute, async (c) => {
      const { id } = c.req.valid('param');
      await existing(id);
      const { crawlId } = await crawls.start(id, 'api');
      c.header('Location', `/v1/crawls/${crawlId}`);
      return c.json({ crawlId }, 202);
    });
}
