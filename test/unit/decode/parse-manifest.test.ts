import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/decode/index.js';
import { isOcidexError } from '../../../src/domain/errors.js';
import { isIndex, MediaType } from '../../../src/domain/oci.js';

const encode = (value: unknown): Uint8Array =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const DIGEST = `sha256:${'a'.repeat(64)}`;
const descriptor = (overrides: Record<string, unknown> = {}) => ({
  mediaType: 'application/octet-stream',
  digest: DIGEST,
  size: 1,
  ...overrides,
});
const manifest = (overrides: Record<string, unknown> = {}) => ({
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: descriptor({ mediaType: MediaType.ociImageConfig }),
  layers: [descriptor()],
  ...overrides,
});

function invalidMessage(bytes: Uint8Array, mediaType: string | null = null): string {
  try {
    parseManifest(bytes, mediaType);
  } catch (error) {
    expect(isOcidexError(error, 'invalid_manifest')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('parseManifest accepted an invalid manifest');
}

describe('parseManifest', () => {
  it('accepts an OCI manifest and an index, also without mediaType (detected by shape)', () => {
    const { mediaType: _omit, ...bare } = manifest();
    expect(isIndex(parseManifest(encode(bare), null))).toBe(false);
    const index = { schemaVersion: 2, manifests: [descriptor({ platform: { os: 'linux', architecture: 'amd64' } })] };
    expect(isIndex(parseManifest(encode(index), MediaType.ociIndex))).toBe(true);
  });

  it('accepts an empty layer list and annotations of any type (reported later, not here)', () => {
    expect(() => parseManifest(encode(manifest({ layers: [], annotations: { a: 1 } })), null)).not.toThrow();
  });

  it.each([
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'UTF-8'],
    ['text that is not JSON', encode('{"schemaVersion": 2,'), 'not valid JSON'],
    ['a JSON array', encode([]), 'not a JSON object'],
    ['JSON null', encode('null'), 'not a JSON object'],
    ['schemaVersion 3', encode(manifest({ schemaVersion: 3 })), 'schemaVersion'],
    ['a missing schemaVersion', encode(manifest({ schemaVersion: undefined })), 'schemaVersion'],
    ['neither manifests nor config', encode({ schemaVersion: 2 }), 'neither'],
    ['both manifests and layers', encode(manifest({ manifests: [] })), 'both'],
    ['manifests that are not an array', encode({ schemaVersion: 2, manifests: {} }), 'manifests must be an array'],
    ['a config without layers', encode(manifest({ layers: undefined })), 'layers must be an array'],
    ['a config that is a string', encode(manifest({ config: 'sha256:abc' })), 'config must be an object'],
    ['a numeric mediaType', encode(manifest({ mediaType: 2 })), 'mediaType must be a string'],
    ['an index mediaType on a manifest', encode(manifest({ mediaType: MediaType.ociIndex })), 'does not match'],
    [
      'a manifest mediaType on an index',
      encode({ schemaVersion: 2, mediaType: MediaType.dockerManifest, manifests: [] }),
      'does not match',
    ],
    ['a non-string artifactType', encode(manifest({ artifactType: ['x'] })), 'artifactType must be a string'],
    [
      'a descriptor without digest algorithm',
      encode(manifest({ layers: [descriptor({ digest: 'abc' })] })),
      'layers[0].digest',
    ],
    ['an empty digest encoding', encode(manifest({ layers: [descriptor({ digest: 'sha256:' })] })), 'layers[0].digest'],
    ['a negative size', encode(manifest({ layers: [descriptor(), descriptor({ size: -1 })] })), 'layers[1].size'],
    ['a fractional size', encode(manifest({ config: descriptor({ size: 1.5 }) })), 'config.size'],
    ['a size as a string', encode(manifest({ config: descriptor({ size: '12' }) })), 'config.size'],
    [
      'a size too large for a double',
      encode('{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:aa","size":1e400},"layers":[]}'),
      'config.size',
    ],
    [
      'a numeric descriptor mediaType',
      encode(manifest({ layers: [descriptor({ mediaType: 1 })] })),
      'layers[0].mediaType',
    ],
    [
      'a platform that is a string',
      encode({ schemaVersion: 2, manifests: [descriptor({ platform: 'linux/amd64' })] }),
      'manifests[0].platform',
    ],
    ['a malformed subject', encode(manifest({ subject: { digest: DIGEST } })), 'subject.mediaType'],
    [
      'JSON nested 100 levels deep',
      encode(`{"schemaVersion":2,"x":${'['.repeat(100)}${']'.repeat(100)}}`),
      'nested deeper',
    ],
  ])('rejects %s', (_name, bytes, message) => {
    expect(invalidMessage(bytes)).toContain(message);
  });

  it('reports Docker schema1 manifests as unsupported, by body or by content type', () => {
    const schema1 = {
      schemaVersion: 1,
      name: 'library/busybox',
      tag: 'latest',
      architecture: 'amd64',
      fsLayers: [],
      history: [],
      signatures: [],
    };
    expect(invalidMessage(encode(schema1))).toMatch(/schema1.*unsupported/);
    expect(invalidMessage(encode(manifest()), 'application/vnd.docker.distribution.manifest.v1+prettyjws')).toMatch(
      /schema1/,
    );
    expect(
      invalidMessage(encode({ ...manifest(), mediaType: 'application/vnd.docker.distribution.manifest.v1+json' })),
    ).toMatch(/schema1/);
  });
});
