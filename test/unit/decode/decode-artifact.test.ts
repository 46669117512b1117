import { describe, expect, it } from 'vitest';
import { decodeArtifact, parseManifest, type DecodeInput } from '../../../src/decode/index.js';
import type { ReferrerSummary } from '../../../src/domain/document.js';
import { MediaType, type Manifest } from '../../../src/domain/oci.js';

const digestOf = (character: string): string => `sha256:${character.repeat(64)}`;
const encode = (value: unknown): Uint8Array =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const INPUT: DecodeInput = {
  registry: 'registry.example.com',
  repository: 'team/model',
  digest: digestOf('d'),
  manifestSize: 500,
  mediaType: null,
  config: null,
  tags: [],
  referrers: [],
  crawledAt: '2026-01-01T00:00:00.000Z',
};
const layer = (mediaType: string, size = 10, annotations?: unknown) => ({
  mediaType,
  digest: digestOf('e'),
  size,
  ...(annotations ? { annotations } : {}),
});
const parse = (value: unknown, contentType: string | null = null): Manifest =>
  parseManifest(encode(value), contentType);
const decode = (manifest: Manifest, input: Partial<DecodeInput> = {}) =>
  decodeArtifact(manifest, { ...INPUT, ...input });
const isPlainJson = (value: unknown): boolean =>
  JSON.stringify(JSON.parse(JSON.stringify(value))) === JSON.stringify(value);

