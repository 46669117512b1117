/**
 * A sample artifact: the blobs and the exact manifest bytes to push. Builders in
 * samples-*.ts return these; `pushArtifact` (samples.ts) pushes them.
 */
import { MediaType, type Descriptor, type ImageIndex, type ImageManifest } from '../domain/oci.js';
import { jsonBytes, sha256Digest, textBytes } from './bytes.js';

/** A blob with the descriptor fields the manifest gives it. */
export interface BlobSpec {
  mediaType: string;
  bytes: Uint8Array;
  annotations?: Record<string, string>;
  /** Embed the bytes in the descriptor's `data` (the OCI empty config does). */
  embedData?: boolean;
  /** A non-standard descriptor `name` (Ollama writes the tensor or file name there). */
  name?: string;
}

/** An artifact to push; `M` narrows the manifest to an image manifest or an index. */
export interface SampleArtifact<M extends ImageManifest | ImageIndex = ImageManifest | ImageIndex> {
  /** The manifest media type, sent as Content-Type. */
  mediaType: string;
  manifest: M;
  /** The exact manifest bytes pushed; `digest` is their sha256. */
  bytes: Uint8Array;
  digest: string;
  size: number;
  /** Config blob bytes; null for an index. */
  config: Uint8Array | null;
  /** Layer blobs, in manifest order. */
  layers: Uint8Array[];
  /** Manifests an index references; pushed by digest before the index. */
  children: SampleArtifact[];
}

/**
 * The OCI empty config `{}` (image-spec "Guidance for an Empty Descriptor"); its digest is
 * sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a.
 */
export const EMPTY_CONFIG: BlobSpec = { mediaType: MediaType.ociEmpty, bytes: textBytes('{}'), embedData: true };

/** The descriptor of a blob (mediaType, digest, size, then data and annotations when set). */
export function descriptorFor(spec: BlobSpec): Descriptor {
  const descriptor: Descriptor = {
    mediaType: spec.mediaType,
    digest: sha256Digest(spec.bytes),
    size: spec.bytes.byteLength,
  };
  if (spec.embedData === true) descriptor.data = Buffer.from(spec.bytes).toString('base64');
  if (spec.annotations !== undefined) descriptor.annotations = spec.annotations;
  return spec.name === undefined ? descriptor : ({ ...descriptor, name: spec.name } as Descriptor);
}

/** The descriptor naming a pushed artifact, as a `subject` or an index entry. */
export function descriptorOf(artifact: SampleArtifact): Descriptor {
  return { mediaType: artifact.mediaType, digest: artifact.digest, size: artifact.size };
}

export interface ImageManifestInput {
  /** Default: the OCI image manifest type. */
  mediaType?: string;
  /** Leave the manifest's `mediaType` field out (KitOps does); it is still pushed as `mediaType`. */
  omitMediaType?: boolean;
  artifactType?: string;
  config: BlobSpec;
  layers: BlobSpec[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An image manifest (OCI or Docker v2), fields in the order the OCI tools write them. */
export function manifestArtifact(input: ImageManifestInput): SampleArtifact<ImageManifest> {
  const mediaType = input.mediaType ?? MediaType.ociManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    ...(input.omitMediaType === true ? {} : { mediaType }),
    ...(input.artifactType !== undefined ? { artifactType: input.artifactType } : {}),
    config: descriptorFor(input.config),
    layers: input.layers.map(descriptorFor),
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.annotations !== undefined ? { annotations: input.annotations } : {}),
  };
  return finish(
    manifest,
    mediaType,
    input.config.bytes,
    input.layers.map((layer) => layer.bytes),
    [],
  );
}

export interface IndexEntryInput {
  artifact: SampleArtifact;
  platform?: { os: string; architecture: string; variant?: string };
}

/** An image index (or Docker manifest list) over already-built child manifests. */
export function indexArtifact(
  children: IndexEntryInput[],
  options: { mediaType?: string; annotations?: Record<string, string> } = {},
): SampleArtifact<ImageIndex> {
  const mediaType = options.mediaType ?? MediaType.ociIndex;
  const manifests = children.map(({ artifact, platform }) =>
    platform === undefined ? descriptorOf(artifact) : { ...descriptorOf(artifact), platform },
  );
  const index: ImageIndex = { schemaVersion: 2, mediaType, manifests };
  if (options.annotations !== undefined) index.annotations = options.annotations;
  return finish(
    index,
    mediaType,
    null,
    [],
    children.map((child) => child.artifact),
  );
}

function finish<M extends ImageManifest | ImageIndex>(
  manifest: M,
  mediaType: string,
  config: Uint8Array | null,
  layers: Uint8Array[],
  children: SampleArtifact[],
): SampleArtifact<M> {
  const bytes = jsonBytes(manifest);
  return { mediaType, manifest, bytes, digest: sha256Digest(bytes), size: bytes.byteLength, config, layers, children };
}
