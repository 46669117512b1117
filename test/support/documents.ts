/**
 * The one builder of real-shaped documents for the store and query tests: a modelpack-like model
 * document with every member a crawl would set, which each suite adjusts through `overrides`.
 */
import { createHash } from 'node:crypto';
import type { ArtifactDocument, ModelInfo } from '../../src/domain/document.js';
import { documentReference } from '../../src/domain/document.js';

export const REGISTRY = 'registry.test:5000';
export const REPOSITORY = 'models/llm';
export const AT = '2025-03-01T10:00:00.000Z';

/** A stable sha256 digest named after `label`. */
export function digestOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/** The model members of `label`'s document; `overrides` may change any. */
export function modelInfo(label: string, overrides: Partial<ModelInfo> = {}): ModelInfo {
  return {
    name: label,
    version: '1.0',
    license: 'Apache-2.0',
    licenses: ['Apache-2.0'],
    licenseRaw: 'Apache-2.0',
    format: 'safetensors',
    framework: null,
    base: null,
    architecture: 'transformer',
    family: 'llama',
    paramSize: '8b',
    precision: 'bf16',
    quantization: null,
    authors: ['ocidex tests'],
    description: `the ${label} model`,
    uri: null,
    created: '2025-01-01T00:00:00Z',
    metrics: { accuracy: 0.91 },
    ...overrides,
  };
}

/** A modelpack-like model document; `overrides` may change anything (extra members included). */
export function modelDocument(
  label: string,
  overrides: Partial<ArtifactDocument> & Record<string, unknown> = {},
): ArtifactDocument {
  const registry = overrides.registry ?? REGISTRY;
  const repository = overrides.repository ?? REPOSITORY;
  const digest = overrides.digest ?? digestOf(label);
  return {
    reference: documentReference(registry, repository, digest),
    registry,
    repository,
    digest,
    tags: [],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    kind: 'model',
    format: 'modelpack',
    annotations: { 'org.opencontainers.image.title': label, 'org.cncf.model.metrics+json': { accuracy: 0.91 } },
    config: { descriptor: { name: label, version: '1.0' }, config: { paramSize: '8b', format: 'safetensors' } },
    layers: [
      {
        mediaType: 'application/vnd.cncf.model.weight.v1.raw',
        digest: digestOf(`${label}/weights`),
        size: 4096,
        title: 'model.safetensors',
        annotations: {},
      },
    ],
    manifests: [],
    size: 5000,
    model: modelInfo(label),
    mount: { imageVolume: false, artifactVolume: false, reason: 'not_an_image_config' },
    subject: null,
    parent: null,
    platform: null,
    referrers: [],
    signed: false,
    verified: false,
    signers: [],
    crawledAt: AT,
    ...overrides,
  } as ArtifactDocument;
}
