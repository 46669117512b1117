/**
 * The normalized document: one per artifact, the query surface of ocidex.
 * Field names are a public contract (queries, saved queries, the API); do not rename.
 * An unknown value is `null` (or the field is absent), never a guess.
 */
import type { SignatureMaterial, Verification } from './trust.js';

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
  | 'kitops'
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
  /**
   * The license as the artifact states it, before splitting and SPDX normalization (e.g. a
   * GGUF `general.license` of "apache-2.0"); null when none is stated.
   */
  licenseRaw: string | null;
  /** The model file format (e.g. "safetensors", "gguf", "onnx"), not the artifact format. */
  format: string | null;
  /** The ML framework (KitOps `model.framework`: pytorch, tensorflow, ...), apart from `format`. */
  framework: string | null;
  /** Reference of the model this one derives from (a KitOps parent kit `registry/repo:tag`). */
  base: string | null;
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
  /** A Sigstore bundle's (or in-toto statement's) predicate type, else null. */
  predicateType?: string | null;
  annotations: JsonObject;
  /** On signatures: what the trust policies say of it (see ./trust.ts). */
  verification?: Verification;
  /**
   * In transit only, never stored in a document: set when the crawl fetched this referrer's
   * manifest (null for a referrer that is no signature), so the index writer records it once.
   */
  material?: SignatureMaterial | null;
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

/**
 * Why an artifact cannot be mounted as a Kubernetes image volume (KEP-4639), the first failing
 * check: image-volume checks (containerd) first, then artifact-volume checks (CRI-O).
 */
export type MountReason =
  | 'not_an_image_config'
  | 'no_diff_ids'
  | 'non_image_layer'
  | 'no_layers'
  | 'unnamed_layer'
  | 'no_children'
  | 'child_unknown';

/** Whether a pod can mount the artifact as an image volume (see src/decode/mount.ts). */
export interface MountInfo {
  /** containerd (any KEP-4639 runtime) mounts it: a runnable image. */
  imageVolume: boolean;
  /** CRI-O >= 1.33 mounts it as an artifact: every layer has a file name. */
  artifactVolume: boolean;
  /** Null when both are true; else the first failing check. */
  reason: MountReason | null;
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
  /** Whether a pod can mount it as an image volume, and why not. */
  mount: MountInfo;
  /** Digest of the subject (this artifact is a referrer of / derived from it), or null. */
  subject: string | null;
  /** For an index child: the digest of the index that lists it; else null. */
  parent: string | null;
  platform: IndexChild['platform'];
  referrers: ReferrerSummary[];
  /** Whether any signature referrer is attached (verified or not). */
  signed: boolean;
  /** Whether at least one signature of this artifact verified against a trust policy. */
  verified: boolean;
  /** Who signed it, from its verified signatures (see Verification.signer), sorted. */
  signers: string[];
  crawledAt: string;
}

/**
 * A document with its mutable attachments (tags, referrers) set; `signed`, `verified` and
 * `signers` follow its own signatures (not those nested on its SBOMs or attestations).
 */
export function withAttachments(
  document: ArtifactDocument,
  tags: Iterable<string>,
  referrers: ReferrerSummary[],
): ArtifactDocument {
  const signatures = referrers.filter((referrer) => referrer.kind === 'signature');
  const verified = signatures.filter((signature) => signature.verification?.status === 'verified');
  const signers = verified
    .map((signature) => signature.verification?.signer)
    .filter((signer) => typeof signer === 'string');
  return {
    ...document,
    tags: [...new Set(tags)].sort(),
    referrers,
    signed: signatures.length > 0,
    verified: verified.length > 0,
    signers: [...new Set(signers)].sort(),
  };
}

/** `<registry>/<repository>@<digest>` */
export function documentReference(registry: string, repository: string, digest: string): string {
  return `${registry}/${repository}@${digest}`;
}
