import { describe, expect, it } from 'vitest';
import { classifyTag } from '../../../src/decode/index.js';

const HEX = '6ef51d707ba79dbc0d7d65f6f42419366c3a8f0d23ac5cca2154e27dec3ca055';

describe('classifyTag', () => {
  it.each([
    'latest',
    'v1.0.0',
    '3.1-q4',
    `sha256-${HEX.slice(0, 12)}`,
    `sha256-${HEX.toUpperCase()}`,
    `sha384-${HEX}`,
    `sha256-${HEX}.foo`,
    `sha256-${HEX}x`,
    `${HEX}`,
  ])('%s is a version', (tag) => {
    expect(classifyTag(tag)).toEqual({ kind: 'version' });
  });

  it.each([
    [`sha256-${HEX}`, `sha256:${HEX}`, 'referrers-index'],
    [`sha512-${HEX}`, `sha512:${HEX}`, 'referrers-index'],
    [`sha256-${HEX}.sig`, `sha256:${HEX}`, 'signature'],
    [`sha256-${HEX}.att`, `sha256:${HEX}`, 'attestation'],
    [`sha256-${HEX}.sbom`, `sha256:${HEX}`, 'sbom'],
  ])('%s is an attachment of %s (%s)', (tag, subject, attachment) => {
    expect(classifyTag(tag)).toEqual({ kind: 'attachment', subject, attachment });
  });
});
