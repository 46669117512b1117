/**
 * Referrer classification: signature | sbom | attestation | artifact, as real signers write
 * referrers (../../../shared/FORMATS.md, "Referrers"): from the listing entry's artifactType,
 * else the referrer manifest's artifactType, config media type or layer media types, plus a
 * Sigstore bundle's `dev.sigstore.bundle.content` and `predicateType`. Writers leave the
 * listing short (no annotations, `application/vnd.oci.empty.v1+json`, no artifactType), so
 * `listingSettles` says when the manifest must be fetched to know.
 */
import type { JsonObject, ReferrerKind, ReferrerSummary } from '../domain/document.js';
import { isIndex, MediaType, type Descriptor, type Manifest } from '../domain/oci.js';
import { decodeAnnotations } from './annotations.js';
import { member, text } from './json.js';
import { Annotation, baseMediaType, ReferrerMediaType } from './media-types.js';
import { predicateKind, SigstoreContent } from './sigstore-kind.js';

const SIGNATURE_TYPES = new Set<string>([
  ReferrerMediaType.notarySignature,
  ReferrerMediaType.cosignSimpleSigning,
  ReferrerMediaType.cosignSignatureArtifact,
]);
/** SPDX, CycloneDX and Syft documents in any serialization (`text/spdx`, `+json`, `+xml`). */
const SBOM_TYPE = /^(?:application|text)\/(?:vnd\.)?(?:spdx|cyclonedx|syft)(?:\+[a-z-]+)?$/;

/** A type that says something: not absent, not the empty descriptor type some writers put there. */
function meaningful(type: string | null | undefined): string | null {
  if (typeof type !== 'string' || type.trim() === '') return null;
  return baseMediaType(type) === MediaType.ociEmpty ? null : type;
}

export const isSigstoreBundle = (type: string | null): boolean =>
  type !== null && baseMediaType(type).startsWith(ReferrerMediaType.sigstoreBundlePrefix);

/**
 * The kind of a referrer of type `type` (artifactType, else config or layer media type). A
 * Sigstore bundle is told by its content and predicate type; with neither it is `artifact`
 * (unknown: the caller fetches the manifest or the bundle to know).
 */
export function referrerKind(
  type: string | null,
  annotations: JsonObject = {},
  predicateType: string | null = null,
): ReferrerKind {
  if (type === null) return 'artifact';
  const base = baseMediaType(type);
  if (isSigstoreBundle(base)) {
    const content = text(member(annotations, Annotation.sigstoreContent));
    return predicateKind(predicateType ?? text(member(annotations, Annotation.sigstorePredicateType)), content);
  }
  if (SIGNATURE_TYPES.has(base)) return 'signature';
  if (base.startsWith(ReferrerMediaType.inTotoPrefix) || base === ReferrerMediaType.dsseEnvelope) return 'attestation';
  if (SBOM_TYPE.test(base) || base === ReferrerMediaType.cosignSbomArtifact) return 'sbom';
  return 'artifact';
}

/** The layers' types, for manifests whose artifactType and config say nothing. */
function layerTypes(manifest: Manifest | null | undefined): string[] {
  if (!manifest || isIndex(manifest) || !Array.isArray(manifest.layers)) return [];
  return manifest.layers.map((layer) => meaningful(text(layer?.mediaType))).filter((type) => type !== null);
}

/** The first type that classifies, or the first type at all; `artifactType` as reported. */
function classify(candidates: string[], annotations: JsonObject, predicateType: string | null) {
  for (const type of candidates) {
    const kind = referrerKind(type, annotations, predicateType);
    if (kind !== 'artifact') return { type, kind };
  }
  return { type: candidates[0] ?? null, kind: 'artifact' as ReferrerKind };
}

/**
 * A referrer descriptor (a referrers API entry or a fallback index entry), classified from its
 * own artifactType, else the referrer manifest's artifactType, config media type and layer
 * media types when the manifest is given. `predicateType` is what a fetched bundle said.
 */
export function summarizeReferrer(
  descriptor: Descriptor,
  manifest?: Manifest | null,
  predicateType: string | null = null,
): ReferrerSummary {
  const configType = manifest && !isIndex(manifest) ? meaningful(text(manifest.config?.mediaType)) : null;
  const declared = meaningful(text(descriptor.artifactType)) ?? meaningful(text(manifest?.artifactType)) ?? configType;
  const annotations = {
    ...decodeAnnotations(manifest?.annotations).annotations,
    ...decodeAnnotations(descriptor.annotations).annotations,
  };
  const predicate = predicateType ?? text(member(annotations, Annotation.sigstorePredicateType));
  const candidates = [declared, ...layerTypes(manifest)].filter((type) => type !== null);
  const { type, kind } = classify(candidates, annotations, predicate);
  return {
    digest: descriptor.digest,
    mediaType: text(descriptor.mediaType),
    artifactType: declared ?? type,
    kind,
    predicateType: predicate,
    annotations,
    referrers: [],
  };
}

/**
 * Whether the listing entry alone settles the kind: false for an entry without a meaningful
 * artifactType, and for a Sigstore bundle whose annotations say neither content nor predicate.
 */
export function listingSettles(descriptor: Descriptor): boolean {
  const type = meaningful(text(descriptor.artifactType));
  if (type === null) return false;
  if (!isSigstoreBundle(type)) return true;
  const annotations = descriptor.annotations ?? {};
  return (
    text(annotations[Annotation.sigstorePredicateType]) !== null ||
    text(annotations[Annotation.sigstoreContent]) === SigstoreContent.messageSignature
  );
}
