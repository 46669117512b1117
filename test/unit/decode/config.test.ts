import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../../../src/decode/config.js';
import { configToFetch, MAX_CONFIG_BYTES } from '../../../src/decode/index.js';
import { MediaType, type Descriptor, type ImageManifest } from '../../../src/domain/oci.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const manifestWith = (config: Partial<Descriptor>): ImageManifest => ({
  schemaVersion: 2,
  config: { mediaType: MediaType.ociImageConfig, digest: DIGEST, size: 100, ...config },
  layers: [],
});
const inline = (text: string, mediaType = 'application/vnd.example.config.v1+json'): Partial<Descriptor> => {
  const bytes = Buffer.from(text);
  return {
    mediaType,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
    data: bytes.toString('base64'),
  };
};
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const codes = (result: { problems: { code: string }[] }) => result.problems.map((problem) => problem.code);

describe('configToFetch', () => {
  it.each([
    MediaType.ociImageConfig,
    MediaType.dockerImageConfig,
    'application/x-config',
    'application/json',
    'application/vnd.cncf.model.config.v1+json',
    'application/vnd.docker.ai.model.config.v0.2+json',
    'application/vnd.example+json; charset=utf-8',
  ])('fetches %s', (mediaType) => {
    const manifest = manifestWith({ mediaType });
    expect(configToFetch(manifest)).toBe(manifest.config);
  });

  it.each([
    ['the empty config', { mediaType: MediaType.ociEmpty, size: 2 }],
    ['a non-JSON config', { mediaType: 'application/x-mlmodel' }],
    ['a legacy notation config', { mediaType: 'application/vnd.cncf.notary.signature', size: 2 }],
    ['a binary config', { mediaType: 'application/octet-stream' }],
    ['an inlined config', inline('{"a":1}')],
    ['an empty blob', { size: 0 }],
    ['a config over the limit', { size: MAX_CONFIG_BYTES + 1 }],
  ])('skips %s', (_name, config) => {
    expect(configToFetch(manifestWith(config))).toBeNull();
  });

  it('fetches a config of exactly the limit, and nothing for an index', () => {
    expect(configToFetch(manifestWith({ size: MAX_CONFIG_BYTES }))).not.toBeNull();
    expect(configToFetch({ schemaVersion: 2, manifests: [] })).toBeNull();
  });
});

describe('decodeConfig', () => {
  it('parses fetched bytes, dropping a UTF-8 BOM', () => {
    expect(decodeConfig(manifestWith({}), bytesOf('\uFEFF{"os":"linux"}'))).toEqual({
      config: { os: 'linux' },
      problems: [],
    });
  });

  it('is {} for the empty config, fetched or not', () => {
    expect(decodeConfig(manifestWith({ mediaType: MediaType.ociEmpty }), null).config).toEqual({});
  });

  it('uses inline data when it matches its digest and size', () => {
    expect(decodeConfig(manifestWith(inline('{"name":"x"}')), null)).toEqual({ config: { name: 'x' }, problems: [] });
  });

  it('reports inline data that does not match its digest', () => {
    const config = { ...inline('{"name":"x"}'), digest: DIGEST };
    expect(decodeConfig(manifestWith(config), null)).toMatchObject({
      config: null,
      problems: [{ code: 'invalid_config' }],
    });
  });

  it('ignores inline data of a non-JSON media type', () => {
    expect(decodeConfig(manifestWith(inline('binary', 'application/octet-stream')), null)).toEqual({
      config: null,
      problems: [],
    });
  });

  it('is null without bytes or data', () => {
    expect(decodeConfig(manifestWith({}), null)).toEqual({ config: null, problems: [] });
  });

  it.each([
    ['invalid JSON', bytesOf('{"os": '), 'not valid JSON'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xc3, 0x7d]), 'UTF-8'],
    ['too deep JSON', bytesOf(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`), 'nested deeper'],
    ['too many bytes', new Uint8Array(MAX_CONFIG_BYTES + 1).fill(0x20), 'larger than'],
  ])('is null with invalid_config for %s', (_name, bytes, message) => {
    const result = decodeConfig(manifestWith({}), bytes);
    expect(result.config).toBeNull();
    expect(codes(result)).toEqual(['invalid_config']);
    expect(result.problems[0]?.message).toContain(message);
  });

  it('keeps JSON that is not an object, with a problem', () => {
    const result = decodeConfig(manifestWith({}), bytesOf('[1, 2, 1e400]'));
    expect(result.config).toEqual([1, 2, null]);
    expect(codes(result)).toEqual(['invalid_config']);
  });
});
