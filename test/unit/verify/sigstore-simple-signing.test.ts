/**
 * cosign tag-based `.sig` layers (simple-signing payload + annotations) made by the offline test
 * Sigstore, verified by createSigstoreVerifier(...).verifySimpleSigning: key pairs (ECDSA, RSA,
 * Ed25519) and keyless (Fulcio certificate + Rekor SET).
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  COSIGN_CERTIFICATE_ANNOTATION,
  COSIGN_REKOR_BUNDLE_ANNOTATION,
  COSIGN_SIGNATURE_ANNOTATION,
} from '../../../src/verify/cosign-annotations.js';
import { createSigstoreVerifier } from '../../../src/verify/sigstore-verifier.js';
import type { SigstoreTrust } from '../../../src/verify/sigstore-types.js';
import {
  createTestSigstore,
  generateKeyPair,
  type SignerIdentity,
  type SimpleSigningOptions,
  type TestSigstore,
} from '../../support/sigstore-signer.js';

const IDENTITY = { san: 'mlops@acme.example', issuer: 'https://accounts.google.com' };
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;
const REFERENCE = 'registry.example/models/llama';
const KEY = generateKeyPair();

let sigstore: TestSigstore;
let trust: SigstoreTrust;

beforeAll(async () => {
  sigstore = await createTestSigstore();
  trust = sigstore.trustFor({ identities: [IDENTITY], keys: [KEY] });
});

/** A `.sig` layer over `subjectDigest` by `identity`, with extra signing options. */
function signed(subjectDigest: string, identity: SignerIdentity, options: Partial<SimpleSigningOptions> = {}) {
  return sigstore.signSimpleSigning({ subjectDigest, dockerReference: REFERENCE, identity, ...options });
}

function verify(layer: { payload: Uint8Array; annotations: Record<string, string> }, digest = DIGEST, policy = trust) {
  return createSigstoreVerifier(policy).verifySimpleSigning(layer.payload, layer.annotations, { digest });
}

