/**
 * Registry notifications: `POST /v1/events/distribution` (CNCF distribution) and
 * `POST /v1/events/harbor` (Harbor webhooks), authenticated by the registry's event secret
 * (`Authorization: Bearer <secret>`; in distribution's config `notifications.endpoints[].headers`,
 * in Harbor the webhook's "Auth Header"): its `eventSecretEnv`, else OCIDEX_EVENT_SECRET
 * (event-secrets.ts). Changes for a registry the secret does not open are ignored.
 *
 * Which configured registry an event belongs to: the `?registry=<id>` query parameter when given
 * (404 when no such registry), else the registry whose url has the event's host (distribution
 * `request.host`, Harbor `resource_url`); events of an unknown host are ignored. `request.host` is
 * the Host header clients used, which need not be the address ocidex crawls, so configuring the
 * endpoint URL with `?registry=` is the reliable way. Changes are forwarded in order to the
 * idempotent sink; the answer is 202 `{accepted, ignored}`.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { OcidexError } from '../domain/errors.js';
import { canonicalRegistry } from '../registry/index.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { authenticatedRegistries } from './event-secrets.js';
import {
  DistributionEnvelopeSchema,
  distributionChanges,
  HarborWebhookSchema,
  harborChanges,
  type ManifestChange,
} from './event-payloads.js';
import { SlugSchema } from '../config/registry-schema.js';
import { describeIssues, newRouter } from './router.js';
import { errorResponses, jsonResponse } from './schemas.js';

const DISTRIBUTION_TYPES = [
  'application/vnd.docker.distribution.events.v2+json',
  'application/vnd.docker.distribution.events.v1+json',
  'application/json',
];
const HARBOR_TYPES = ['application/json'];

const EventsQuerySchema = z.object({
  registry: SlugSchema.optional().openapi({
    description: 'Id of the configured registry the events come from (else matched by host).',
  }),
});
const AcceptedSchema = z.object({ accepted: z.number().int(), ignored: z.number().int() }).openapi('EventsAccepted');

/** Parses a JSON body of one of `mediaTypes` against `schema`. */
async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
  mediaTypes: readonly string[],
): Promise<z.infer<T>> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!mediaTypes.includes(type))
    throw new ApiError('unsupported_media_type', `Content-Type must be one of ${mediaTypes.join(', ')}`);
  const text = await c.req.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OcidexError('invalid_argument', 'malformed JSON in request body');
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new OcidexError('invalid_argument', describeIssues('body', result.error));
  return result.data;
}

function hostOf(url: string): string | null {
  try {
    return canonicalRegistry(url);
  } catch {
    return null;
  }
}

/**
 * Authenticates the request and maps an event's host to a configured registry id its secret
 * opens (see the module comment); null for a host of no such registry.
 */
async function registryResolver(deps: ApiDeps, c: Context): Promise<(host: string | null) => string | null> {
  const opened = await authenticatedRegistries(c.req.header('Authorization'), deps.registries, deps.config);
  const query = EventsQuerySchema.safeParse(c.req.query());
  if (!query.success) throw new OcidexError('invalid_argument', describeIssues('query', query.error));
  const requested = query.data.registry;
  if (requested !== undefined) {
    if ((await deps.registries.get(requested)) === null)
      throw new OcidexError('not_found', `no registry '${requested}'`);
    if (!opened.has(requested)) {
      throw new ApiError('unauthorized', `the event secret given is not registry '${requested}'s`);
    }
    return () => requested;
  }
  const byHost = new Map<string, string>();
  for (const config of await deps.registries.list()) {
    const host = hostOf(config.url);
    if (host !== null && !byHost.has(host)) byHost.set(host, config.id);
  }
  return (host) => {
    const id = host === null ? undefined : byHost.get(hostOf(host) ?? '');
    return id !== undefined && opened.has(id) ? id : null;
  };
}

/** Forwards the changes whose registry is known; returns how many were. */
async function forward(
  deps: ApiDeps,
  changes: ManifestChange[],
  registryOf: (host: string | null) => string | null,
): Promise<number> {
  let forwarded = 0;
  for (const { action, host, event } of changes) {
    const registry = registryOf(host);
    if (registry === null) continue;
    if (action === 'push') await deps.events.push({ registry, ...event });
    else await deps.events.remove({ registry, ...event });
    forwarded += 1;
  }
  return forwarded;
}

function documentRoute(
  router: ReturnType<typeof newRouter>,
  path: string,
  summary: string,
  schema: z.ZodType,
  types: string[],
) {
  router.openAPIRegistry.registerPath({
    method: 'post',
    path,
    tags: ['events'],
    summary,
    security: [{ eventSecret: [] }],
    request: {
      query: EventsQuerySchema,
      body: { required: true, content: Object.fromEntries(types.map((type) => [type, { schema }])) },
    },
    responses: { 202: jsonResponse(AcceptedSchema, 'Forwarded.'), ...errorResponses(400, 401, 403, 404, 413, 415) },
  });
}

/** The events router (mounted at `/v1/events`). */
export function eventsRoutes(deps: ApiDeps) {
  const router = newRouter();
  documentRoute(
    router,
    '/distribution',
    'CNCF distribution notifications',
    DistributionEnvelopeSchema,
    DISTRIBUTION_TYPES,
  );
  documentRoute(
    router,
    '/harbor',
    'Harbor webhook (PUSH_ARTIFACT, DELETE_ARTIFACT)',
    HarborWebhookSchema,
    HARBOR_TYPES,
  );
  router.post('/distribution', async (c) => {
    const registryOf = await registryResolver(deps, c);
    const { changes, ignored } = distributionChanges(await readJson(c, DistributionEnvelopeSchema, DISTRIBUTION_TYPES));
    const accepted = await forward(deps, changes, registryOf);
    return c.json({ accepted, ignored: ignored + changes.length - accepted }, 202);
  });
  router.post('/harbor', async (c) => {
    const registryOf = await registryResolver(deps, c);
    const { changes, ignored } = harborChanges(await readJson(c, HarborWebhookSchema, HARBOR_TYPES));
    const accepted = await forward(deps, changes, registryOf);
    return c.json({ accepted, ignored: ignored + changes.length - accepted }, 202);
  });
  return router;
}
