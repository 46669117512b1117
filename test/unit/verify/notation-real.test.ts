/**
 * The Notation verifier against signatures written by the real tool (notation-go test data, see
 * test/fixtures/notation/README.md): the signed image of an OCI layout, and notation-go's mock
 * envelopes. `now` is passed explicitly so the tests do not rot as certificates age.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { createNotationVerifier } from '../../../src/verify/notation.js';
import type { NotationTarget } from '../../../src/verify/notation.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/notation');
const read = (path: string): Buffer => readFileSync(join(FIXTURES, path));
const text = (path: string): string => read(path).toString('utf8');

const JWS = 'application/jose+json';
const NOW = new Date('2026-12-02T00:00:00Z');
const ALPINE_SIGNER = 'x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine';
const MOCK_SIGNER = 'x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=Notation Test Root';
const TEST_ROOT = text('verifier/testdata/truststore/x509/ca/valid-trust-store/NotationTestRoot.pem');
const WABBIT_CA = text('verifier/testdata/truststore/x509/ca/valid-trust-store/wabbit-networks.io.crt');
const ALPINE_LEAF = text('internal/testdata/jws_signature-leaf.pem');
const BROKEN_PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';

/** The signed manifest's descriptor, as the layout's index.json records it. */
function layoutManifest(): NotationTarget {
  const index = JSON.parse(text('internal/testdata/oci-layout/index.json')) as { manifests: NotationTarget[] };
  const { digest, mediaType, size } = index.manifests[0]!;
  return { digest, mediaType, size };
}

/** The descriptor notation-go's mock envelopes are about. */
const MOCK_TARGET: NotationTarget = {
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  digest: 'sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e',
  size: 528,
};

