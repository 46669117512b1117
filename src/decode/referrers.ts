/**
 * Referrer classification: signature | sbom | attestation | artifact, from the referrer's
 * artifact type. See ../../../shared/FORMATS.md, "Referrers".
 */
import type { JsonObject, ReferrerKind, ReferrerSummary } from '../domain/document.js';
import { isIndex, type Descriptor, type Manifest } from '../domain/oci.js';
import { decodeAnnotations } from './annotations.js';
import { member, text } from './json.js';
import { Annotation, baseMediaType, ReferrerMediaType } from './media-types.js';

const SIGNATURE_TYPES = new Set<string>([
  ReferrerMediaType.notarySignature,
  ReferrerMediaType.cosignSimpleSigning,
  ReferrerMediaType.cosignSignatureArtifact,
]);
/** SPDX, CycloneDX and Syft documents in any serialization (`text/spdx`, `+json`, `+xml`). */
const SBOM_TYPE = /^(?:application|text)\/(?:vnd\.)?(?:spdx|cyclonedx|syft)(?:\+[a-z-]+)?$/;

/**
 * The kind of a referrer of type `type` (artifactType, else config media type). A sigstore
 * bundle is an attestation when its `dev.sigstore.bundle.predicateType` annotation is set.
 */
export function referrerKind(type: string | null, annotations: JsonObject = {}): ReferrerKind {
  if (type === null) return 'artifact';
  const base = baseMediaType(type);
  if (base.startsWith(ReferrerMediaType.sigstoreBundlePrefix)) {
    return text(member(annotations, Annotation.sigstorePredicateType)) === null ? 'signature' : 'attestation';
  }
  if (SIGNATURE_TYPES.has(base)) return 'signature';
  if (base.startsWith(ReferrerMediaType.inTotoPrefix) || base === ReferrerMediaType.dsseEnvelope) return 'attestation';
  if (SBOM_TYPE.test(base) || base === ReferrerMediaType.cosignSbomArtifact) return 'sbom';
  return 'artifact';
}

/** The kind told by layer media types (cosign's tag-based `.sig` / `.att` manifests). */
function kindFromLayers(manifest: Manifest | null | undefined, annotations: JsonObject): ReferrerKind {
  if (!manifest || isIndex(manifest) || !Array.isArray(manifest.layers)) return 'artifact';
  for (const layer of manifest.layers) {
    const kind = referrerKind(text(layer?.mediaType), annotations);
    if (kind !== 'artifact') return kind;
  }
  return 'artifact';
}

/**
 * A referrer descriptor (from a referrers API response or a fallback index entry), classified
 * from its `artifactType`, else the referrer manifest's `artifactType` or `config.mediaType`
 * when the manifest is given; failing those, from the manifest's layer media types.
 */
export function summarizeReferrer(descriptor: Descriptor, manifest?: Manifest | null): ReferrerSummary {
  const configType = manifest && !isIndex(manifest) ? text(manifest.config?.mediaType) : null;
  const artifactType = text(descriptor.artifactType) ?? text(manifest?.artifactType) ?? configType;
  const { annotations } = decodeAnnotations(descriptor.annotations ?? manifest?.annotations);
  const kind = referrerKind(artifactType, annotations);
  return {
    digest: descriptor.digest,
    mediaType: text(descriptor.mediaType),
    artifactType,
    kind: kind === 'artifact' ? kindFromLayers(manifest, annotations) : kind,
    annotations,
    referrers: [],
  };
}