describe('key-pair .sig', () => {
  test('a payload signed by a policy key over the subject verifies with signer key:sha256', async () => {
    const layer = await signed(DIGEST, KEY);
    expect(verify(layer)).toEqual({ ok: true, signer: KEY.signer });
  });

  test('a payload naming another manifest is digest_mismatch', async () => {
    const layer = await signed(OTHER_DIGEST, KEY);
    expect(verify(layer)).toMatchObject({ ok: false, reason: 'digest_mismatch' });
  });

  test('a payload signed by a key the policy does not hold is untrusted_key', async () => {
    const layer = await signed(DIGEST, generateKeyPair());
    expect(verify(layer)).toMatchObject({ ok: false, reason: 'untrusted_key' });
  });

  test('a tampered payload verifies with no policy key: untrusted_key, never its new digest', async () => {
    const layer = await signed(OTHER_DIGEST, KEY);
    const payload = Buffer.from(Buffer.from(layer.payload).toString().replace(OTHER_DIGEST, DIGEST));
    expect(verify({ ...layer, payload })).toMatchObject({ ok: false, reason: 'untrusted_key' });
  });

  test('RSA and Ed25519 keys verify as cosign signs with them', async () => {
    for (const type of ['rsa', 'ed25519'] as const) {
      const { privateKey, publicKey } =
        type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const layer = await signed(DIGEST, { privateKey, publicKey });
      const policy = { ...trust, publicKeys: [KEY.publicKeyPem, pem] };
      expect(verify(layer, DIGEST, policy), type).toMatchObject({ ok: true });
    }
  });

  test('a payload that is not cosign simple signing, or a missing signature, is malformed', async () => {
    const layer = await signed(DIGEST, KEY);
    expect(verify({ ...layer, payload: Buffer.from('{"critical":{"type":"other"}}') })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(verify({ ...layer, payload: Buffer.from('not json') })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify({ ...layer, annotations: {} })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify({ ...layer, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: '%%%' } })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  test('a policy without keys is no_trust_material', async () => {
    const layer = await signed(DIGEST, KEY);
    const keyless = { ...trust, publicKeys: [] };
    expect(verify(layer, DIGEST, keyless)).toMatchObject({ ok: false, reason: 'no_trust_material' });
  });
});

describe('keyless .sig', () => {
  test('a payload signed by a trusted identity, logged in the trusted log, verifies and names the SAN', async () => {
    const layer = await signed(DIGEST, IDENTITY);
    expect(verify(layer)).toEqual({ ok: true, signer: IDENTITY.san });
  });

  test('another identity is untrusted_identity with the signer; another issuer is untrusted_issuer', async () => {
    const stranger = await signed(DIGEST, { ...IDENTITY, san: 'stranger@evil.example' });
    expect(verify(stranger)).toMatchObject({
      ok: false,
      reason: 'untrusted_identity',
      signer: 'stranger@evil.example',
    });
    const otherIssuer = await signed(DIGEST, { ...IDENTITY, issuer: 'https://evil.example' });
    expect(verify(otherIssuer)).toMatchObject({ ok: false, reason: 'untrusted_issuer', signer: IDENTITY.san });
  });

  test('a certificate from another CA is untrusted_chain', async () => {
    const other = await createTestSigstore({ name: 'other' });
    const layer = await other.signSimpleSigning({
      subjectDigest: DIGEST,
      dockerReference: REFERENCE,
      identity: IDENTITY,
    });
    expect(verify(layer)).toMatchObject({ ok: false, reason: 'untrusted_chain' });
  });

  test('a certificate expired at the SET integrated time is expired', async () => {
    const notBefore = new Date(Date.now() - 7_200_000);
    const layer = await signed(DIGEST, IDENTITY, {
      certificateValidity: { notBefore, notAfter: new Date(notBefore.getTime() + 600_000) },
    });
    expect(verify(layer)).toMatchObject({ ok: false, reason: 'expired' });
  });

  test('a forged SET, or none, is invalid_log_entry', async () => {
    const layer = await signed(DIGEST, IDENTITY);
    const rekor = JSON.parse(layer.annotations[COSIGN_REKOR_BUNDLE_ANNOTATION] ?? '{}');
    rekor.Payload.integratedTime -= 1;
    const forged = { ...layer.annotations, [COSIGN_REKOR_BUNDLE_ANNOTATION]: JSON.stringify(rekor) };
    expect(verify({ ...layer, annotations: forged })).toMatchObject({ ok: false, reason: 'invalid_log_entry' });
    const { [COSIGN_REKOR_BUNDLE_ANNOTATION]: _dropped, ...unlogged } = layer.annotations;
    expect(verify({ ...layer, annotations: unlogged })).toMatchObject({ ok: false, reason: 'invalid_log_entry' });
  });

  test('a signature logged for another payload does not verify this one', async () => {
    const layer = await signed(DIGEST, IDENTITY);
    const other = await signed(DIGEST, IDENTITY, { dockerReference: 'elsewhere/x' });
    const rekor = layer.annotations[COSIGN_REKOR_BUNDLE_ANNOTATION] ?? '';
    const swapped = { ...other.annotations, [COSIGN_REKOR_BUNDLE_ANNOTATION]: rekor };
    expect(verify({ ...other, annotations: swapped })).toMatchObject({ ok: false, reason: 'invalid_log_entry' });
  });

  test('unreadable certificate or Rekor bundle annotations are malformed', async () => {
    const layer = await signed(DIGEST, IDENTITY);
    const badCertificate = { ...layer.annotations, [COSIGN_CERTIFICATE_ANNOTATION]: 'not a certificate' };
    expect(verify({ ...layer, annotations: badCertificate })).toMatchObject({ ok: false, reason: 'malformed' });
    const badRekor = { ...layer.annotations, [COSIGN_REKOR_BUNDLE_ANNOTATION]: '{"Payload":{}}' };
    expect(verify({ ...layer, annotations: badRekor })).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
