/**
 * Can a pod mount this artifact as a Kubernetes image volume (KEP-4639)? Two runtimes, two
 * rules (FORMATS.md "Mounting a model into a pod"):
 * - containerd mounts only runnable images: an OCI or Docker image config whose
 *   `rootfs.diff_ids` is not empty, and only image-layer media types (containerd #11907);
 * - CRI-O (>= 1.33) also mounts artifacts, one file per layer, named by
 *   `org.opencontainers.image.title`, else `org.cnai.model.filepath` (CRI-O reads the old key,
 *   not `org.cncf.model.filepath`); a layer with neither cannot be placed.
 * `reason` is the first failing check, image-volume checks first, as a stable code.
 */
import type { JsonValue, MountInfo, MountReason } from '../domain/document.js';
import { MediaType, type ImageManifest } from '../domain/oci.js';
import { isJsonObject, member, objectOrEmpty, text } from './json.js';
import { Annotation, baseMediaType, IMAGE_LAYER_MEDIA_TYPES } from './media-types.js';

const IMAGE_CONFIGS: ReadonlySet<string> = new Set([MediaType.ociImageConfig, MediaType.dockerImageConfig]);
/** The layer file-name keys CRI-O reads, in its order. */
const ARTIFACT_FILE_NAME_KEYS = [Annotation.title, Annotation.cnaiFilepath];

function imageVolumeFailure(manifest: ImageManifest, config: JsonValue): MountReason | null {
  if (!IMAGE_CONFIGS.has(baseMediaType(text(manifest.config.mediaType) ?? ''))) return 'not_an_image_config';
  const diffIds = member(objectOrEmpty(member(objectOrEmpty(config), 'rootfs')), 'diff_ids');
  if (!Array.isArray(diffIds) || diffIds.length === 0) return 'no_diff_ids';
  const isImageLayer = (mediaType: unknown): boolean =>
    IMAGE_LAYER_MEDIA_TYPES.has(baseMediaType(text(mediaType) ?? ''));
  return manifest.layers.every((layer) => isImageLayer(layer.mediaType)) ? null : 'non_image_layer';
}

function hasFileName(annotations: unknown): boolean {
  if (!isJsonObject(annotations)) return false;
  return ARTIFACT_FILE_NAME_KEYS.some((key) => text(member(annotations, key)) !== null);
}

function artifactVolumeFailure(manifest: ImageManifest): MountReason | null {
  if (manifest.layers.length === 0) return 'no_layers';
  return manifest.layers.every((layer) => hasFileName(layer.annotations)) ? null : 'unnamed_layer';
}

/**
 * The mountability of an image manifest, from the manifest and its parsed config blob (null
 * when the config was not fetched or is not JSON: then it has no `diff_ids` to show).
 * Layer annotations are read raw, as the runtimes read them.
 */
export function manifestMount(manifest: ImageManifest, config: JsonValue): MountInfo {
  const image = imageVolumeFailure(manifest, config);
  const artifact = artifactVolumeFailure(manifest);
  return { imageVolume: image === null, artifactVolume: artifact === null, reason: image ?? artifact };
}

/**
 * The mountability of an index from its children's, in index order (a runtime picks one child
 * by platform, so every child must mount): each flag is true when every child's is. `null`
 * is a child whose document is unknown (not fetched, failed): `child_unknown`, never a guess.
 * The reason is the first child's failing image-volume reason, else its artifact-volume one.
 */
export function indexMount(children: ReadonlyArray<MountInfo | null>): MountInfo {
  if (children.length === 0) return { imageVolume: false, artifactVolume: false, reason: 'no_children' };
  const failure = (mounts: MountInfo | null, flag: 'imageVolume' | 'artifactVolume'): MountReason | null =>
    mounts === null ? 'child_unknown' : mounts[flag] ? null : (mounts.reason ?? 'child_unknown');
  const firstFailure = (flag: 'imageVolume' | 'artifactVolume'): MountReason | null =>
    children.map((child) => failure(child, flag)).find((reason) => reason !== null) ?? null;
  const image = firstFailure('imageVolume');
  const artifact = firstFailure('artifactVolume');
  return { imageVolume: image === null, artifactVolume: artifact === null, reason: image ?? artifact };
}
