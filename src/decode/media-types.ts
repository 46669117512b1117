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
  dockerModelLayerPrefix: 'application/vnd.docker.ai.',
  ollamaLayerPrefix: 'application/vnd.ollama.image.',
  /** KitOps: `vnd.kitops.modelkit.*` (current) and `vnd.kitops.model.*` (early 2024). */
  kitopsPrefix: 'application/vnd.kitops.',
  kitopsConfig: 'application/vnd.kitops.modelkit.config.v1+json',
  /** KitOps before it was KitOps (`application/vnd.jozu.model.*`). */
  jozuPrefix: 'application/vnd.jozu.model.',
} as const;

/** Layer media types a container runtime unpacks into a root filesystem (image-spec "Layer"). */
export const IMAGE_LAYER_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

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
