/**
 * Sample artifacts for every format ocidex decodes, and how to push them: `pushArtifact` for
 * anything, `attachReferrer` for a referrer on a registry without the referrers API (it keeps
 * the tag-schema fallback index up to date as oras does). Builders live in samples-*.ts.
 */
import { OcidexError } from '../domain/errors.js';
import { isIndex, MediaType, type Descriptor, type ImageIndex, type Manifest } from '../domain/oci.js';
import { descriptorOf, type SampleArtifact } from './artifact.js';
import type { PushedManifest, Pusher } from './pusher.js';
import { referrersTag } from '../registry/index.js';

export * from './artifact.js';
export * from './samples-images.js';
export * from './samples-kitops.js';
export * from './samples-modelpack.js';
export * from './samples-omlmd.js';
export * from './samples-referrers.js';
export * from './samples-runners.js';
export * from './samples-signing.js';

/**
 * Pushes an artifact: an index's child manifests first (by digest), then the config and layer
 * blobs, then the manifest under `tag`, or by digest when no tag is given.
 */
export async function pushArtifact(
  pusher: Pusher,
  repository: string,
  artifact: SampleArtifact,
  tag?: string,
): Promise<PushedManifest> {
  for (const child of artifact.children) await pushArtifact(pusher, repository, child);
  const blobs = artifact.config === null ? artifact.layers : [artifact.config, ...artifact.layers];
  await Promise.all(blobs.map((blob) => pusher.pushBlob(repository, blob)));
  return pusher.pushManifest(repository, tag ?? artifact.digest, artifact.bytes, artifact.mediaType);
}

/** The referrers tag-schema fallback tag of a subject (`<algorithm>-<hex>`). */
export const referrersFallbackTag = referrersTag;

/** The referrer's entry in an index: mediaType, digest, size, artifactType, annotations. */
export function referrerDescriptor(artifact: SampleArtifact): Descriptor {
  const manifest = artifact.manifest;
  const descriptor: Descriptor = descriptorOf(artifact);
  if (!isIndex(manifest)) descriptor.artifactType = manifest.artifactType ?? manifest.config.mediaType;
  else if (manifest.artifactType !== undefined) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations !== undefined) descriptor.annotations = manifest.annotations;
  return descriptor;
}

/** The fallback index of a subject's referrers, or null when its tag is absent. */
export async function readReferrersFallback(
  pusher: Pusher,
  repository: string,
  subjectDigest: string,
): Promise<ImageIndex | null> {
  return (await fetchFallback(pusher, repository, referrersFallbackTag(subjectDigest)))?.index ?? null;
}

async function fetchFallback(
  pusher: Pusher,
  repository: string,
  tag: string,
): Promise<{ digest: string; index: ImageIndex } | null> {
  const fetched = await pusher.getManifest(repository, tag);
  if (fetched === null) return null;
  const parsed = JSON.parse(Buffer.from(fetched.bytes).toString('utf8')) as Manifest;
  if (!isIndex(parsed)) throw new OcidexError('invalid_manifest', `${repository}:${tag} is not an image index`);
  return { digest: fetched.digest, index: parsed };
}

export interface AttachedReferrer {
  referrer: PushedManifest;
  /** The fallback index as pushed (unchanged when the referrer was already listed). */
  index: ImageIndex;
  tag: string;
}

/**
 * Pushes `referrer` by digest, then updates the subject's fallback index as oras-go does on a
 * registry without the referrers API: read the tag `sha256-<hex>` (absent = empty index), add
 * the referrer's descriptor unless listed, put the index back under the tag, and delete the
 * previous index by digest. Not safe against concurrent attaches to the same subject.
 * `entry` reshapes the listed descriptor as writers other than oras do.
 */
export async function attachReferrer(
  pusher: Pusher,
  repository: string,
  subjectDigest: string,
  referrer: SampleArtifact,
  /** The index entry as some writers shape it (go-containerregistry drops annotations). */
  entry: (descriptor: Descriptor) => Descriptor = (descriptor) => descriptor,
): Promise<AttachedReferrer> {
  const subject = referrer.manifest.subject?.digest;
  if (subject !== subjectDigest) {
    throw new OcidexError(
      'invalid_argument',
      `referrer ${referrer.digest} has subject ${subject ?? '(none)'}, not ${subjectDigest}`,
    );
  }
  const tag = referrersFallbackTag(subjectDigest);
  const pushed = await pushArtifact(pusher, repository, referrer);
  const previous = await fetchFallback(pusher, repository, tag);
  const manifests = previous?.index.manifests ?? [];
  if (previous !== null && manifests.some((entry) => entry.digest === pushed.digest)) {
    return { referrer: pushed, index: previous.index, tag };
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [...manifests, entry(referrerDescriptor(referrer))],
  };
  const written = await pusher.pushManifest(repository, tag, index, MediaType.ociIndex);
  // oras-go garbage-collects the index it replaced (unless SkipReferrersGC).
  if (previous !== null && previous.digest !== written.digest) await pusher.deleteManifest(repository, previous.digest);
  return { referrer: pushed, index, tag };
}
