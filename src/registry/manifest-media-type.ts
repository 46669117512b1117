/**
 * What a fetched manifest is: the `Content-Type` must be a known manifest or index type and agree
 * with the body's `mediaType` and shape; a missing or generic type (`application/json`,
 * `application/octet-stream`) is accepted when the body says what it is (FORMATS.md: top-level
 * `mediaType` may be absent, detect by shape).
 */
import { OcidexError } from '../domain/errors.js';
import { MANIFEST_ACCEPT, MediaType, type ImageIndex } from '../domain/oci.js';

const MANIFEST_TYPES: ReadonlySet<string> = new Set(MANIFEST_ACCEPT);
const INDEX_TYPES: ReadonlySet<string> = new Set([MediaType.ociIndex, MediaType.dockerManifestList]);
const GENERIC_TYPES: ReadonlySet<string> = new Set(['', 'application/json', 'application/octet-stream', 'text/plain']);

type Shape = 'index' | 'manifest' | undefined;

/** `type/subtype` of a Content-Type, lower case, parameters dropped. */
export function essence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The body as a JSON object, or throws `invalid_manifest`. */
export function parseManifestJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new OcidexError('invalid_manifest', `${what} is not JSON`, {}, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OcidexError('invalid_manifest', `${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function shapeOf(body: Record<string, unknown>): Shape {
  if (Array.isArray(body.manifests)) return 'index';
  if (typeof body.config === 'object' && body.config !== null) return 'manifest';
  return undefined;
}

function mismatch(what: string, why: string): OcidexError {
  return new OcidexError('content_type_mismatch', `${what}: ${why}`);
}

function checkShape(type: string, shape: Shape, what: string): void {
  if (shape === undefined) return;
  if ((shape === 'index') !== INDEX_TYPES.has(type)) throw mismatch(what, `${type} but the body is an ${shape}`);
}

/** The media type of a manifest body served with `contentType`; throws when they disagree. */
export function manifestMediaType(contentType: string | undefined, bytes: Uint8Array, what: string): string {
  const body = parseManifestJson(bytes, what);
  const declared = essence(contentType);
  const bodyType = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  const shape = shapeOf(body);
  if (MANIFEST_TYPES.has(declared)) {
    if (bodyType !== undefined && bodyType !== declared) {
      throw mismatch(what, `Content-Type ${declared}, body says ${bodyType.slice(0, 100)}`);
    }
    checkShape(declared, shape, what);
    return declared;
  }
  if (!GENERIC_TYPES.has(declared)) throw mismatch(what, `unexpected Content-Type ${declared.slice(0, 100)}`);
  if (bodyType !== undefined) {
    if (!MANIFEST_TYPES.has(bodyType)) throw mismatch(what, `unknown manifest media type ${bodyType.slice(0, 100)}`);
    checkShape(bodyType, shape, what);
    return bodyType;
  }
  if (shape === 'index') return MediaType.ociIndex;
  if (shape === 'manifest') return MediaType.ociManifest;
  throw mismatch(what, 'the body is neither a manifest nor an index');
}

/** The body as an image index when it is one (by Content-Type or, when generic, by shape), else null. */
export function asImageIndex(contentType: string | undefined, bytes: Uint8Array): ImageIndex | null {
  const declared = essence(contentType);
  if (declared !== MediaType.ociIndex && !GENERIC_TYPES.has(declared)) return null;
  let body: Record<string, unknown>;
  try {
    body = parseManifestJson(bytes, 'referrers response');
  } catch {
    return null;
  }
  if (!Array.isArray(body.manifests)) return null;
  if (body.mediaType !== undefined && body.mediaType !== MediaType.ociIndex) return null;
  return body as unknown as ImageIndex;
}
