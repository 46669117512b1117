/**
 * `GET /v1/artifacts/{reference}`: one document by `registry/repository@digest` or
 * `registry/repository:tag`, with its referrers and the tag history of that digest. The
 * reference holds `/`, `:` and `@`, sent as is or percent-encoded; the route takes the rest of
 * the path, so it is registered in the OpenAPI document by hand.
 */
import { z } from '@hono/zod-openapi';
import { OcidexError } from '../domain/errors.js';
import { parseReference } from '../registry/index.js';
import type { ApiDeps } from './deps.js';
import { newRouter } from './router.js';
import { DocumentSchema, errorResponses, jsonResponse, READ_SECURITY, ReferrerSchema } from './schemas.js';

const TagEventSchema = z
  .object({
    tag: z.string(),
    oldDigest: z.string().nullable().openapi({ description: 'null: the tag was added.' }),
    newDigest: z.string().nullable().openapi({ description: 'null: the tag was removed.' }),
    at: z.string(),
  })
  .openapi('TagEvent');

const ArtifactSchema = z
  .object({
    document: DocumentSchema,
    referrers: z.array(ReferrerSchema),
    history: z.array(TagEventSchema).openapi({ description: 'Tag changes to or from this digest, oldest first.' }),
  })
  .openapi('Artifact');

const ReferenceSchema = z
  .string()
  .min(1)
  .max(1024)
  .openapi({
    param: { name: 'reference', in: 'path' },
    description: '`registry/repository@digest` or `registry/repository:tag`; `/`, `:` and `@` may be percent-encoded.',
    example: 'registry.example.com/models/llama@sha256:…',
  });

/** The artifacts router (mounted at `/v1/artifacts`). */
export function artifactsRoutes(deps: ApiDeps) {
  const router = newRouter();
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{reference}',
    tags: ['artifacts'],
    summary: 'One artifact',
    security: READ_SECURITY,
    request: { params: z.object({ reference: ReferenceSchema }) },
    responses: {
      200: jsonResponse(ArtifactSchema, 'The document, its referrers, its tag history.'),
      ...errorResponses(400, 401, 404),
    },
  });
  router.get('/:reference{.+}', (c) => {
    const text = c.req.param('reference');
    if (!ReferenceSchema.safeParse(text).success) throw new OcidexError('invalid_reference', 'reference too long');
    const { registry, repository, tag, digest } = parseReference(text);
    const document = deps.index.findDocuments(registry, repository, digest ?? tag ?? 'latest');
    if (document === null) throw new OcidexError('not_found', `no indexed artifact ${text}`);
    const history = deps.index
      .tagHistory(registry, repository)
      .filter((event) => event.oldDigest === document.digest || event.newDigest === document.digest);
    const body: z.infer<typeof ArtifactSchema> = { document, referrers: document.referrers, history };
    return c.json(body, 200);
  });
  return router;
}
