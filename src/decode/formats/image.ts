/**
 * Plain container images (KServe modelcars among them): an OCI or Docker image config, no
 * `artifactType`, and no signature / attestation layers (cosign `.sig` manifests and buildx
 * attestation manifests also use an image config, but are artifacts).
 */
import type { ArtifactFormat } from '../../domain/document.js';
import { MediaType, type ImageManifest } from '../../domain/oci.js';
import { referrerKind } from '../referrers.js';
import { configMediaType, layerMediaTypes, manifestArtifactType, type FormatDecoder } from './format-decoder.js';

function imageDecoder(format: ArtifactFormat, configType: string): FormatDecoder {
  const matches = (manifest: ImageManifest): boolean =>
    configMediaType(manifest) === configType &&
    manifestArtifactType(manifest) === '' &&
    layerMediaTypes(manifest).every((mediaType) => referrerKind(mediaType) === 'artifact');
  return { format, matches, decode: () => ({ kind: 'image', format, model: null }) };
}

/** OCI images (`application/vnd.oci.image.config.v1+json`). */
export const ociImageDecoder = imageDecoder('oci-image', MediaType.ociImageConfig);

/** Docker images (`application/vnd.docker.container.image.v1+json`). */
export const dockerImageDecoder = imageDecoder('docker-image', MediaType.dockerImageConfig);

/** Anything else (signatures, SBOMs, Helm charts, ...): indexed without model metadata. */
export const artifactDecoder: FormatDecoder = {
  format: 'artifact',
  matches: () => true,
  decode: () => ({ kind: 'artifact', format: 'artifact', model: null }),
};
