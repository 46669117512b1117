/**
 * `GET /v1/trust-policies`: the trust policies in force (from the `trust:` section of the
 * config file the service was started with), as readers may see them: see policy-summary.ts.
 * Read-only: the file is their one source, so every process verifies alike.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { summarizePolicy } from '../verify/policy-summary.js';
import type { ApiDeps } from './deps.js';
import { newRouter } from './router.js';
import { errorResponses, jsonResponse, READ_SECURITY } from './schemas.js';

const Identity = z.object({ issuer: z.string(), subject: z.string().optional(), subjectRegExp: z.string().optional() });

const PolicySchema = z
  .object({
    name: z.string(),
    scope: z.array(z.string()),
    sigstore: z
      .object({
        identities: z.array(Identity),
        publicKeys: z
          .array(z.string())
          .openapi({ description: '`key:sha256:<hex of the SPKI DER>`, as in `signers[]`' }),
        trustedRoot: z
          .object({ certificateAuthorities: z.number(), tlogs: z.number(), timestampAuthorities: z.number() })
          .nullable(),
      })
      .nullable(),
    notation: z
      .object({
        trustedIdentities: z.array(z.string()),
        trustStore: z.array(z.object({ subject: z.string(), sha256: z.string() })),
      })
      .nullable(),
  })
  .openapi('TrustPolicy');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['trust'],
  summary: 'Trust policies in force',
  description:
    'The first policy whose scope (`<registry>/<repository>` globs) matches verifies an artifact\u2019s signatures.',
  security: READ_SECURITY,
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(PolicySchema), hash: z.string().nullable() }),
      'Every policy, in order.',
    ),
    ...errorResponses(401),
  },
});

/** The trust-policies router (mounted at `/v1/trust-policies`). */
export function trustPoliciesRoutes(deps: ApiDeps) {
  return newRouter().openapi(listRoute, (c) => {
    const { hash, policies } = deps.index.trustPolicies();
    return c.json({ items: policies.map(summarizePolicy), hash }, 200);
  });
}
