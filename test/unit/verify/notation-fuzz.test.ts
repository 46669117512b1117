/**
 * Property tests: whatever bytes arrive as a Notation envelope (random, or a real-shaped envelope
 * with bytes changed, or a certificate in x5c with bytes changed), the verifier answers a
 * SignatureCheck with a stable reason and never throws; a changed signed part never verifies.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SignatureCheck, VerificationReason } from '../../../src/domain/trust.js';
import { createNotationVerifier } from '../../../src/verify/notation.js';
import type { NotationVerifier } from '../../../src/verify/notation.js';
import { createTestCa, signJws } from '../../support/notation-signer.js';

const JWS = 'application/jose+json';
const NOW = new Date('2026-12-02T08:00:00Z');
const VALIDITY = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') };
const TARGET = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 7 };
const FAILURES: VerificationReason[] = [
  'malformed',
  'bad_signature',
  'untrusted_chain',
  'unsupported_format',
  'expired',
  'digest_mismatch',
  'untrusted_identity',
];

let verifier: NotationVerifier;
let envelope: Buffer;

beforeAll(async () => {
  const ca = await createTestCa({ key: 'ec-p256', intermediate: true, ...VALIDITY });
  const leaf = await ca.issueLeaf(VALIDITY);
  verifier = createNotationVerifier({ trustStore: [ca.trustStorePem], trustedIdentities: ['*'] });
  const signingTime = new Date('2026-12-01T00:00:00Z');
  envelope = Buffer.from(signJws({ target: TARGET, leaf, chain: ca.chain, signingTime }));
});

function verify(bytes: Uint8Array): SignatureCheck {
  return verifier.verify(bytes, JWS, TARGET, NOW);
}

function expectFailure(check: SignatureCheck): void {
  expect(check.ok).toBe(false);
  if (!check.ok) expect(FAILURES).toContain(check.reason);
}

describe('the Notation verifier on hostile bytes', () => {
  it('verifies the unchanged envelope (the baseline the properties change)', () => {
    expect(verify(envelope).ok).toBe(true);
  });

  it('answers random bytes with a failure', () => {
    const property = fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => expectFailure(verify(bytes)));
    fc.assert(property, { numRuns: 300 });
  });

  it('answers an envelope with bytes of its signed parts changed with a failure', () => {
    const signedEnd = envelope.indexOf('"header"');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: signedEnd - 1 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const changed = Buffer.from(envelope);
        changed[at] = (changed[at]! + delta) % 256;
        expectFailure(verify(changed));
      }),
      { numRuns: 300 },
    );
  });

  it('answers an x5c certificate with bytes changed without throwing', () => {
    const json = JSON.parse(envelope.toString('utf8')) as { header: { x5c: string[] } };
    const leaf = Buffer.from(json.header.x5c[0]!, 'base64');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: leaf.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const changed = Buffer.from(leaf);
        changed[at] = (changed[at]! + delta) % 256;
        json.header.x5c[0] = changed.toString('base64');
        const check = verify(Buffer.from(JSON.stringify(json)));
        // The issuer signed every byte of the leaf's TBS; other bytes frame the signature itself.
        expectFailure(check);
      }),
      { numRuns: 300 },
    );
  });
});
