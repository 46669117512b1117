/**
 * Manifest bytes to a validated manifest or index (OCI image-spec "Image Manifest" and
 * "Image Index"; Docker "Image Manifest V 2, Schema 2"). The only decode step that throws.
 */
import { OcidexError } from '../domain/errors.js';
import { MediaType, type Manifest } from '../domain/oci.js';
import { checkDescriptor, checkDescriptors } from './descriptor.js';
import { isJsonObject, parseJson, utf8Text } from './json.js';
import { baseMediaType } from './media-types.js';

const SCHEMA1_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);
const INDEX_MEDIA_TYPES = new Set<string>([MediaType.ociIndex, MediaType.dockerManifestList]);
const MANIFEST_MEDIA_TYPES = new Set<string>([MediaType.ociManifest, MediaType.dockerManifest]);

function invalid(reason: string): OcidexError {
  return new OcidexError('invalid_manifest', `invalid manifest: ${reason}`);
}

function unsupportedSchema1(): OcidexError {
  return invalid('Docker schema1 manifests are unsupported (deprecated; push it again as schema 2 or OCI)');
}

function parseObject(bytes: Uint8Array): Record<string, unknown> {
  const text = utf8Text(bytes);
  if (text === undefined) throw invalid('not UTF-8 text');
  const parsed = parseJson(text);
  if (!parsed.ok) throw invalid(parsed.reason);
  if (!isJsonObject(parsed.value)) throw invalid('not a JSON object');
  return parsed.value;
}

/** The shape, checked against the declared `mediaType` (no ambiguous documents). */
function shapeOf(object: Record<string, unknown>): 'index' | 'manifest' {
  const declared = typeof object.mediaType === 'string' ? object.mediaType : undefined;
  const hasManifests = object.manifests !== undefined;
  const hasImageFields = object.config !== undefined || object.layers !== undefined;
  if (hasManifests && hasImageFields) throw invalid('has both "manifests" and "config"/"layers"');
  if (!hasManifests && !hasImageFields) throw invalid('has neither "manifests" nor "config" and "layers"');
  const shape = hasManifests ? 'index' : 'manifest';
  if (declared !== undefined && (shape === 'index' ? MANIFEST_MEDIA_TYPES : INDEX_MEDIA_TYPES).has(declared)) {
    throw invalid(`mediaType "${declared}" does not match the document's shape (${shape})`);
  }
  return shape;
}

/**
 * Parses and validates manifest bytes: a JSON object, an index if it has `manifests`, a
 * manifest if it has `config` + `layers`; `schemaVersion` 2; descriptors well formed.
 * Annotations are not validated here (see decodeAnnotations).
 * @param mediaType the Content-Type the registry sent, or null.
 * @throws OcidexError `invalid_manifest` with a message naming what is wrong; Docker
 *   schema1 manifests are reported as unsupported.
 */
export function parseManifest(bytes: Uint8Array, mediaType: string | null): Manifest {
  if (mediaType !== null && SCHEMA1_MEDIA_TYPES.has(baseMediaType(mediaType))) throw unsupportedSchema1();
  const object = parseObject(bytes);
  const declared = object.mediaType;
  if (object.schemaVersion === 1 || (typeof declared === 'string' && SCHEMA1_MEDIA_TYPES.has(declared))) {
    throw unsupportedSchema1();
  }
  if (object.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  if (declared !== undefined && typeof declared !== 'string') throw invalid('mediaType must be a string');
  if (object.artifactType !== undefined && typeof object.artifactType !== 'string') {
    throw invalid('artifactType must be a string');
  }
  if (object.subject !== undefined) checkDescriptor(object.subject, 'subject');
  if (shapeOf(object) === 'index') {
    checkDescriptors(object.manifests, 'manifests');
  } else {
    checkDescriptor(object.config, 'config');
    checkDescriptors(object.layers, 'layers');
  }
  return object as unknown as Manifest;
}
