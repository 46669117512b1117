/** Query test helpers: real-shaped documents in a real temp index, and the documents as stored. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactDocument, JsonValue } from '../../../src/domain/document.js';
import { documentReference } from '../../../src/domain/document.js';
import { type IndexStore, openIndex } from '../../../src/store/index.js';
import { QueryEngine } from '../../../src/query/index.js';

export interface QueryFixture {
  store: IndexStore;
  engine: QueryEngine;
  /** Every document as stored, ordered by reference (what queries run over). */
  documents(): JsonValue[];
  cleanup(): void;
}

/** A temp index holding `documents`. */
export function queryFixture(documents: readonly ArtifactDocument[], engineOptions = {}): QueryFixture {
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-query-'));
  const store = openIndex(join(directory, 'index.db'));
  for (let index = 0; index < documents.length; index += 500) store.putDocuments(documents.slice(index, index + 500));
  return {
    store,
    engine: new QueryEngine(store.db, engineOptions),
    documents: () => [...store.iterateDocuments()] as unknown as JsonValue[],
    cleanup: () => {
      store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function digestOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/** A model document; anything may be overridden (extra members included). */
export function modelDocument(label: string, overrides: Record<string, unknown> = {}): ArtifactDocument {
  const registry = (overrides['registry'] as string | undefined) ?? 'registry.test';
  const repository = (overrides['repository'] as string | undefined) ?? `models/${label}`;
  const digest = (overrides['digest'] as string | undefined) ?? digestOf(label);
  const model = {
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
    authors: ['tests'],
    description: `the ${label} model`,
    uri: null,
    created: '2025-01-01T00:00:00Z',
    metrics: { accuracy: 0.9 },
  };
  return {
    reference: documentReference(registry, repository, digest),
    registry,
    repository,
    digest,
    tags: ['latest'],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    kind: 'model',
    format: 'modelpack',
    annotations: {},
    config: null,
    layers: [],
    manifests: [],
    size: 1000,
    model,
    mount: { imageVolume: false, artifactVolume: false, reason: 'not_an_image_config' },
    subject: null,
    parent: null,
    platform: null,
    referrers: [],
    signed: false,
    verified: false,
    signers: [],
    crawledAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  } as ArtifactDocument;
}