describe('the real JWS signature of the oci-layout image', () => {
  const envelope = read('internal/testdata/jws_signature.sig');
  const target = layoutManifest();

  it('is a descriptor of the manifest blob in the layout', () => {
    expect(target.digest).toBe('sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0');
    const blob = read(`internal/testdata/oci-layout/blobs/sha256/${target.digest.slice(7)}`);
    expect(blob.length).toBe(target.size);
  });

  it('verifies with its own certificate as trust store, naming the signer', () => {
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: ['*'] });
    expect(verifier.verify(envelope, JWS, target, NOW)).toEqual({ ok: true, signer: ALPINE_SIGNER });
  });

  it('verifies with a trusted identity that is a subset of the subject', () => {
    const identity = 'x509.subject: C=US, ST=WA, O=Notary, CN=alpine';
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: [identity] });
    expect(verifier.verify(envelope, JWS, target, NOW)).toEqual({ ok: true, signer: ALPINE_SIGNER });
  });

  it('fails untrusted_chain against another CA, still naming the signer', () => {
    const verifier = createNotationVerifier({ trustStore: [TEST_ROOT, WABBIT_CA], trustedIdentities: ['*'] });
    expect(verifier.verify(envelope, JWS, target, NOW)).toMatchObject({
      ok: false,
      reason: 'untrusted_chain',
      signer: ALPINE_SIGNER,
    });
  });

  it('fails digest_mismatch for another target', () => {
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: ['*'] });
    const other = { ...target, digest: MOCK_TARGET.digest };
    expect(verifier.verify(envelope, JWS, other, NOW)).toMatchObject({ ok: false, reason: 'digest_mismatch' });
  });

  it('is expired once its certificate is (notary.x509, no verified timestamp: checked at verification time)', () => {
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: ['*'] });
    const after = new Date('2123-08-29T13:50:01Z');
    const check = verifier.verify(envelope, JWS, target, after);
    expect(check).toMatchObject({ ok: false, reason: 'expired', signer: ALPINE_SIGNER });
    expect(verifier.verify(envelope, JWS, target, new Date('2123-08-29T13:50:00Z')).ok).toBe(true);
  });

  it('says unsupported_format for the COSE counterpart', () => {
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: ['*'] });
    const cose = read('internal/testdata/cose_signature.sig');
    expect(verifier.verify(cose, 'application/cose', target, NOW)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
    });
  });

  it('says malformed when COSE bytes are labelled as JWS', () => {
    const verifier = createNotationVerifier({ trustStore: [ALPINE_LEAF], trustedIdentities: ['*'] });
    const cose = read('internal/testdata/cose_signature.sig');
    expect(verifier.verify(cose, JWS, target, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe("notation-go's mock envelopes, trusting NotationTestRoot", () => {
  const verifier = createNotationVerifier({ trustStore: [TEST_ROOT], trustedIdentities: ['*'] });
  const verify = (name: string, now = NOW) =>
    verifier.verify(read(`internal/mock/testdata/${name}_sig_env.json`), JWS, MOCK_TARGET, now);

  it.each(['ca_valid', 'sa_valid'])('%s verifies', (name) => {
    expect(verify(name)).toEqual({ ok: true, signer: MOCK_SIGNER });
  });

  it.each(['ca_invalid', 'sa_invalid'])('%s fails bad_signature', (name) => {
    expect(verify(name)).toMatchObject({ ok: false, reason: 'bad_signature', signer: MOCK_SIGNER });
  });

  it.each(['ca_expired', 'sa_expired'])('%s fails expired (its expiry 2022-07-29T23:59:00Z passed)', (name) => {
    expect(verify(name)).toMatchObject({ ok: false, reason: 'expired' });
    expect(verify(name, new Date('2022-07-29T12:00:00Z'))).toEqual({ ok: true, signer: MOCK_SIGNER });
  });

  it('ca_plugin (critical verificationPlugin and vendor headers) is unsupported_format', () => {
    expect(verify('ca_plugin')).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });

  it('sa_valid is checked at its authentic signing time, ca_valid at verification time', () => {
    // The leaf is valid from 2020-10-09; both envelopes say they were signed 2020-11-09. Verified
    // on 2020-10-01, the leaf is not yet valid: notary.x509 (no verified timestamp) checks that
    // time, notary.x509.signingAuthority its authentic signing time.
    const before = new Date('2020-10-01T00:00:00Z');
    expect(verify('sa_valid', before)).toEqual({ ok: true, signer: MOCK_SIGNER });
    expect(verify('ca_valid', before)).toMatchObject({ ok: false, reason: 'expired', signer: MOCK_SIGNER });
  });

  it('a trust store without the root fails untrusted_chain', () => {
    const other = createNotationVerifier({ trustStore: [WABBIT_CA], trustedIdentities: ['*'] });
    const envelope = read('internal/mock/testdata/ca_valid_sig_env.json');
    expect(other.verify(envelope, JWS, MOCK_TARGET, NOW)).toMatchObject({ ok: false, reason: 'untrusted_chain' });
  });

  it('an identity naming another organization fails untrusted_identity', () => {
    const identities = ['x509.subject: C=US, ST=WA, O=Wabbit Networks'];
    const strict = createNotationVerifier({ trustStore: [TEST_ROOT], trustedIdentities: identities });
    const envelope = read('internal/mock/testdata/ca_valid_sig_env.json');
    expect(strict.verify(envelope, JWS, MOCK_TARGET, NOW)).toMatchObject({
      ok: false,
      reason: 'untrusted_identity',
      signer: MOCK_SIGNER,
    });
  });
});

describe('real envelopes with RFC 3161 timestamps (not verified by ocidex)', () => {
  const STORE = 'verifier/testdata/truststore/x509/ca/valid-trust-store';
  const envelopeOf = (name: string) => read(`verifier/testdata/timestamp/sigEnv/${name}.sig`);
  const targetOf = (envelope: Buffer): NotationTarget => {
    const { payload } = JSON.parse(envelope.toString('utf8')) as { payload: string };
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { targetArtifact: NotationTarget })
      .targetArtifact;
  };

  it('jwsWithTimestamp verifies while its certificate is valid (signing time with a +08:00 offset)', () => {
    const envelope = envelopeOf('jwsWithTimestamp');
    const trustStore = [text(`${STORE}/TestTimestamp.crt`)];
    const verifier = createNotationVerifier({ trustStore, trustedIdentities: ['*'] });
    expect(verifier.verify(envelope, JWS, targetOf(envelope), NOW)).toEqual({ ok: true, signer: ALPINE_SIGNER });
  });

  it('jwsExpiredWithTimestamp is expired: its certificate lapsed and the timestamp is not trusted', () => {
    // notation, with the timestamping CA in a `tsa` trust store, verifies this one; ocidex does not
    // verify timestamps, so it checks the certificate at verification time.
    const envelope = envelopeOf('jwsExpiredWithTimestamp');
    const { header } = JSON.parse(envelope.toString('utf8')) as { header: { x5c: string[] } };
    const own = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64')).toString();
    const verifier = createNotationVerifier({ trustStore: [own], trustedIdentities: ['*'] });
    expect(verifier.verify(envelope, JWS, targetOf(envelope), NOW)).toMatchObject({
      ok: false,
      reason: 'expired',
      detail: expect.stringContaining('RFC 3161 timestamps are not verified'),
    });
  });

  it('timestampBeforeNotBefore is expired: its certificate is valid from 2099 only', () => {
    const envelope = envelopeOf('timestampBeforeNotBefore');
    const trustStore = [text(`${STORE}/TestTimestampNotYetValid.crt`)];
    const verifier = createNotationVerifier({ trustStore, trustedIdentities: ['*'] });
    expect(verifier.verify(envelope, JWS, targetOf(envelope), NOW)).toMatchObject({ ok: false, reason: 'expired' });
  });
});

describe('createNotationVerifier input checks', () => {
  it.each([
    ['no PEM', { trustStore: ['not a certificate'], trustedIdentities: ['*'] }],
    ['an empty trust store', { trustStore: [], trustedIdentities: ['*'] }],
    ['a broken PEM body', { trustStore: [BROKEN_PEM], trustedIdentities: ['*'] }],
    ['no identities', { trustStore: [TEST_ROOT], trustedIdentities: [] }],
    ['"*" with others', { trustStore: [TEST_ROOT], trustedIdentities: ['*', 'x509.subject: C=US, ST=WA, O=A'] }],
    ['an identity without ST', { trustStore: [TEST_ROOT], trustedIdentities: ['x509.subject: C=US, O=Acme'] }],
    ['another identity kind', { trustStore: [TEST_ROOT], trustedIdentities: ['email: a@example.com'] }],
    ['a multi-valued RDN', { trustStore: [TEST_ROOT], trustedIdentities: ['x509.subject: C=US+ST=WA, O=Acme'] }],
    ['a repeated attribute', { trustStore: [TEST_ROOT], trustedIdentities: ['x509.subject: C=US, ST=WA, O=A, O=B'] }],
    [
      'overlapping identities',
      {
        trustStore: [TEST_ROOT],
        trustedIdentities: ['x509.subject: C=US, ST=WA, O=A', 'x509.subject: C=US, ST=WA, O=A, OU=B'],
      },
    ],
  ])('throws invalid_argument on %s', (_name, trust) => {
    expect(() => createNotationVerifier(trust)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    try {
      createNotationVerifier(trust);
    } catch (error) {
      expect(isOcidexError(error, 'invalid_argument')).toBe(true);
    }
  });

  it('accepts several certificates in one PEM text', () => {
    const verifier = createNotationVerifier({ trustStore: [`${WABBIT_CA}\n${TEST_ROOT}`], trustedIdentities: ['*'] });
    const envelope = read('internal/mock/testdata/ca_valid_sig_env.json');
    expect(verifier.verify(envelope, JWS, MOCK_TARGET, NOW).ok).toBe(true);
  });
});
