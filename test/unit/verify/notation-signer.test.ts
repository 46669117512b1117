/**
 * The Notation verifier against signatures made by test/support/notation-signer.ts: one rule broken
 * at a time, each with the reason code the catalog stores. Certificates have fixed validity and
 * every check passes `now`, so nothing depends on the clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNotationVerifier } from '../../../src/verify/notation.js';
import type { NotationTarget, NotationVerifier } from '../../../src/verify/notation.js';
import {
  createSelfSignedLeaf,
  createTestCa,
  createTestIntermediate,
  createTestLeaf,
  createTestRoot,
  signJws,
} from '../../support/notation-signer.js';
import type { SignJwsOptions, TestCa, TestCertificate } from '../../support/notation-signer.js';

const JWS = 'application/jose+json';
const NOW = new Date('2026-12-02T08:00:00Z');
const SIGNED_AT = new Date('2026-11-30T10:00:00Z');
/** A day before NOW. */
const EXPIRED_AT = new Date('2026-12-01T00:00:00Z');
const VALIDITY = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') };
const SUBJECT = 'C=US, ST=WA, L=Seattle, O=Acme, CN=model-signer';
const SIGNER = `x509.subject: ${SUBJECT}`;
const TARGET: NotationTarget = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${'ab'.repeat(32)}`,
  size: 1234,
};

let rsaCa: TestCa;
let ecCa: TestCa;
let otherCa: TestCa;
let rsaLeaf: TestCertificate;
let ecLeaf: TestCertificate;

beforeAll(async () => {
  [rsaCa, ecCa, otherCa] = await Promise.all([
    createTestCa({ key: 'rsa-2048', intermediate: true, name: 'Acme RSA', ...VALIDITY }),
    createTestCa({ key: 'ec-p256', intermediate: true, name: 'Acme EC', ...VALIDITY }),
    createTestCa({ key: 'ec-p256', name: 'Other', ...VALIDITY }),
  ]);
  [rsaLeaf, ecLeaf] = await Promise.all([
    rsaCa.issueLeaf({ subject: SUBJECT, ...VALIDITY }),
    ecCa.issueLeaf({ subject: SUBJECT, ...VALIDITY }),
  ]);
});

function verifierFor(ca: TestCa | string, trustedIdentities = ['*']): NotationVerifier {
  return createNotationVerifier({ trustStore: [typeof ca === 'string' ? ca : ca.trustStorePem], trustedIdentities });
}

/** Signs TARGET with the RSA leaf (or `options`) and verifies with the RSA CA (or `verifier`). */
function check(options: Partial<SignJwsOptions> = {}, verifier = verifierFor(rsaCa), target = TARGET) {
  const envelope = signJws({ target: TARGET, leaf: rsaLeaf, chain: rsaCa.chain, signingTime: SIGNED_AT, ...options });
  return verifier.verify(envelope, JWS, target, NOW);
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const base64Url = (text: string): string => Buffer.from(text).toString('base64url');

/** Rewrites an envelope's JSON (the unprotected parts are not signed). */
function edit(envelope: Uint8Array, change: (json: Record<string, any>) => void): Uint8Array {
  const json = JSON.parse(Buffer.from(envelope).toString('utf8')) as Record<string, any>;
  change(json);
  return Buffer.from(JSON.stringify(json));
}

describe('the test signer', () => {
  /** Member names of an envelope and of its decoded parts, in order. */
  function shape(envelope: Uint8Array) {
    const json = JSON.parse(Buffer.from(envelope).toString('utf8')) as Record<string, any>;
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, any>;
    return {
      envelope: Object.keys(json),
      header: Object.keys(json.header),
      protected: Object.keys(decode(json.protected)),
      payload: Object.keys(decode(json.payload).targetArtifact),
    };
  }

  it('writes envelopes with the members, in the order, notation writes them', () => {
    const real = readFileSync(join(import.meta.dirname, '../../fixtures/notation/internal/testdata/jws_signature.sig'));
    expect(shape(signJws({ target: TARGET, leaf: rsaLeaf }))).toEqual(shape(real));
  });
});

describe('verified signatures', () => {
  it('RSA PS256 through an intermediate', () => {
    expect(check()).toEqual({ ok: true, signer: SIGNER });
  });

  it('EC P-256 ES256 through an intermediate', () => {
    expect(check({ leaf: ecLeaf, chain: ecCa.chain }, verifierFor(ecCa))).toEqual({ ok: true, signer: SIGNER });
  });

  it('the notary.x509.signingAuthority scheme', () => {
    expect(check({ scheme: 'notary.x509.signingAuthority' })).toEqual({ ok: true, signer: SIGNER });
  });

  it('a self-signed signing certificate trusted as itself (a chain of one)', async () => {
    const leaf = await createSelfSignedLeaf({ subject: SUBJECT, ...VALIDITY });
    expect(check({ leaf, chain: [] }, verifierFor(leaf.pem))).toEqual({ ok: true, signer: SIGNER });
  });

  it('a trust store pinning the intermediate instead of the root', () => {
    expect(check({}, verifierFor(rsaCa.intermediate!.pem))).toEqual({ ok: true, signer: SIGNER });
  });

  it('with an expiry still ahead, and annotations in the payload', () => {
    const expiry = new Date('2027-01-01T00:00:00Z');
    const target = { ...TARGET, annotations: { build: '42' } };
    expect(check({ expiry, target })).toEqual({ ok: true, signer: SIGNER });
  });
});

describe('trust', () => {
  it('another CA fails untrusted_chain, naming the signer', () => {
    expect(check({}, verifierFor(otherCa))).toMatchObject({ ok: false, reason: 'untrusted_chain', signer: SIGNER });
  });

  it('an x5c without its root fails untrusted_chain even when the root is trusted', () => {
    expect(check({ chain: [rsaCa.intermediate!] })).toMatchObject({ ok: false, reason: 'untrusted_chain' });
  });

  it('an x5c out of order fails untrusted_chain', () => {
    expect(check({ chain: [rsaCa.root, rsaCa.intermediate!] })).toMatchObject({ ok: false, reason: 'untrusted_chain' });
  });

  it('a leaf chained to another CA, x5c naming the trusted chain, fails untrusted_chain', async () => {
    const stranger = await otherCa.issueLeaf({ subject: SUBJECT, key: 'rsa-2048', ...VALIDITY });
    expect(check({ leaf: stranger })).toMatchObject({ ok: false, reason: 'untrusted_chain' });
  });

  it.each([
    ['a CA certificate as signer', { leafIsCa: true }],
    ['no digitalSignature key usage', { keyUsage: 4 /* keyEncipherment */ }],
    ['digitalSignature plus keyCertSign', { keyUsage: 1 | 32 }],
    ['a non-critical key usage', { keyUsageCritical: false }],
    ['the serverAuth extended key usage', { extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'] }],
  ])('a signing certificate with %s fails untrusted_chain', async (_name, options) => {
    const leaf = await rsaCa.issueLeaf({ subject: SUBJECT, ...VALIDITY, ...options });
    expect(check({ leaf })).toMatchObject({ ok: false, reason: 'untrusted_chain', signer: SIGNER });
  });
});

describe('CA certificates in the chain', () => {
  it('an intermediate below a pathLenConstraint of 0 fails untrusted_chain; one level verifies', async () => {
    const root = await createTestRoot({ subject: 'C=US, ST=WA, O=Path, CN=Root', ...VALIDITY });
    const upperSubject = 'C=US, ST=WA, O=Path, CN=Upper';
    const upper = await createTestIntermediate(root, { subject: upperSubject, pathLength: 0, ...VALIDITY });
    const lower = await createTestIntermediate(upper, { subject: 'C=US, ST=WA, O=Path, CN=Lower', ...VALIDITY });
    const deep = await createTestLeaf(lower, { subject: SUBJECT, ...VALIDITY });
    const shallow = await createTestLeaf(upper, { subject: SUBJECT, ...VALIDITY });
    const verifier = verifierFor(root.pem);
    expect(check({ leaf: deep, chain: [lower, upper, root] }, verifier)).toMatchObject({
      ok: false,
      reason: 'untrusted_chain',
    });
    expect(check({ leaf: shallow, chain: [upper, root] }, verifier)).toEqual({ ok: true, signer: SIGNER });
  });

  it('an intermediate without keyCertSign fails untrusted_chain', async () => {
    const root = await createTestRoot({ subject: 'C=US, ST=WA, O=Usage, CN=Root', ...VALIDITY });
    const subject = 'C=US, ST=WA, O=Usage, CN=Intermediate';
    const keyUsage = 1; // digitalSignature only
    const intermediate = await createTestIntermediate(root, { subject, keyUsage, ...VALIDITY });
    const leaf = await createTestLeaf(intermediate, { subject: SUBJECT, ...VALIDITY });
    expect(check({ leaf, chain: [intermediate, root] }, verifierFor(root.pem))).toMatchObject({
      ok: false,
      reason: 'untrusted_chain',
    });
  });

  it('an expired root fails expired', async () => {
    const notAfter = new Date('2026-06-01T00:00:00Z');
    const root = await createTestRoot({ subject: 'C=US, ST=WA, O=Old, CN=Root', ...VALIDITY, notAfter });
    const leaf = await createTestLeaf(root, { subject: SUBJECT, ...VALIDITY });
    expect(check({ leaf, chain: [root] }, verifierFor(root.pem))).toMatchObject({ ok: false, reason: 'expired' });
  });
});

describe('trusted identities', () => {
  it('no matching x509.subject fails untrusted_identity, naming the signer', () => {
    const identities = ['x509.subject: C=US, ST=WA, O=Wabbit', 'x509.subject: C=US, ST=CA, O=Acme'];
    expect(check({}, verifierFor(rsaCa, identities))).toMatchObject({
      ok: false,
      reason: 'untrusted_identity',
      signer: SIGNER,
    });
  });

  it('a CN that differs fails untrusted_identity', () => {
    const identities = ['x509.subject: C=US, ST=WA, O=Acme, CN=other-signer'];
    expect(check({}, verifierFor(rsaCa, identities))).toMatchObject({ ok: false, reason: 'untrusted_identity' });
  });

  it('one matching identity among several verifies (attributes in any order and spacing)', () => {
    const identities = ['x509.subject: C=US, ST=WA, O=Wabbit', 'x509.subject:CN=model-signer,O=Acme ,ST=WA,C=US'];
    expect(check({}, verifierFor(rsaCa, identities))).toEqual({ ok: true, signer: SIGNER });
  });

  it('escaped commas match the certificate value', async () => {
    const leaf = await rsaCa.issueLeaf({ subject: 'C=US, ST=WA, O=Acme\\, Inc., CN=signer', ...VALIDITY });
    const identities = ['x509.subject: C=US, ST=WA, O=Acme\\, Inc.'];
    expect(check({ leaf }, verifierFor(rsaCa, identities))).toEqual({
      ok: true,
      signer: 'x509.subject: C=US, ST=WA, O=Acme\\, Inc., CN=signer',
    });
  });

  it('a signer without ST cannot match an x509.subject identity', async () => {
    const leaf = await rsaCa.issueLeaf({ subject: 'C=US, O=Acme, CN=signer', ...VALIDITY });
    const identities = ['x509.subject: C=US, ST=WA, O=Acme'];
    expect(check({ leaf }, verifierFor(rsaCa, identities))).toMatchObject({ ok: false, reason: 'untrusted_identity' });
  });
});

describe('integrity', () => {
  it('a payload swapped for another one fails bad_signature (checked before the target)', () => {
    const other = signJws({ target: { ...TARGET, size: 1 }, leaf: rsaLeaf, chain: rsaCa.chain });
    const payload = JSON.parse(Buffer.from(other).toString('utf8')).payload as string;
    const envelope = edit(signJws({ target: TARGET, leaf: rsaLeaf, chain: rsaCa.chain }), (json) => {
      json.payload = payload;
    });
    expect(verifierFor(rsaCa).verify(envelope, JWS, TARGET, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['RSA', () => ({ leaf: rsaLeaf, chain: rsaCa.chain, ca: rsaCa })],
    ['EC', () => ({ leaf: ecLeaf, chain: ecCa.chain, ca: ecCa })],
  ])('a %s signature with one bit flipped fails bad_signature', (_name, pick) => {
    const { leaf, chain, ca } = pick();
    const envelope = edit(signJws({ target: TARGET, leaf, chain, signingTime: SIGNED_AT }), (json) => {
      const signature = Buffer.from(json.signature as string, 'base64url');
      signature[10]! ^= 0x01;
      json.signature = signature.toString('base64url');
    });
    expect(verifierFor(ca).verify(envelope, JWS, TARGET, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('an ES256 signature in DER form instead of raw r||s fails bad_signature', () => {
    const envelope = edit(signJws({ target: TARGET, leaf: ecLeaf, chain: ecCa.chain }), (json) => {
      json.signature = Buffer.concat([Buffer.from([0x30, 0x44]), Buffer.alloc(70)]).toString('base64url');
    });
    expect(verifierFor(ecCa).verify(envelope, JWS, TARGET, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('alg PS384 on an RSA 2048 key fails bad_signature though the PSS signature itself verifies', () => {
    expect(check({ alg: 'PS384' })).toMatchObject({ ok: false, reason: 'bad_signature', signer: SIGNER });
  });

  it('alg PS256 on an EC key fails bad_signature', () => {
    const result = check({ leaf: ecLeaf, chain: ecCa.chain, alg: 'PS256' }, verifierFor(ecCa));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('an alg outside the Notary Project set is unsupported_format', () => {
    expect(check({ alg: 'RS256' })).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });

  it('a signing key the spec does not allow (RSA 1024) is unsupported_format', async () => {
    const leaf = await rsaCa.issueLeaf({ subject: SUBJECT, key: 'rsa-1024', ...VALIDITY });
    expect(check({ leaf })).toMatchObject({ ok: false, reason: 'unsupported_format', signer: SIGNER });
  });
});

describe('critical headers', () => {
  it('an unknown critical header is unsupported_format', () => {
    const options = { extraCrit: ['com.example.policy'], extraProtected: { 'com.example.policy': 'strict' } };
    expect(check(options)).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });

  it('an unknown non-critical header is ignored', () => {
    expect(check({ extraProtected: { 'com.example.note': 'hello' } })).toEqual({ ok: true, signer: SIGNER });
  });

  it.each([
    [
      'an expiry not listed in crit',
      { expiry: new Date('2027-01-01T00:00:00Z'), extraProtected: { crit: ['io.cncf.notary.signingScheme'] } },
    ],
    ['no crit at all', { extraProtected: { crit: undefined } }],
    ['crit without the signing scheme', { extraProtected: { crit: [] } }],
    ['crit naming an absent header', { extraCrit: ['io.cncf.notary.expiry'] }],
    ['crit naming an inherited property name', { extraCrit: ['toString'] }],
    ['crit naming alg', { extraCrit: ['alg'] }],
    [
      'an authentic signing time not listed in crit',
      {
        scheme: 'notary.x509.signingAuthority' as const,
        extraProtected: { crit: ['io.cncf.notary.signingScheme'] },
      },
    ],
    [
      'notary.x509 with an authentic signing time',
      { extraProtected: { 'io.cncf.notary.authenticSigningTime': '2026-11-30T10:00:00Z' } },
    ],
    ['no signing time', { extraProtected: { 'io.cncf.notary.signingTime': undefined } }],
    ['a signing time that is not RFC 3339', { extraProtected: { 'io.cncf.notary.signingTime': '30/11/2026' } }],
    ['an expiry before the signing time', { expiry: new Date('2026-01-01T00:00:00Z') }],
    ['no cty', { extraProtected: { cty: undefined } }],
    ['no alg', { extraProtected: { alg: undefined } }],
  ])('%s is malformed', (_name, options) => {
    expect(check(options as Partial<SignJwsOptions>)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['another payload type', { extraProtected: { cty: 'application/json' } }],
    ['another signing scheme', { extraProtected: { 'io.cncf.notary.signingScheme': 'notary.x509.v2' } }],
  ])('%s is unsupported_format', (_name, options) => {
    expect(check(options)).toMatchObject({ ok: false, reason: 'unsupported_format' });
  });
});

describe('time', () => {
  it('a signature whose expiry has passed is expired', () => {
    const result = check({ expiry: new Date('2026-12-01T00:00:00Z') });
    expect(result).toMatchObject({ ok: false, reason: 'expired', signer: SIGNER });
  });

  it('an expiry equal to now is expired (the artifact is expired at that instant)', () => {
    expect(check({ expiry: NOW })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('a leaf that expired before verification is expired', async () => {
    const leaf = await rsaCa.issueLeaf({ subject: SUBJECT, notBefore: VALIDITY.notBefore, notAfter: EXPIRED_AT });
    expect(check({ leaf })).toMatchObject({ ok: false, reason: 'expired', signer: SIGNER });
  });

  it('a leaf not yet valid is expired', async () => {
    const notBefore = new Date('2026-12-03T00:00:00Z');
    const leaf = await rsaCa.issueLeaf({ subject: SUBJECT, notBefore, notAfter: VALIDITY.notAfter });
    expect(check({ leaf })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('a timestamp countersignature is not verified: an expired leaf stays expired', async () => {
    const leaf = await rsaCa.issueLeaf({ subject: SUBJECT, notBefore: VALIDITY.notBefore, notAfter: EXPIRED_AT });
    const envelope = edit(signJws({ target: TARGET, leaf, chain: rsaCa.chain, signingTime: SIGNED_AT }), (json) => {
      json.header['io.cncf.notary.timestampSignature'] = Buffer.from('not checked').toString('base64');
    });
    const result = verifierFor(rsaCa).verify(envelope, JWS, TARGET, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'expired', detail: expect.stringContaining('RFC 3161') });
  });
});

describe('target', () => {
  it.each([
    ['digest', { digest: `sha256:${'cd'.repeat(32)}` }],
    ['mediaType', { mediaType: 'application/vnd.oci.image.index.v1+json' }],
    ['size', { size: 1235 }],
  ])('another %s fails digest_mismatch', (_field, change) => {
    expect(check({}, verifierFor(rsaCa), { ...TARGET, ...change })).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
      signer: SIGNER,
    });
  });

  it('a targetArtifact without digest and size is malformed', () => {
    const target = { mediaType: TARGET.mediaType } as unknown as NotationTarget;
    expect(check({ target })).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('malformed envelopes never throw', () => {
  const verifier = () => verifierFor(rsaCa);
  const good = () => signJws({ target: TARGET, leaf: rsaLeaf, chain: rsaCa.chain, signingTime: SIGNED_AT });

  it.each([
    ['garbage bytes', () => Buffer.from([0xff, 0x00, 0x13, 0x37])],
    ['empty bytes', () => new Uint8Array()],
    ['a JSON array', () => Buffer.from('[]')],
    ['JSON null', () => Buffer.from('null')],
    ['no header', () => edit(good(), (json) => delete json.header)],
    ['no x5c', () => edit(good(), (json) => delete json.header.x5c)],
    ['an empty x5c', () => edit(good(), (json) => (json.header.x5c = []))],
    ['x5c of numbers', () => edit(good(), (json) => (json.header.x5c = [1, 2]))],
    ['x5c that is not base64', () => edit(good(), (json) => (json.header.x5c[0] = '***'))],
    ['x5c that is not DER', () => edit(good(), (json) => (json.header.x5c[0] = base64('hello')))],
    ['a truncated certificate', () => edit(good(), (json) => (json.header.x5c[0] = json.header.x5c[0].slice(0, 400)))],
    ['eleven certificates', () => edit(good(), (json) => (json.header.x5c = Array(11).fill(json.header.x5c[0])))],
    ['protected that is not base64url', () => edit(good(), (json) => (json.protected = 'a+b/c'))],
    ['protected that is not JSON', () => edit(good(), (json) => (json.protected = base64Url('{')))],
    ['protected that is a JSON string', () => edit(good(), (json) => (json.protected = base64Url('"x"')))],
    ['no payload', () => edit(good(), (json) => delete json.payload)],
    ['an empty signature', () => edit(good(), (json) => (json.signature = ''))],
    ['a signature that is not base64url', () => edit(good(), (json) => (json.signature = '!!'))],
  ])('%s is malformed', (_name, make) => {
    expect(verifier().verify(make(), JWS, TARGET, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('an envelope over 1 MiB is oversized', () => {
    const envelope = edit(good(), (json) => (json.header.padding = 'x'.repeat(1024 * 1024)));
    expect(verifier().verify(envelope, JWS, TARGET, NOW)).toMatchObject({ ok: false, reason: 'oversized' });
  });

  it('an unknown envelope media type is unsupported_format', () => {
    expect(verifier().verify(good(), 'application/octet-stream', TARGET, NOW)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
    });
  });
});
