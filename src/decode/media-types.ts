/**
 * Media types and annotation keys of the formats ocidex decodes.
 * Exact strings from ../../../shared/FORMATS.md ("Model formats", "Referrers").
 */

export const ModelMediaType = {
  omlmdConfig: 'application/x-config',
  omlmdModel: 'application/x-mlmodel',
  omlmdLegacyModel: 'application/x-artifact',
  omlmdMetadata: 'application/x-mlmetadata+json',
  modelpackManifest: 'application/vnd.cncf.model.manifest.v1+json',
  modelpackConfig: 'application/vnd.cncf.model.config.v1+json',
  modelpackPrefix: 'application/vnd.cncf.model.',
  cnaiManifest: 'application/vnd.cnai.model.manifest.v1+json',
  cnaiConfig: 'application/vnd.cnai.model.config.v1+json',
  cnaiPrefix: 'application/vnd.cnai.model.',
  dockerModelConfigPrefix: 'application/vnd.docker.ai.model.config.',
  ollamaLayerPrefix: 'application/vnd.ollama.image.',
} as const;

export const ReferrerMediaType = {
  notarySignature: 'application/vnd.cncf.notary.signature',
  sigstoreBundlePrefix: 'application/vnd.dev.sigstore.bundle',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  cosignSignatureArtifact: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  cosignSbomArtifact: 'application/vnd.dev.cosign.artifact.sbom.v1+json',
  inToto: 'application/vnd.in-toto+json',
  inTotoPrefix: 'application/vnd.in-toto',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
} as const;

export const Annotation = {
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version',
  licenses: 'org.opencontainers.image.licenses',
  authors: 'org.opencontainers.image.authors',
  description: 'org.opencontainers.image.description',
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  modelpackFilepath: 'org.cncf.model.filepath',
  cnaiFilepath: 'org.cnai.model.filepath',
  cnaiDraftPrefix: 'org.cnai.model.',
  sigstorePredicateType: 'dev.sigstore.bundle.predicateType',
  sigstoreContent: 'dev.sigstore.bundle.content',
  cosignSignature: 'dev.cosignproject.cosign/signature',
} as const;

/** A media type without parameters, lower-cased: `a/b+json; version=0.2` -> `a/b+json`. */
export function baseMediaType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** JSON by its media type: `+json`, `application/json`, or omlmd's `application/x-config`. */
export function isJsonMediaType(mediaType: string): boolean {
  const base = baseMediaType(mediaType);
  return base.endsWith('+json') || base === 'application/json' || base === ModelMediaType.omlmdConfig;
}
