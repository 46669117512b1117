/**
 * omlmd artifacts shaped as `omlmd push` (containers/omlmd, via oras-py) writes them:
 * config `application/x-config` = the metadata JSON, layers [model, metadata JSON, metadata
 * YAML], manifest annotations = string fields as is, other non-null fields as `<key>+json`.
 * See /work/shared/FORMATS.md "omlmd".
 */
import { stringify } from 'yaml';
import type { JsonValue } from '../domain/document.js';
import { MediaType, type ImageManifest } from '../domain/oci.js';
import { descriptorFor, manifestArtifact, type BlobSpec, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes, textBytes } from './bytes.js';

export const OmlmdMediaType = {
  config: 'application/x-config',
  model: 'application/x-mlmodel',
  /** Older omlmd releases. */
  legacyModel: 'application/x-artifact',
} as const;

const TITLE = 'org.opencontainers.image.title';

/** omlmd's ModelMetadata, field order as in omlmd (nulls are kept in the config). */
export interface OmlmdMetadata {
  name: string | null;
  description: string | null;
  author: string | null;
  customProperties: Record<string, JsonValue> | null;
  uri: string | null;
  model_format_name: string | null;
  model_format_version: string | null;
}

export interface OmlmdOptions {
  metadata: Partial<OmlmdMetadata>;
  /** Title of the model layer (default `model.onnx`). */
  modelFile?: string;
  /** Model layer media type (default `application/x-mlmodel`). */
  modelMediaType?: string;
  /** Model bytes (default: 300 filler bytes seeded by the name and file). */
  modelBytes?: Uint8Array;
  /** Add the `model_metadata.omlmd.yaml` layer (default true). */
  includeYaml?: boolean;
  /** Annotations added to (or overriding) the generated ones, e.g. a broken `x+json`. */
  extraAnnotations?: Record<string, string>;
}

/** The full metadata with every absent field as null, in omlmd's field order. */
export function omlmdMetadata(partial: Partial<OmlmdMetadata>): OmlmdMetadata {
  return {
    name: partial.name ?? null,
    description: partial.description ?? null,
    author: partial.author ?? null,
    customProperties: partial.customProperties ?? null,
    uri: partial.uri ?? null,
    model_format_name: partial.model_format_name ?? null,
    model_format_version: partial.model_format_version ?? null,
  };
}

/** omlmd's `to_annotations_dict`: strings as is, nulls dropped, the rest `<key>+json`. */
export function omlmdAnnotations(metadata: OmlmdMetadata): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null) continue;
    if (typeof value === 'string') annotations[key] = value;
    else annotations[`${key}+json`] = pythonJson(value as JsonValue);
  }
  return annotations;
}

/** An omlmd model artifact. */
export function omlmdArtifact(options: OmlmdOptions): SampleArtifact<ImageManifest> {
  const metadata = omlmdMetadata(options.metadata);
  const modelFile = options.modelFile ?? 'model.onnx';
  const metadataJson = textBytes(JSON.stringify(metadata));
  const layers: BlobSpec[] = [
    {
      mediaType: options.modelMediaType ?? OmlmdMediaType.model,
      bytes: options.modelBytes ?? fillerBytes(`omlmd:${metadata.name ?? ''}:${modelFile}`, 300),
      annotations: { [TITLE]: modelFile },
    },
    { mediaType: OmlmdMediaType.config, bytes: metadataJson, annotations: { [TITLE]: 'model_metadata.omlmd.json' } },
  ];
  if (options.includeYaml !== false) {
    const yamlBytes = textBytes(stringify(metadata));
    layers.push({
      mediaType: OmlmdMediaType.config,
      bytes: yamlBytes,
      annotations: { [TITLE]: 'model_metadata.omlmd.yaml' },
    });
  }
  return manifestArtifact({
    config: { mediaType: OmlmdMediaType.config, bytes: metadataJson },
    layers,
    annotations: { ...omlmdAnnotations(metadata), ...options.extraAnnotations },
  });
}

/**
 * An omlmd model in image mode: an OCI image config with `rootfs.diff_ids` and uncompressed
 * tar layers titled `<model>.tar` and `model_metadata.omlmd.tar`, so a runtime can mount it.
 */
export function omlmdImageArtifact(options: OmlmdOptions): SampleArtifact<ImageManifest> {
  const metadata = omlmdMetadata(options.metadata);
  const modelFile = options.modelFile ?? 'model.onnx';
  const tarLayer = (title: string, bytes: Uint8Array): BlobSpec => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    bytes,
    annotations: { [TITLE]: title },
  });
  const layers = [
    tarLayer(`${modelFile}.tar`, fillerBytes(`omlmd-image:${metadata.name ?? ''}:${modelFile}`, 300)),
    tarLayer('model_metadata.omlmd.tar', fillerBytes(`omlmd-image:${metadata.name ?? ''}:metadata`, 200)),
  ];
  const diffIds = layers.map((layer) => descriptorFor(layer).digest);
  const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } };
  return manifestArtifact({
    config: { mediaType: MediaType.ociImageConfig, bytes: jsonBytes(config) },
    layers,
    annotations: omlmdAnnotations(metadata),
  });
}

/** JSON as Python's `json.dumps` writes it (`", "` and `": "` separators), as omlmd does. */
export function pythonJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}: ${pythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  return JSON.stringify(value);
}
