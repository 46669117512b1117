/**
 * Mountability as a Kubernetes image volume: each reason code, the order of the checks, the
 * file-name keys CRI-O reads, and an index from its children.
 */
import { describe, expect, it } from 'vitest';
import { indexMount, manifestMount } from '../../../src/decode/mount.js';
import type { JsonValue, MountInfo } from '../../../src/domain/document.js';
import { MediaType, type Descriptor, type ImageManifest } from '../../../src/domain/oci.js';

const digest = (label: string): string => `sha256:${label.padEnd(64, '0')}`;
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const IMAGE_CONFIG = { rootfs: { type: 'layers', diff_ids: [digest('d1')] } };

function layer(mediaType: string, annotations?: Record<string, string>): Descriptor {
  return { mediaType, digest: digest('a1'), size: 10, ...(annotations ? { annotations } : {}) };
}

function manifest(configMediaType: string, layers: Descriptor[]): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: configMediaType, digest: digest('c'), size: 2 },
    layers,
  };
}

const titled = (mediaType = OCI_LAYER) => layer(mediaType, { 'org.opencontainers.image.title': 'model.gguf' });

describe('manifestMount', () => {
  it('mounts an image with titled image layers on both runtimes: no reason', () => {
    expect(manifestMount(manifest(MediaType.ociImageConfig, [titled()]), IMAGE_CONFIG)).toEqual({
      imageVolume: true,
      artifactVolume: true,
      reason: null,
    });
  });

  it.each([
    'application/vnd.oci.image.layer.v1.tar',
    'application/vnd.oci.image.layer.v1.tar+zstd',
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
    'application/vnd.docker.image.rootfs.diff.tar.gzip',
    'Application/Vnd.OCI.Image.Layer.v1.Tar+Gzip; foo=bar',
  ])('accepts the image layer type %s', (mediaType) => {
    expect(manifestMount(manifest(MediaType.dockerImageConfig, [titled(mediaType)]), IMAGE_CONFIG).imageVolume).toBe(
      true,
    );
  });

  it('says not_an_image_config for a model config, even with diff ids and image layers', () => {
    const mount = manifestMount(manifest('application/vnd.cncf.model.config.v1+json', [titled()]), IMAGE_CONFIG);
    expect(mount).toEqual({ imageVolume: false, artifactVolume: true, reason: 'not_an_image_config' });
  });

  it.each<[string, JsonValue]>([
    ['no rootfs', { architecture: 'amd64' }],
    ['empty diff_ids', { rootfs: { type: 'layers', diff_ids: [] } }],
    ['diff_ids not a list', { rootfs: { diff_ids: 'sha256:abc' } }],
    ['a config that was not fetched', null],
  ])('says no_diff_ids for an image config with %s', (_label, config) => {
    expect(manifestMount(manifest(MediaType.ociImageConfig, [titled()]), config).reason).toBe('no_diff_ids');
  });

  it('says non_image_layer for an Ollama model (image config, ollama layers)', () => {
    const ollama = manifest(MediaType.dockerImageConfig, [
      layer(OCI_LAYER),
      layer('application/vnd.ollama.image.model'),
    ]);
    expect(manifestMount(ollama, IMAGE_CONFIG)).toEqual({
      imageVolume: false,
      artifactVolume: false,
      reason: 'non_image_layer',
    });
  });

  it('checks the image volume before the artifact volume: an unnamed layer of a model config reports the config', () => {
    expect(manifestMount(manifest('application/x-config', [layer('application/x-mlmodel')]), {}).reason).toBe(
      'not_an_image_config',
    );
  });

  it('says unnamed_layer for a mountable image whose layers have no file names', () => {
    expect(manifestMount(manifest(MediaType.ociImageConfig, [titled(), layer(OCI_LAYER)]), IMAGE_CONFIG)).toEqual({
      imageVolume: true,
      artifactVolume: false,
      reason: 'unnamed_layer',
    });
  });

  it('names a layer for CRI-O by org.cnai.model.filepath, not by org.cncf.model.filepath', () => {
    const cnai = layer('application/vnd.cnai.model.weight.v1.tar', { 'org.cnai.model.filepath': 'model.safetensors' });
    const cncf = layer('application/vnd.cncf.model.weight.v1.tar', { 'org.cncf.model.filepath': 'model.safetensors' });
    expect(manifestMount(manifest('application/vnd.cnai.model.config.v1+json', [cnai]), {}).artifactVolume).toBe(true);
    expect(manifestMount(manifest('application/vnd.cncf.model.config.v1+json', [cncf]), {}).artifactVolume).toBe(false);
  });

  it('does not take an empty or blank title as a file name', () => {
    const blank = layer('application/x-mlmodel', { 'org.opencontainers.image.title': '  ' });
    expect(manifestMount(manifest(MediaType.ociEmpty, [blank]), {}).artifactVolume).toBe(false);
  });

  it('says no_layers for a manifest without layers (after the image checks)', () => {
    expect(manifestMount(manifest(MediaType.ociEmpty, []), {})).toEqual({
      imageVolume: false,
      artifactVolume: false,
      reason: 'not_an_image_config',
    });
    expect(manifestMount(manifest(MediaType.ociImageConfig, []), IMAGE_CONFIG)).toEqual({
      imageVolume: true,
      artifactVolume: false,
      reason: 'no_layers',
    });
  });
});

describe('indexMount', () => {
  const both: MountInfo = { imageVolume: true, artifactVolume: true, reason: null };
  const imageOnly: MountInfo = { imageVolume: true, artifactVolume: false, reason: 'unnamed_layer' };
  const model: MountInfo = { imageVolume: false, artifactVolume: true, reason: 'not_an_image_config' };

  it('is mountable when every child is', () => {
    expect(indexMount([both, both])).toEqual(both);
    expect(indexMount([imageOnly, both])).toEqual(imageOnly);
  });

  it('takes the first failing image-volume reason before any artifact-volume reason', () => {
    expect(indexMount([imageOnly, model])).toEqual({
      imageVolume: false,
      artifactVolume: false,
      reason: 'not_an_image_config',
    });
  });

  it('counts an unknown child as not mountable: child_unknown, never a guess', () => {
    expect(indexMount([both, null])).toEqual({ imageVolume: false, artifactVolume: false, reason: 'child_unknown' });
  });

  it('says no_children for an index that lists nothing', () => {
    expect(indexMount([])).toEqual({ imageVolume: false, artifactVolume: false, reason: 'no_children' });
  });
});
