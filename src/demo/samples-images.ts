/**
 * Plain container images: an OCI image (e.g. a KServe modelcar), a Docker v2 image, and a
 * multi-platform OCI index. Layers are gzip-compressed deterministic bytes.
 */
import { gzipSync } from 'node:zlib';
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest } from '../domain/oci.js';
import { indexArtifact, manifestArtifact, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes, sha256Digest } from './bytes.js';

const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export interface ImageOptions {
  /** Seeds the layer content (distinct names give distinct digests). */
  name: string;
  architecture?: string;
  os?: string;
  labels?: Record<string, string>;
  /** Manifest annotations (OCI only). */
  annotations?: Record<string, string>;
  /** The artifact this image was built from (lineage), OCI only. */
  subject?: Descriptor;
}

/** An OCI image manifest with one layer. */
export function ociImageArtifact(options: ImageOptions): SampleArtifact<ImageManifest> {
  const layer = imageLayer(options);
  return manifestArtifact({
    config: { mediaType: MediaType.ociImageConfig, bytes: imageConfig(options, layer.diffId) },
    layers: [{ mediaType: OCI_LAYER_GZIP, bytes: layer.bytes }],
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(options.annotations !== undefined ? { annotations: options.annotations } : {}),
  });
}

/** A Docker v2 image manifest with one layer. */
export function dockerImageArtifact(options: ImageOptions): SampleArtifact<ImageManifest> {
  const layer = imageLayer(options);
  return manifestArtifact({
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerImageConfig, bytes: imageConfig(options, layer.diffId) },
    layers: [{ mediaType: DOCKER_LAYER_GZIP, bytes: layer.bytes }],
  });
}

/** An OCI index over one OCI image per architecture (linux). */
export function multiPlatformIndexArtifact(
  name: string,
  architectures: string[] = ['amd64', 'arm64'],
): SampleArtifact<ImageIndex> {
  const children = architectures.map((architecture) => ({
    artifact: ociImageArtifact({ name: `${name}-${architecture}`, architecture }),
    platform: { os: 'linux', architecture },
  }));
  return indexArtifact(children, { annotations: { 'org.opencontainers.image.ref.name': name } });
}

function imageLayer(options: ImageOptions): { bytes: Uint8Array; diffId: string } {
  const uncompressed = fillerBytes(`image:${options.name}:${options.architecture ?? 'amd64'}`, 300);
  return { bytes: new Uint8Array(gzipSync(uncompressed)), diffId: sha256Digest(uncompressed) };
}

function imageConfig(options: ImageOptions, diffId: string): Uint8Array {
  return jsonBytes({
    created: '2025-06-01T00:00:00Z',
    architecture: options.architecture ?? 'amd64',
    os: options.os ?? 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Labels: options.labels ?? {},
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
}
