/**
 * Zod schemas shared by several routers: the error shape, documents, query pages. The OpenAPI
 * document is generated from these; request schemas are also what validates input.
 */
import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_query' }),
      message: z.string(),
      position: z.number().int().optional().openapi({ description: 'Offset in the query text (invalid_query).' }),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS: Partial<Record<ContentfulStatusCode, string>> = {
  400: 'Invalid input (query, parameters, body, malformed JSON).',
  401: 'Missing or wrong bearer token.',
  403: 'Not allowed (read token on a write, writes disabled without an admin token).',
  404: 'Not found.',
  409: 'Conflict (id already used).',
  413: 'Request body too large.',
  415: 'Unsupported Content-Type.',
  422: 'The query exceeded its time budget or its result cap (query_timeout, result_too_large).',
  503: 'The request did not finish in time.',
};

/** OpenAPI responses in the error shape for `statuses`. */
export function errorResponses(...statuses: ContentfulStatusCode[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? 'Error.', content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  ) as Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
}

/** One JSON response of `schema`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** The answer to a conditional read whose `If-None-Match` names the current ETag (query answers are cached per index version). */
export const NOT_MODIFIED = {
  304: { description: 'Not modified: `If-None-Match` named the current `ETag` (the index has not changed); no body.' },
};

/** Security of read endpoints: open, unless a read token is configured. */
export const READ_SECURITY: Array<Record<string, string[]>> = [{}, { readToken: [] }, { adminToken: [] }];
/** Security of write endpoints: the admin token. */
export const WRITE_SECURITY: Array<Record<string, string[]>> = [{ adminToken: [] }];

const JsonValueSchema = z.unknown().openapi({ description: 'Any JSON value.' });

/** A referrer embedded in its subject's document (referrers nest; see the document reference). */
export const ReferrerSchema = z
  .object({
    digest: z.string(),
    mediaType: z.string().nullable(),
    artifactType: z.string().nullable(),
    kind: z.enum(['signature', 'sbom', 'attestation', 'artifact']),
    annotations: z.record(z.string(), JsonValueSchema),
    referrers: z.array(z.unknown()).openapi({ description: 'Referrers of this referrer (same shape).' }),
  })
  .openapi('Referrer');

/** The normalized document (src/domain/document.ts): its stable top-level fields. */
export const DocumentSchema = z
  .object({
    reference: z.string().openapi({ example: 'registry.example.com/models/llama@sha256:…' }),
    registry: z.string(),
    repository: z.string(),
    digest: z.string(),
    tags: z.array(z.string()),
    mediaType: z.string().nullable(),
    artifactType: z.string().nullable(),
    kind: z.enum(['model', 'image', 'index', 'artifact']),
    format: z.string(),
    annotations: z.record(z.string(), JsonValueSchema),
    config: JsonValueSchema,
    layers: z.array(z.unknown()),
    manifests: z.array(z.unknown()),
    size: z.number(),
    model: z.unknown().openapi({ description: 'Normalized model metadata, or null.' }),
    subject: z.string().nullable(),
    parent: z.string().nullable(),
    platform: z.unknown(),
    referrers: z.array(ReferrerSchema),
    signed: z.boolean(),
    crawledAt: z.string(),
  })
  .openapi('Document', { description: 'The normalized document; fields may be added, never renamed.' });

export const DialectSchema = z.enum(['rfc9535', 'jsonpath-plus']).openapi({
  description: 'rfc9535 (default): RFC 9535 JSONPath. jsonpath-plus: its script filters (safe evaluator only).',
});

/** `text`: free-text words, combined with `q`. */
export const TextSchema = z
  .string()
  .max(512)
  .optional()
  .openapi({
    description:
      'Free-text words, all required, each a word prefix (`llama 8b gguf`), over name, description, family, format, ' +
      'license, parameter size, quantization, repository, tags and annotations; combined with `q`.',
    example: 'fraud onnx',
  });

/** Paging parameters of every query endpoint. */
export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'Items per page (default 100, at most the engine cap).', example: 20 }),
  cursor: z.string().max(4096).optional().openapi({ description: 'nextCursor of the previous page.' }),
});

export const QueryPageSchema = z
  .object({
    items: z.array(JsonValueSchema).openapi({ description: 'Matched documents or selected values, in order.' }),
    nextCursor: z.string().nullable(),
    total: z.number().int().optional().openapi({ description: 'Total items, when known without extra work.' }),
  })
  .openapi('QueryPage');
