/**
 * The normalized document: one per artifact, the query surface of ocidex.
 * Field names are a public contract (queries, saved queries, the API); do not rename.
 * An unknown value is `null` (or the field is absent), never a guess.
 */

/** JSON values as stored and queried. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ArtifactKind = 'model' | 'image' | 'index' | 'artifact';

export type ArtifactFormat =
  | 'omlmd'
  | 'modelpack'
  | 'cnai'
  | 'docker-model'
  | 'ollama'
  | 'oci-image'
  | 'docker-image'
  | 'oci-index'
  | 'artifact';

export type ReferrerKind = 'signature' | 'sbom' | 'attestation' | 'artifact';

export interface LayerSummary {
  mediaType: string;
  digest: string;
  size: number;
  /** `org.opencontainers.image.title`, else a format's file path annotation, else null. */
  title: string | null;
  /** Layer annotations, `+json` keys decoded under the key without the suffix. */
  annotations: JsonObject;
}

/** Model metadata normalized across formats; every field null/empty when unknown. */
export interface ModelInfo {
  name: string | null;
  version: string | null;
  /** The first SPDX identifier of `licenses`, or null. */
  license: string | null;
  licenses: string[];
  /** The model file format (e.g. "safetensors", "gguf", "onnx"), not the artifact format. */
  format: string | null;
  architecture: string | null;
  family: string | null;
  paramSize: string | null;
  precision: string | null;
  quantization: string | null;
  authors: string[];
  description: string | null;
  /** Where the model lives when it is outside the registry (Hugging Face, S3, ...). */
  uri: string | null;
  created: string | null;
  /** Numeric custom properties (accuracy, f1, ...). */
  metrics: Record<string, number>;
}

/** A referrer (signature, SBOM, attestation, ...) embedded in its subject's document. */
export interface ReferrerSummary {
  digest: string;
  mediaType: string | null;
  artifactType: string | null;
  kind: ReferrerKind;
  annotations: JsonObject;
  /** Referrers of this referrer (a signature on an SBOM), bounded depth. */
  referrers: ReferrerSummary[];
}

/** Child of an image index / manifest list, with its platform. */
export interface IndexChild {
  digest: string;
  mediaType: string | null;
  size: number;
  platform: { os: string | null; architecture: string | null; variant: string | null } | null;
}

export interface ArtifactDocument {
  /** `<registry>/<repository>@<digest>`, as omlmd's crawl output. */
  reference: string;
  registry: string;
  repository: string;
  digest: string;
  tags: string[];
  mediaType: string | null;
  /** The manifest `artifactType`, else `config.mediaType`, else null. */
  artifactType: string | null;
  kind: ArtifactKind;
  format: ArtifactFormat;
  annotations: JsonObject;
  /** The config blob parsed, when it is JSON and small; else null. */
  config: JsonValue;
  layers: LayerSummary[];
  /** Children of an index (with platform); empty for manifests. */
  manifests: IndexChild[];
  /** Manifest + config + layers, in bytes. */
  size: number;
  model: ModelInfo | null;
  /** Digest of the subject (this artifact is a referrer of / derived from it), or null. */
  subject: string | null;
  /** For an index child: the digest of the index that lists it; else null. */
  parent: string | null;
  platform: IndexChild['platform'];
  referrers: ReferrerSummary[];
  signed: boolean;
  crawledAt: string;
}

/** A document with its mutable attachments (tags, referrers) set; `signed` follows referrers. */
export function withAttachments(
  document: ArtifactDocument,
  tags: Iterable<string>,
  referrers: ReferrerSummary[],
): ArtifactDocument {
  return {
    ...document,
    tags: [...new Set(tags)].sort(),
    referrers,
    signed: referrers.some((referrer) => referrer.kind === 'signature'),
  };
}

/** `<registry>/<repository>@<digest>` */
export function documentReference(registry: string, repository: string, digest: string): string {
  return `${registry}/${repository}@${digest}`;
}
