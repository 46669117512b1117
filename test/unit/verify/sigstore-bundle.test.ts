/**
 * Sigstore bundles made by the offline test Sigstore (test/support/sigstore-signer.ts), verified by
 * createSigstoreVerifier: every reason a bundle can fail for, and that the signer is reported.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { createSigstoreVerifier } from '../../../src/verify/sigstore-verifier.js';
import type { SignedTarget, SigstoreTrust } from '../../../src/verify/sigstore-types.js';
import {
  createTestSigstore,
  generateKeyPair,
  type DsseBundleOptions,
  type SignerIdentity,
  type TestSigstore,
} from '../../support/sigstore-signer.js';

const IDENTITY = {
  san: 'https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;
const KEY = generateKeyPair();

let sigstore: TestSigstore;
let trust: SigstoreTrust;

beforeAll(async () => {
  sigstore = await createTestSigstore();
  trust = sigstore.trustFor({ identities: [IDENTITY], keys: [KEY] });
});

/** A DSSE bundle over DIGEST by `identity`, with extra signing options. */
function signDsse(identity: SignerIdentity, options: Partial<DsseBundleOptions> = {}) {
  return sigstore.signDsseBundle({ subjectDigest: DIGEST, identity, ...options });
}

function verifyAgainst(bundle: unknown, policy: SigstoreTrust = trust, target: SignedTarget = { digest: DIGEST }) {
  return createSigstoreVerifier(policy).verifyBundle(bundle, target);
}

/** A deep copy with `edit` applied, for tampering with one field. */
function edited<T>(value: T, edit: (copy: any) => void): T {
  const copy = structuredClone(value);
  edit(copy);
  return copy;
}

/** Base64 with its last byte changed: a tampered signature. */
function flipLastByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
  return bytes.toString('base64');
}

describe('keyless DSSE bundles', () => {
  test('a bundle by a trusted identity over the subject verifies and names the SAN', async () => {
    const bundle = await signDsse(IDENTITY);
    expect(verifyAgainst(bundle)).toEqual({ ok: true, signer: IDENTITY.san });
  });

  test('an e-mail identity is the signer as written in the certificate', async () => {
    const mail = { san: 'builder@acme.example', issuer: 'https://accounts.google.com' };
    const bundle = await signDsse(mail);
    const verifier = createSigstoreVerifier({ ...trust, identities: [{ subject: mail.san, issuer: mail.issuer }] });
    expect(verifier.verifyBundle(bundle, { digest: DIGEST })).toEqual({ ok: true, signer: mail.san });
  });

  test('another identity is untrusted_identity and still reports who signed', async () => {
    const bundle = await signDsse({ ...IDENTITY, san: 'https://evil.example/w' });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'untrusted_identity',
      signer: 'https://evil.example/w',
    });
  });

  test('the trusted SAN from another OIDC issuer is untrusted_issuer', async () => {
    const bundle = await signDsse({ ...IDENTITY, issuer: 'https://evil.example' });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'untrusted_issuer',
      signer: IDENTITY.san,
    });
  });

  test('subjectRegExp searches the SAN as cosign --certificate-identity-regexp does: anchor it to pin it', async () => {
    const bundle = await signDsse(IDENTITY);
    const byPattern = (subjectRegExp: string) =>
      verifyAgainst(bundle, { ...trust, identities: [{ subjectRegExp, issuer: IDENTITY.issuer }] });
    expect(byPattern('^https://github\\.com/acme/')).toEqual({ ok: true, signer: IDENTITY.san });
    expect(byPattern('https://github\\.com/acme/.+@refs/heads/main$')).toEqual({ ok: true, signer: IDENTITY.san });
    expect(byPattern('^https://github\\.com/acme/models$')).toMatchObject({ ok: false, reason: 'untrusted_identity' });
    expect(byPattern('^https://github\\.com/evil/')).toMatchObject({ ok: false, reason: 'untrusted_identity' });
  });

  test('a statement over another digest is digest_mismatch', async () => {
    const bundle = await sigstore.signDsseBundle({ subjectDigest: OTHER_DIGEST, identity: IDENTITY });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
  });

  test('a tampered signature no longer matches its log entry: invalid_log_entry', async () => {
    const bundle = await signDsse(IDENTITY);
    const tampered = edited(bundle, (copy) => {
      copy.dsseEnvelope.signatures[0].sig = flipLastByte(copy.dsseEnvelope.signatures[0].sig);
    });
    expect(verifyAgainst(tampered)).toMatchObject({
      ok: false,
      reason: 'invalid_log_entry',
    });
  });

  test('a tampered statement is caught by the log entry digest before anything trusts it', async () => {
    const bundle = await sigstore.signDsseBundle({ subjectDigest: OTHER_DIGEST, identity: IDENTITY });
    const tampered = edited(bundle, (copy) => {
      copy.dsseEnvelope.payload = Buffer.from(
        Buffer.from(copy.dsseEnvelope.payload, 'base64').toString().replace('cdcd', 'abab'),
      ).toString('base64');
    });
    expect(verifyAgainst(tampered)).toMatchObject({
      ok: false,
      reason: 'invalid_log_entry',
    });
  });

  test('a certificate from another CA is untrusted_chain', async () => {
    const other = await createTestSigstore({ name: 'other' });
    const bundle = await other.signDsseBundle({ subjectDigest: DIGEST, identity: IDENTITY });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'untrusted_chain',
    });
  });

  test('a certificate expired when the log entered the signature is expired', async () => {
    const notBefore = new Date(Date.now() - 3_600_000);
    const bundle = await sigstore.signDsseBundle({
      subjectDigest: DIGEST,
      identity: IDENTITY,
      certificateValidity: { notBefore, notAfter: new Date(notBefore.getTime() + 600_000) },
    });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  test('v0.1 and v0.2 bundles (certificate chain, +json;version= media type) verify too', async () => {
    for (const bundleVersion of ['0.1', '0.2'] as const) {
      const bundle = await signDsse(IDENTITY, { bundleVersion });
      expect(bundle.mediaType).toBe(`application/vnd.dev.sigstore.bundle+json;version=${bundleVersion}`);
      expect(verifyAgainst(bundle)).toEqual({ ok: true, signer: IDENTITY.san });
    }
  });

  test('each entry of a growing log verifies: audit paths of the newest leaf in trees of many sizes', async () => {
    const bundles = [];
    for (let index = 0; index < 9; index += 1) bundles.push(await signDsse(KEY));
    const verified = bundles.map(() => ({ ok: true, signer: KEY.signer }));
    expect(bundles.map((bundle) => verifyAgainst(bundle))).toEqual(verified);
  });

  test('a bundle without a SET has no trusted time: invalid_log_entry', async () => {
    const bundle = await signDsse(IDENTITY, { tlog: { promise: false } });
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'invalid_log_entry',
    });
  });

  test('a keyless bundle under a keys-only policy is no_trust_material', async () => {
    const bundle = await signDsse(IDENTITY);
    const keysOnly = createSigstoreVerifier({ trustedRoot: null, identities: [], publicKeys: [KEY.publicKeyPem] });
    expect(keysOnly.verifyBundle(bundle, { digest: DIGEST })).toMatchObject({ ok: false, reason: 'no_trust_material' });
  });
});

