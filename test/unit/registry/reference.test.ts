import { describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { parseReference, resolveBaseUrl } from '../../../src/registry/index.js';
import { canonicalRegistry } from '../../../src/registry/scheme.js';
import { referrersTag } from '../../../src/registry/digest.js';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'b'.repeat(128)}`;

describe('parseReference', () => {
  it.each([
    ['localhost:5000/models/m:v1', { registry: 'localhost:5000', repository: 'models/m', tag: 'v1', digest: null }],
    [`ghcr.io/org/a/b@${SHA256}`, { registry: 'ghcr.io', repository: 'org/a/b', tag: null, digest: SHA256 }],
    [`Quay.IO/x/y:tag@${SHA512}`, { registry: 'quay.io', repository: 'x/y', tag: 'tag', digest: SHA512 }],
    ['127.0.0.1:5000/m', { registry: '127.0.0.1:5000', repository: 'm', tag: null, digest: null }],
    ['[::1]:5000/m:latest', { registry: '[::1]:5000', repository: 'm', tag: 'latest', digest: null }],
    ['localhost/a__b-c.d/e', { registry: 'localhost', repository: 'a__b-c.d/e', tag: null, digest: null }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    'ubuntu:latest',
    'library/ubuntu',
    'ghcr.io/Org/Upper',
    'ghcr.io/a/../b',
    'ghcr.io/a:bad tag',
    'ghcr.io/a@sha256:short',
    `ghcr.io/a@sha256:${'A'.repeat(64)}`,
    'ghcr.io/',
    'http://ghcr.io/a',
  ])('refuses %s as invalid_reference', (text) => {
    let caught: unknown;
    try {
      parseReference(text);
    } catch (error) {
      caught = error;
    }
    expect(isOcidexError(caught, 'invalid_reference')).toBe(true);
  });
});

describe('resolveBaseUrl', () => {
  it.each([
    ['localhost', false, 'http://localhost'],
    ['localhost:5000', false, 'http://localhost:5000'],
    ['127.0.0.1:5000', false, 'http://127.0.0.1:5000'],
    ['127.1.2.3', false, 'http://127.1.2.3'],
    ['[::1]:5000', false, 'http://[::1]:5000'],
    ['registry.example.com', false, 'https://registry.example.com'],
    ['registry.example.com:5000', false, 'https://registry.example.com:5000'],
    ['localhost.example.com', false, 'https://localhost.example.com'],
    ['128.0.0.1', false, 'https://128.0.0.1'],
    ['https://localhost:5000', false, 'https://localhost:5000'],
    ['http://registry.example.com/', false, 'http://registry.example.com'],
    ['registry.example.com', true, 'http://registry.example.com'],
    ['https://registry.example.com', true, 'http://registry.example.com'],
    ['docker.io', false, 'https://registry-1.docker.io'],
  ])('%s (plainHttp %s) -> %s', (registry, plainHttp, expected) => {
    expect(resolveBaseUrl(registry, plainHttp)).toBe(expected);
  });

  it('keeps the port in the canonical name, even a default one', () => {
    expect(canonicalRegistry('http://Host.Example:80/')).toBe('host.example:80');
    expect(canonicalRegistry('https://host.example')).toBe('host.example');
  });

  it('refuses a registry with userinfo or garbage', () => {
    expect(() => resolveBaseUrl('user:secret@host.example')).toThrow(/invalid registry/);
    expect(() => resolveBaseUrl('host?x=1')).toThrow(/invalid registry/);
  });
});

describe('referrersTag', () => {
  it('cuts algorithm to 32 and encoded to 64 characters', () => {
    expect(referrersTag(SHA256)).toBe(`sha256-${'a'.repeat(64)}`);
    expect(referrersTag(SHA512)).toBe(`sha512-${'b'.repeat(64)}`);
  });
});
