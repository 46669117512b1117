/**
 * Pure: registry notification payloads -> the manifest changes ocidex cares about.
 *
 * - Distribution (CNCF distribution `notifications`, envelope `{"events": [...]}`): a `push` counts
 *   when `target.mediaType` is a manifest or index type; a `delete` counts when it names a
 *   digest and its media type, if given, is one (manifest deletes carry no media type and cannot
 *   be told from blob deletes; removing a digest that is no document is harmless). Blob pushes,
 *   mounts, pulls and tag-only deletes are ignored.
 * - Harbor webhooks (`PUSH_ARTIFACT`, `DELETE_ARTIFACT`): one change per resource.
 *
 * The registry host of each change is `request.host` (distribution) or the host of
 * `resource_url` (Harbor); events.ts maps it to a configured registry.
 */
import { z } from '@hono/zod-openapi';
import { MANIFEST_ACCEPT } from '../domain/oci.js';
import { parseDigest } from '../registry/digest.js';
import { isRepositoryName, isTag } from '../registry/reference.js';
import type { PushEvent } from '../domain/registry.js';

/** Events in one payload at most (distribution's default threshold is far lower). */
const MAX_EVENTS = 1000;

/** One change, before its registry is known. */
export interface ManifestChange {
  action: 'push' | 'remove';
  host: string | null;
  event: Omit<PushEvent, 'registry'>;
}

export const DistributionEnvelopeSchema = z
  .looseObject({
    events: z
      .array(
        z.looseObject({
          action: z.string(),
          target: z
            .looseObject({
              mediaType: z.string().optional(),
              digest: z.string().optional(),
              repository: z.string().optional(),
              tag: z.string().optional(),
            })
            .optional(),
          request: z.looseObject({ host: z.string().optional() }).optional(),
        }),
      )
      .max(MAX_EVENTS)
      .optional(),
  })
  .openapi('DistributionEnvelope');

export const HarborWebhookSchema = z
  .looseObject({
    type: z.string().openapi({ example: 'PUSH_ARTIFACT' }),
    event_data: z
      .looseObject({
        resources: z
          .array(
            z.looseObject({
              digest: z.string().optional(),
              tag: z.string().optional(),
              resource_url: z.string().optional(),
            }),
          )
          .max(MAX_EVENTS)
          .optional(),
        repository: z
          .looseObject({
            name: z.string().optional(),
            namespace: z.string().optional(),
            repo_full_name: z.string().optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .openapi('HarborWebhook');

const MANIFEST_TYPES: ReadonlySet<string> = new Set(MANIFEST_ACCEPT);

function isManifestType(mediaType: string): boolean {
  return MANIFEST_TYPES.has((mediaType.split(';')[0] ?? '').trim().toLowerCase());
}

/** The change, when repository, digest and tag are well formed; else null (ignored). */
function change(
  action: ManifestChange['action'],
  host: string | undefined,
  event: ManifestChange['event'],
): ManifestChange | null {
  if (!isRepositoryName(event.repository) || parseDigest(event.digest) === null) return null;
  if (event.tag !== null && !isTag(event.tag)) return null;
  return { action, host: host === undefined || host === '' ? null : host, event };
}

/** The manifest changes of a distribution envelope, and how many events were ignored. */
export function distributionChanges(envelope: z.infer<typeof DistributionEnvelopeSchema>): {
  changes: ManifestChange[];
  ignored: number;
} {
  const events = envelope.events ?? [];
  const changes: ManifestChange[] = [];
  for (const { action, target, request } of events) {
    const mediaType = target?.mediaType ?? null;
    const counts =
      (action === 'push' && mediaType !== null && isManifestType(mediaType)) ||
      (action === 'delete' && (mediaType === null || isManifestType(mediaType)));
    if (!counts || target?.repository === undefined || target.digest === undefined) continue;
    const found = change(action === 'push' ? 'push' : 'remove', request?.host, {
      repository: target.repository,
      digest: target.digest,
      tag: target.tag === undefined || target.tag === '' ? null : target.tag,
      mediaType,
    });
    if (found !== null) changes.push(found);
  }
  return { changes, ignored: events.length - changes.length };
}

const HARBOR_ACTIONS: Record<string, ManifestChange['action']> = { PUSH_ARTIFACT: 'push', DELETE_ARTIFACT: 'remove' };

/** The manifest changes of a Harbor webhook, and how many resources were ignored. */
export function harborChanges(payload: z.infer<typeof HarborWebhookSchema>): {
  changes: ManifestChange[];
  ignored: number;
} {
  const resources = payload.event_data?.resources ?? [];
  const action = HARBOR_ACTIONS[payload.type];
  const repository = payload.event_data?.repository;
  const name = repository?.repo_full_name ?? [repository?.namespace, repository?.name].filter(Boolean).join('/');
  if (action === undefined || name === '') return { changes: [], ignored: Math.max(resources.length, 1) };
  const changes: ManifestChange[] = [];
  for (const resource of resources) {
    if (resource.digest === undefined) continue;
    const host = resource.resource_url?.replace(/^https?:\/\//i, '').split('/')[0];
    const tag = resource.tag === undefined || resource.tag === '' ? null : resource.tag;
    const found = change(action, host, { repository: name, digest: resource.digest, tag, mediaType: null });
    if (found !== null) changes.push(found);
  }
  return { changes, ignored: resources.length - changes.length };
}
