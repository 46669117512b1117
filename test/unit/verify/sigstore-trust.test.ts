/**
 * createSigstoreVerifier refuses trust it cannot use, at creation and with a clear invalid_argument
 * (never per signature), and any bundle input gives a check, never a throw.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { createSigstoreVerifier } from '../../../src/verify/sigstore-verifier.js';
import type { SigstoreTrust } from '../../../src/verify/sigstore-types.js';
import { createTestSigstore, generateKeyPair, type TestSigstore } from '../../support/sigstore-signer.js';

const SIGNER = {
  san: 'https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
const IDENTITY = { subject: SIGNER.san, issuer: SIGNER.issuer };
const DIGEST = `sha256:${'ab'.repeat(32)}`;

let sigstore: TestSigstore;
let trust: SigstoreTrust;

beforeAll(async () => {
  sigstore = await createTestSigstore();
  trust = { trustedRoot: sigstore.trustedRoot, identities: [IDENTITY], publicKeys: [generateKeyPair().publicKeyPem] };
});

/** The invalid_argument message createSigstoreVerifier throws for `policy`, or 'accepted'. */
function creationError(policy: SigstoreTrust): string {
  try {
    createSigstoreVerifier(policy);
    return 'accepted';
  } catch (error) {
    expect(isOcidexError(error, 'invalid_argument'), String(error)).toBe(true);
    return (error as Error).message;
  }
}

describe('createSigstoreVerifier rejects unusable trust', () => {
  test('a bad subjectRegExp names the identity it came from', () => {
    expect(creationError({ ...trust, identities: [IDENTITY, { subjectRegExp: '(unclosed', issuer: 'x' }] })).toMatch(
      /identities\[1\]\.subjectRegExp is not a valid regular expression/,
    );
  });

  test('an identity needs an issuer and exactly one of subject and subjectRegExp', () => {
    expect(creationError({ ...trust, identities: [{ subject: 'a', issuer: '' }] })).toMatch(/issuer/);
    expect(creationError({ ...trust, identities: [{ issuer: 'x' }] })).toMatch(/exactly one/);
    const both = { subject: 'a', subjectRegExp: 'a', issuer: 'x' };
    expect(creationError({ ...trust, identities: [both] })).toMatch(/exactly one/);
  });

  test('identities and keys must be arrays', () => {
    expect(creationError({ ...trust, identities: IDENTITY as never })).toMatch(/identities must be an array/);
    expect(creationError({ ...trust, publicKeys: 'PEM' as never })).toMatch(/publicKeys must be an array/);
  });

  test('keys must be PEM public keys, never private keys', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(creationError({ ...trust, publicKeys: [privatePem] })).toMatch(/publicKeys\[0\] is not a PEM public key/);
    const truncated = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----';
    expect(creationError({ ...trust, publicKeys: [truncated] })).toMatch(/publicKeys\[0\] cannot be read/);
  });

  test('a trusted root that is not an object, lists no authority, or holds a broken key is refused', () => {
    expect(creationError({ ...trust, trustedRoot: [] })).toMatch(/JSON object/);
    expect(creationError({ ...trust, trustedRoot: { mediaType: 'x' } })).toMatch(/neither certificate authorities/);
    const root = structuredClone(sigstore.trustedRoot) as { tlogs: Array<{ publicKey: { rawBytes: string } }> };
    root.tlogs[0]!.publicKey.rawBytes = 'AAAA';
    expect(creationError({ ...trust, trustedRoot: root })).toMatch(/trusted root cannot be used/);
  });

  test('regression (conformance trust-root-tlog-missing-validity-start_fail): a log key without validFor.start', () => {
    const root = structuredClone(sigstore.trustedRoot) as { tlogs: Array<{ publicKey: { validFor: object } }> };
    root.tlogs[0]!.publicKey.validFor = {};
    expect(creationError({ ...trust, trustedRoot: root })).toMatch(/tlogs entry .* has no validFor.start/);
  });

  test('the test Sigstore root itself is accepted', () => {
    expect(creationError(trust)).toBe('accepted');
  });
});

describe('malformed bundles', () => {
  test('not an object, missing fields and unknown media types are malformed', async () => {
    const verifier = createSigstoreVerifier(trust);
    const bundle = await sigstore.signDsseBundle({ subjectDigest: DIGEST, identity: SIGNER });
    const { verificationMaterial: material, ...noMaterial } = bundle as { verificationMaterial: object };
    const { dsseEnvelope: _envelope, ...noContent } = bundle;
    const inputs: unknown[] = [
      'a string',
      null,
      42,
      [bundle],
      noMaterial,
      noContent,
      { ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle.v9.9+json' },
      { ...bundle, mediaType: undefined },
      { ...bundle, dsseEnvelope: { payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [] } },
      { ...bundle, verificationMaterial: { ...material, certificate: { rawBytes: 'AA' } } },
    ];
    for (const input of inputs) {
      expect(verifier.verifyBundle(input, { digest: DIGEST }), JSON.stringify(input)?.slice(0, 80)).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  test('any JSON value, and any value put anywhere in a real bundle, gives a check and never a throw', async () => {
    const verifier = createSigstoreVerifier(trust);
    const bundle = await sigstore.signDsseBundle({ subjectDigest: DIGEST, identity: SIGNER });
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const check = verifier.verifyBundle(value, { digest: DIGEST });
        expect(check).toMatchObject({ ok: false, reason: 'malformed' });
      }),
      { numRuns: 300 },
    );
    const paths = leafPaths(bundle);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const check = verifier.verifyBundle(replaced(bundle, path, value), { digest: DIGEST });
        expect(typeof check.ok).toBe('boolean');
        if (!check.ok) expect(check.detail.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

/** Every path to a value inside `value` (objects and arrays walked). */
function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => leafPaths(item, [...prefix, key]))];
}

function replaced(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}