describe('decodeArtifact', () => {
  it('never throws on hostile content past parseManifest, and reports it', () => {
    const manifest = parse({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.cncf.model.config.v1+json', digest: digestOf('f'), size: 40 },
      layers: [
        layer('application/vnd.cncf.model.weight.v1.raw', 10, 'not-an-object'),
        layer('application/octet-stream', 1, { n: 5 }),
      ],
      annotations: { count: 7, 'broken+json': '{', 'org.opencontainers.image.licenses': ['MIT'] },
    });
    const { document, problems } = decode(manifest, { config: encode('[{"descriptor": 1}, 1e999]') });
    expect(document).toMatchObject({ kind: 'model', format: 'modelpack', config: [{ descriptor: 1 }, null] });
    expect(document.model).toMatchObject({ name: null, licenses: ['MIT'] });
    expect(problems.map((problem) => problem.code).sort()).toEqual([
      'invalid_config',
      'invalid_json_annotation',
      'invalid_manifest',
      'invalid_manifest',
      'invalid_manifest',
      'invalid_manifest',
    ]);
    expect(isPlainJson(document)).toBe(true);
  });

  it('reads configs of unexpected shapes without guessing', () => {
    const manifest = parse({
      schemaVersion: 2,
      config: { mediaType: 'application/x-config', digest: digestOf('f'), size: 40 },
      layers: [],
    });
    const config = encode({
      name: 5,
      author: ['a', 7, 'b'],
      customProperties: { a: true, b: 'x', c: 2, d: [1] },
      model_format_name: {},
    });
    const { document, problems } = decode(manifest, { config });
    expect(document.model).toMatchObject({
      name: '5',
      authors: ['a', '7', 'b'],
      metrics: { c: 2 },
      format: null,
      license: null,
    });
    expect(problems).toEqual([]);
  });

  it('falls back to the standard annotations where the format lacks a field', () => {
    const manifest = parse({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: 'application/vnd.docker.ai.model.config.v0.1+json', digest: digestOf('f'), size: 40 },
      layers: [layer('application/vnd.docker.ai.gguf.v3')],
      annotations: {
        'org.opencontainers.image.title': 'tiny',
        'org.opencontainers.image.version': '1.2',
        'org.opencontainers.image.licenses': 'Apache-2.0 OR MIT',
        'org.opencontainers.image.authors': 'Jane Roe <jane@example.com>',
        'org.opencontainers.image.description': 'A tiny model',
        'org.opencontainers.image.created': '2025-01-01T00:00:00Z',
        'org.opencontainers.image.source': 'https://github.com/example/tiny',
      },
    });
    const { document } = decode(manifest, { config: encode({ config: { format: 'gguf' }, descriptor: {} }) });
    expect(document.model).toEqual({
      name: 'tiny',
      version: '1.2',
      license: 'Apache-2.0',
      licenses: ['Apache-2.0', 'MIT'],
      licenseRaw: 'Apache-2.0 OR MIT',
      format: 'gguf',
      framework: null,
      base: null,
      architecture: null,
      family: null,
      paramSize: null,
      precision: null,
      quantization: null,
      authors: ['Jane Roe <jane@example.com>'],
      description: 'A tiny model',
      uri: 'https://github.com/example/tiny',
      created: '2025-01-01T00:00:00Z',
      metrics: {},
    });
  });

  it('does not call buildx attestation manifests or typed artifacts images', () => {
    const imageConfig = { mediaType: MediaType.ociImageConfig, digest: digestOf('f'), size: 40 };
    const attestation = parse({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: imageConfig,
      layers: [layer('application/vnd.in-toto+json')],
    });
    expect(decode(attestation).document).toMatchObject({ kind: 'artifact', format: 'artifact' });
    const typed = parse({
      schemaVersion: 2,
      artifactType: 'application/vnd.example.thing',
      config: imageConfig,
      layers: [],
    });
    expect(decode(typed).document).toMatchObject({ kind: 'artifact', artifactType: 'application/vnd.example.thing' });
  });

  it.each(['model_metadata.oml.json', 'model_metadata.omlmd.yaml', 'model_metadata.omlmd.tar'])(
    'recognises omlmd by a metadata layer titled %s',
    (title) => {
      const manifest = parse({
        schemaVersion: 2,
        config: { mediaType: MediaType.ociImageConfig, digest: digestOf('f'), size: 40 },
        layers: [layer('application/vnd.oci.image.layer.v1.tar', 10, { 'org.opencontainers.image.title': title })],
      });
      expect(decode(manifest).document).toMatchObject({ kind: 'model', format: 'omlmd' });
    },
  );

  it.each([
    [
      'a Docker manifest by content type',
      { config: { mediaType: MediaType.dockerImageConfig, digest: digestOf('f'), size: 1 }, layers: [] },
      MediaType.dockerManifest,
      MediaType.dockerManifest,
    ],
    [
      'an OCI manifest by shape when the content type says nothing',
      { config: { mediaType: MediaType.ociImageConfig, digest: digestOf('f'), size: 1 }, layers: [] },
      'application/json',
      MediaType.ociManifest,
    ],
    [
      'an OCI index by shape when the content type contradicts it',
      { manifests: [] },
      MediaType.ociManifest,
      MediaType.ociIndex,
    ],
    [
      'a Docker list by content type with parameters',
      { manifests: [] },
      `${MediaType.dockerManifestList}; charset=utf-8`,
      MediaType.dockerManifestList,
    ],
  ])('takes the mediaType of %s', (_name, body, contentType, expected) => {
    const manifest = parse({ schemaVersion: 2, ...body }, contentType);
    expect(decode(manifest, { mediaType: contentType }).document.mediaType).toBe(expected);
  });

  it('sizes an index as its manifest plus its children, and a manifest as manifest + config + layers', () => {
    const index = parse({
      schemaVersion: 2,
      manifests: [
        { mediaType: MediaType.ociManifest, digest: digestOf('1'), size: 300 },
        { mediaType: MediaType.ociManifest, digest: digestOf('2'), size: 200 },
      ],
    });
    expect(decode(index).document).toMatchObject({ size: 1000, manifests: [{ platform: null }, { platform: null }] });
    const manifest = parse({
      schemaVersion: 2,
      config: { mediaType: MediaType.ociEmpty, digest: digestOf('f'), size: 2 },
      layers: [layer('a', 3), layer('b', 5)],
    });
    expect(decode(manifest).document.size).toBe(510);
  });

  it('sets tags sorted without duplicates, referrers, signed, subject and parent', () => {
    const signature: ReferrerSummary = {
      digest: digestOf('9'),
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.cncf.notary.signature',
      kind: 'signature',
      annotations: {},
      referrers: [],
    };
    const sbom: ReferrerSummary = {
      ...signature,
      digest: digestOf('8'),
      artifactType: 'application/spdx+json',
      kind: 'sbom',
    };
    const manifest = parse({
      schemaVersion: 2,
      config: { mediaType: MediaType.ociImageConfig, digest: digestOf('f'), size: 2 },
      layers: [],
      subject: { mediaType: MediaType.ociManifest, digest: digestOf('7'), size: 9 },
    });
    const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    const { document } = decode(manifest, {
      tags: ['v2', 'latest', 'v2'],
      referrers: [sbom, signature],
      parent: { digest: digestOf('6'), platform },
    });
    expect(document).toMatchObject({
      tags: ['latest', 'v2'],
      signed: true,
      subject: digestOf('7'),
      parent: digestOf('6'),
      platform,
    });
    expect(decode(manifest, { referrers: [sbom] }).document.signed).toBe(false);
  });
});
