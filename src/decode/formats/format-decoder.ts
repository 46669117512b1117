/**
 * The decoder contract (Artifact Hub `source/<kind>` style): one pure function per format,
 * `(manifest, config, context) -> document parts`, and a predicate that claims a manifest.
 */
import type { ArtifactFormat, ArtifactKind, JsonObject, JsonValue, ModelInfo } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { isJsonObject, text } from '../json.js';
import { baseMediaType } from '../media-types.js';

export interface DecoderContext {
  /** Manifest annotations, `+json` decoded. */
  annotations: JsonObject;
}

/** What a format decoder contributes to the document. */
export interface DecodedParts {
  kind: ArtifactKind;
  format: ArtifactFormat;
  model: ModelInfo | null;
}

export type Decoder = (manifest: ImageManifest, config: JsonValue, context: DecoderContext) => DecodedParts;

export interface FormatDecoder {
  format: ArtifactFormat;
  /** True when the manifest is of this format (checked in registration order). */
  matches: (manifest: ImageManifest, context: DecoderContext) => boolean;
  decode: Decoder;
}

/** The config media type without parameters, lower-cased. */
export function configMediaType(manifest: ImageManifest): string {
  return baseMediaType(text(manifest.config.mediaType) ?? '');
}

/** The manifest `artifactType` without parameters, lower-cased, or ''. */
export function manifestArtifactType(manifest: ImageManifest): string {
  return baseMediaType(text(manifest.artifactType) ?? '');
}

/** Layer media types, lower-cased without parameters. */
export function layerMediaTypes(manifest: ImageManifest): string[] {
  return manifest.layers.map((layer) => baseMediaType(text(layer.mediaType) ?? ''));
}

/** Raw annotation keys of every layer (annotations that are not objects count as none). */
export function layerAnnotationKeys(manifest: ImageManifest): string[] {
  return manifest.layers.flatMap((layer) => (isJsonObject(layer.annotations) ? Object.keys(layer.annotations) : []));
}
