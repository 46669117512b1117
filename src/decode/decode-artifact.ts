/**
 * A manifest or index to its normalized document (../domain/document.ts). Pure: the crawl
 * fetches the manifest, the config (see configToFetch), tags and referrers, then calls this.
 */
import {
  documentReference,
  withAttachments,
  type ArtifactDocument,
  type IndexChild,
  type JsonObject,
  type LayerSummary,
  type ReferrerSummary,
} from '../domain/document.js';
import {
  isIndex,
  MediaType,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Manifest,
} from '../domain/oci.js';
import { decodeAnnotations } from './annotations.js';
import { decodeConfig } from './config.js';
import { isJsonObject, member, objectOrEmpty, text } from './json.js';
import { Annotation, baseMediaType } from './media-types.js';
import { indexMount, manifestMount } from './mount.js';
import type { DecodeProblem } from './problems.js';
import { selectDecoder } from './select-decoder.js';

/** What the crawl knows about an artifact besides its manifest. */
export interface DecodeInput {
  registry: string;
  repository: string;
  digest: string;
  /** Bytes of the manifest. */
  manifestSize: number;
  /** The Content-Type the registry sent. */
  mediaType: string | null;
  /** The config blob, when the crawl fetched it (see configToFetch). */
  config: Uint8Array | null;
  tags: string[];
  referrers: ReferrerSummary[];
  crawledAt: string;
  /** Set for children of an index. */
  parent?: { digest: string; platform: IndexChild['platform'] } | null;
}

type Parts = Pick<
  ArtifactDocument,
  'artifactType' | 'kind' | 'format' | 'config' | 'layers' | 'manifests' | 'size' | 'model' | 'mount'
>;

const sum = (descriptors: Descriptor[]): number => descriptors.reduce((total, item) => total + item.size, 0);

/**
 * A layer's title: `org.opencontainers.image.title`, else a model file path annotation, else
 * the non-standard descriptor `name` Ollama writes on its tensor and json layers.
 */
function layerTitle(layer: Descriptor, annotations: JsonObject): string | null {
  const fromAnnotations = [Annotation.title, Annotation.modelpackFilepath, Annotation.cnaiFilepath]
    .map((key) => text(member(annotations, key)))
    .find((value) => value !== null);
  return fromAnnotations ?? text(member(objectOrEmpty(layer), 'name'));
}

function layerSummary(layer: Descriptor, index: number, problems: DecodeProblem[]): LayerSummary {
  const decoded = decodeAnnotations(layer.annotations, `layers[${index}]`);
  problems.push(...decoded.problems);
  const title = layerTitle(layer, decoded.annotations);
  const { mediaType, digest, size } = layer;
  return { mediaType, digest, size, title: title ?? null, annotations: decoded.annotations };
}

function indexChild(descriptor: Descriptor): IndexChild {
  const platform = isJsonObject(descriptor.platform) ? descriptor.platform : null;
  return {
    digest: descriptor.digest,
    mediaType: text(descriptor.mediaType),
    size: descriptor.size,
    platform: platform && {
      os: text(platform.os),
      architecture: text(platform.architecture),
      variant: text(platform.variant),
    },
  };
}

function indexParts(index: ImageIndex, input: DecodeInput): Parts {
  const manifests = index.manifests.map(indexChild);
  const artifactType = text(index.artifactType);
  const size = input.manifestSize + sum(index.manifests);
  // Children are not visible here: each counts as unknown until the crawl, which fetched them,
  // recomputes the index's mount from theirs (src/crawl/manifest-unit.ts).
  const mount = indexMount(index.manifests.map(() => null));
  return {
    artifactType,
    kind: 'index',
    format: 'oci-index',
    config: null,
    layers: [],
    manifests,
    size,
    model: null,
    mount,
  };
}

function manifestParts(
  manifest: ImageManifest,
  input: DecodeInput,
  annotations: JsonObject,
  problems: DecodeProblem[],
): Parts {
  const config = decodeConfig(manifest, input.config);
  problems.push(...config.problems);
  const layers = manifest.layers.map((layer, index) => layerSummary(layer, index, problems));
  const { kind, format, model } = selectDecoder(manifest, { annotations }).decode(manifest, config.config, {
    annotations,
  });
  const artifactType = text(manifest.artifactType) ?? text(manifest.config.mediaType);
  const size = input.manifestSize + manifest.config.size + sum(manifest.layers);
  const mount = manifestMount(manifest, config.config);
  return { artifactType, kind, format, config: config.config, layers, manifests: [], size, model, mount };
}

/** `mediaType` field, else the Content-Type when it names this shape, else by shape. */
function documentMediaType(manifest: Manifest, contentType: string | null): string {
  const declared = text(manifest.mediaType);
  if (declared !== null) return declared;
  const candidates: string[] = isIndex(manifest)
    ? [MediaType.ociIndex, MediaType.dockerManifestList]
    : [MediaType.ociManifest, MediaType.dockerManifest];
  const sent = contentType === null ? '' : baseMediaType(contentType);
  return candidates.includes(sent) ? sent : (candidates[0] as string);
}

/**
 * The normalized document of a manifest or index (from parseManifest), plus problems to
 * report: the artifact is indexed even when annotations or the config are broken.
 */
export function decodeArtifact(
  manifest: Manifest,
  input: DecodeInput,
): { document: ArtifactDocument; problems: DecodeProblem[] } {
  const decoded = decodeAnnotations(manifest.annotations);
  const problems = [...decoded.problems];
  const parts = isIndex(manifest)
    ? indexParts(manifest, input)
    : manifestParts(manifest, input, decoded.annotations, problems);
  const document: ArtifactDocument = {
    reference: documentReference(input.registry, input.repository, input.digest),
    registry: input.registry,
    repository: input.repository,
    digest: input.digest,
    tags: [],
    mediaType: documentMediaType(manifest, input.mediaType),
    artifactType: parts.artifactType,
    kind: parts.kind,
    format: parts.format,
    annotations: decoded.annotations,
    config: parts.config,
    layers: parts.layers,
    manifests: parts.manifests,
    size: parts.size,
    model: parts.model,
    mount: parts.mount,
    subject: text(manifest.subject?.digest),
    parent: input.parent?.digest ?? null,
    platform: input.parent?.platform ?? null,
    referrers: [],
    signed: false,
    verified: false,
    signers: [],
    crawledAt: input.crawledAt,
  };
  return { document: withAttachments(document, input.tags, input.referrers), problems };
}