describe('key-pair bundles', () => {
  test('a bundle by a policy key verifies with signer key:sha256 of the SPKI DER', async () => {
    const bundle = await signDsse(KEY);
    expect(KEY.signer).toMatch(/^key:sha256:[0-9a-f]{64}$/);
    expect(verifyAgainst(bundle)).toEqual({ ok: true, signer: KEY.signer });
  });

  test('a bundle by a key the policy does not hold is untrusted_key', async () => {
    const bundle = await signDsse(generateKeyPair());
    expect(verifyAgainst(bundle)).toMatchObject({
      ok: false,
      reason: 'untrusted_key',
    });
  });

  test('a hint naming a trusted key whose signature does not verify is bad_signature', async () => {
    const other = generateKeyPair();
    const bundle = await signDsse(other);
    const lying = edited(bundle, (copy) => {
      copy.verificationMaterial.publicKey.hint = KEY.hint;
    });
    expect(verifyAgainst(lying)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  test('an unknown hint still verifies when a policy key signed (hints are free-form)', async () => {
    const bundle = await signDsse(KEY);
    const renamed = edited(bundle, (copy) => {
      copy.verificationMaterial.publicKey.hint = 'my-release-key';
    });
    expect(verifyAgainst(renamed)).toEqual({ ok: true, signer: KEY.signer });
  });

  test('a keys-only policy checks signature and key, not the log; a tampered signature is bad_signature', async () => {
    const keysOnly = createSigstoreVerifier({ trustedRoot: null, identities: [], publicKeys: [KEY.publicKeyPem] });
    const bundle = await signDsse(KEY);
    expect(keysOnly.verifyBundle(bundle, { digest: DIGEST })).toEqual({ ok: true, signer: KEY.signer });
    const tampered = edited(bundle, (copy) => {
      copy.dsseEnvelope.signatures[0].sig = Buffer.alloc(70, 1).toString('base64');
    });
    expect(keysOnly.verifyBundle(tampered, { digest: DIGEST })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  test('a key bundle under a policy without keys is no_trust_material', async () => {
    const bundle = await signDsse(KEY);
    const keyless = createSigstoreVerifier({ ...trust, publicKeys: [] });
    expect(keyless.verifyBundle(bundle, { digest: DIGEST })).toMatchObject({ ok: false, reason: 'no_trust_material' });
  });
});

describe('message-signature bundles', () => {
  const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;

  test('verifies over the subject manifest bytes', async () => {
    const bundle = await sigstore.signMessageBundle({ artifact: manifest, identity: IDENTITY });
    expect(createSigstoreVerifier(trust).verifyBundle(bundle, { digest, artifact: manifest })).toEqual({
      ok: true,
      signer: IDENTITY.san,
    });
  });

  test('a signature over another manifest is digest_mismatch', async () => {
    const bundle = await sigstore.signMessageBundle({ artifact: Buffer.from('another'), identity: IDENTITY });
    expect(createSigstoreVerifier(trust).verifyBundle(bundle, { digest, artifact: manifest })).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
  });

  test('bytes that are not the target digest are digest_mismatch, whatever the signature', async () => {
    const bundle = await sigstore.signMessageBundle({ artifact: manifest, identity: IDENTITY });
    expect(createSigstoreVerifier(trust).verifyBundle(bundle, { digest: DIGEST, artifact: manifest })).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    });
  });

  test('without the manifest bytes it cannot be verified: unsupported_format', async () => {
    const bundle = await sigstore.signMessageBundle({ artifact: manifest, identity: KEY });
    expect(createSigstoreVerifier(trust).verifyBundle(bundle, { digest })).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
    });
  });
});
