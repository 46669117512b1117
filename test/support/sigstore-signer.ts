/**
 * A test Sigstore instance, entirely offline: a Fulcio-like CA (root + intermediate), a Rekor-like
 * log key with a real RFC 6962 Merkle tree, signed checkpoints and SETs, a CT log key that embeds
 * SCTs, and the matching TrustedRoot JSON. It signs the way cosign v3 / sigstore-js / cosign 2 do:
 * v0.3 DSSE bundles, message-signature bundles and tag-based `.sig` simple-signing layers, keyless
 * or with a key pair. Unit tests and the integration tests against a real registry both use it.
 *
 * ```ts
 * const sigstore = await createTestSigstore();
 * const identity = { san: 'https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main',
 *   issuer: 'https://token.actions.githubusercontent.com' };
 * const bundle = await sigstore.signDsseBundle({ subjectDigest: 'sha256:…', identity });
 * const key = generateKeyPair();
 * const keyBundle = await sigstore.signDsseBundle({ subjectDigest: 'sha256:…', identity: key });
 * const sig = await sigstore.signSimpleSigning({ subjectDigest, dockerReference: 'localhost:5000/m', identity: key });
 * const verifier = createSigstoreVerifier(sigstore.trustFor({ identities: [identity], keys: [key] }));
 * verifier.verifyBundle(bundle, { digest: 'sha256:…' }); // { ok: true, signer: identity.san }
 * verifier.verifySimpleSigning(sig.payload, sig.annotations, { digest: 'sha256:…' });
 * // { ok: true, signer: key.signer }
 * ```
 */
// @peculiar/x509 (through tsyringe) needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { createHash, generateKeyPairSync, KeyObject, sign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { json as canonicalJson, X509Certificate as SigstoreCertificate } from '@sigstore/core';
import {
  COSIGN_CERTIFICATE_ANNOTATION,
  COSIGN_CHAIN_ANNOTATION,
  COSIGN_REKOR_BUNDLE_ANNOTATION,
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIGNATURE_TYPE,
} from '../../src/verify/cosign-annotations.js';
import type { SigstoreTrust } from '../../src/verify/sigstore-types.js';

/** A Fulcio identity: the certificate SAN (URI, or e-mail when it has an `@` and no scheme) and OIDC issuer. */
export interface KeylessIdentity {
  san: string;
  issuer: string;
}

/** An ECDSA P-256 key pair as cosign `generate-key-pair` makes, with the names ocidex reports. */
export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** `key:sha256:<hex of the SPKI DER>`, the signer ocidex reports for this key. */
  signer: string;
  /** base64 sha256 of the SPKI DER: the bundle `publicKey.hint` cosign writes. */
  hint: string;
}

/**
 * Who signs: a keyless identity (a fresh Fulcio-like leaf certificate is issued per signature) or a
 * key pair (ECDSA and RSA sign over SHA-256, Ed25519 over the message, as cosign does).
 */
export type SignerIdentity = KeylessIdentity | Pick<TestKeyPair, 'privateKey' | 'publicKey'>;

/** Options every signing call takes. */
export interface SignOptions {
  identity: SignerIdentity;
  /** When the log entered the signature (SET integratedTime). Default: now. */
  integratedTime?: Date;
  /** Keyless leaf validity; default 10 minutes from one minute before integratedTime, as Fulcio. */
  certificateValidity?: { notBefore: Date; notAfter: Date };
  /** Which log evidence to embed. Default both: a SET and an inclusion proof with a signed checkpoint. */
  tlog?: { promise?: boolean; proof?: boolean };
  /**
   * Bundle format version (bundles only). Default '0.3' (`application/vnd.dev.sigstore.bundle.v0.3+json`,
   * a single `certificate`); '0.1' and '0.2' use the `+json;version=` media type and an `x509CertificateChain`.
   */
  bundleVersion?: '0.1' | '0.2' | '0.3';
}

/** A v0.3 DSSE bundle over an in-toto statement naming `subjectDigest`. */
export interface DsseBundleOptions extends SignOptions {
  /** `sha256:<hex>` of the signed manifest. */
  subjectDigest: string;
  predicateType?: string;
  predicate?: unknown;
}

/** A cosign `.sig` over `subjectDigest` (the payload's docker-manifest-digest). */
export interface SimpleSigningOptions extends SignOptions {
  subjectDigest: string;
  dockerReference: string;
}

/** A `.sig` layer as cosign writes it: the payload blob and the layer annotations. */
export interface SimpleSigningLayer {
  payload: Uint8Array;
  annotations: Record<string, string>;
}

/** One offline Sigstore instance; `trustedRoot` is what an operator would give ocidex. */
export interface TestSigstore {
  /** TrustedRoot protobuf JSON (certificateAuthorities, tlogs, ctlogs with validity windows). */
  trustedRoot: Record<string, unknown>;
  /** PEM of the CA root and intermediate (as cosign's `dev.sigstore.cosign/chain`). */
  chainPem: string;
  /** The policy trust that accepts these identities (exact SAN) and keys, with this instance's root. */
  trustFor(signers: { identities?: KeylessIdentity[]; keys?: Array<Pick<TestKeyPair, 'publicKeyPem'>> }): SigstoreTrust;
  signDsseBundle(options: DsseBundleOptions): Promise<Record<string, unknown>>;
  signMessageBundle(options: SignOptions & { artifact: Uint8Array }): Promise<Record<string, unknown>>;
  signSimpleSigning(options: SimpleSigningOptions): Promise<SimpleSigningLayer>;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
const FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A fresh ECDSA P-256 key pair (PEM public key, as `cosign generate-key-pair`). */
export function generateKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const digest = sha256(spki(publicKey));
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signer: `key:sha256:${digest.toString('hex')}`,
    hint: digest.toString('base64'),
  };
}

/** Creates the CA, the transparency and CT log keys, and the trusted root, valid from a day before `now`. */
export async function createTestSigstore(options: { name?: string; now?: Date } = {}): Promise<TestSigstore> {
  const name = options.name ?? 'ocidex-test';
  const start = new Date((options.now ?? new Date()).getTime() - DAY_MS);
  const ca = await createCertificateAuthority(name, start);
  const log = new TestLog(`rekor.${name}.invalid`);
  const ctlog = generateKeyPair();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logInstance(`https://${log.host}`, log.key.publicKey, start)],
    certificateAuthorities: [
      {
        subject: { organization: name, commonName: `${name}-fulcio` },
        uri: `https://fulcio.${name}.invalid`,
        certChain: { certificates: [ca.intermediate, ca.root].map((cert) => ({ rawBytes: b64(cert.rawData) })) },
        validFor: { start: start.toISOString() },
      },
    ],
    ctlogs: [logInstance(`https://ctfe.${name}.invalid`, ctlog.publicKey, start)],
    timestampAuthorities: [],
  };
  const signing = new SigningContext(ca, log, ctlog);
  return {
    trustedRoot,
    chainPem: [ca.intermediate, ca.root].map((cert) => cert.toString('pem')).join('\n'),
    trustFor: ({ identities = [], keys = [] }) => ({
      trustedRoot,
      identities: identities.map(({ san, issuer }) => ({ subject: san, issuer })),
      publicKeys: keys.map((key) => key.publicKeyPem),
    }),
    signDsseBundle: (dsse) => signing.dsseBundle(dsse),
    signMessageBundle: (message) => signing.messageBundle(message),
    signSimpleSigning: (simple) => signing.simpleSigning(simple, [ca.intermediate, ca.root]),
  };
}

interface CertificateAuthority {
  root: x509.X509Certificate;
  intermediate: x509.X509Certificate;
  intermediateKey: CryptoKeyPair;
}

async function createCertificateAuthority(name: string, start: Date): Promise<CertificateAuthority> {
  const notAfter = new Date(start.getTime() + 3650 * DAY_MS);
  const rootKey = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `O=${name}, CN=${name}-root`,
    notBefore: start,
    notAfter,
    keys: rootKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKey.publicKey),
    ],
  });
  const intermediateKey = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `O=${name}, CN=${name}-intermediate`,
    issuer: root.subject,
    notBefore: start,
    notAfter,
    publicKey: intermediateKey.publicKey,
    signingKey: rootKey.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKey.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKey.publicKey),
    ],
  });
  return { root, intermediate, intermediateKey };
}

function logInstance(baseUrl: string, publicKey: KeyObject, start: Date): Record<string, unknown> {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: b64(spki(publicKey)),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start: start.toISOString() },
    },
    logId: { keyId: b64(sha256(spki(publicKey))) },
  };
}

/** A Rekor-like log: entries in an RFC 6962 Merkle tree, SETs and checkpoints signed by its key. */
class TestLog {
  readonly key = generateKeyPair();
  readonly logId = sha256(spki(this.key.publicKey));
  private readonly leaves: Buffer[] = [];

  constructor(readonly host: string) {}

  /** Appends a canonicalized entry body and returns its bundle `tlogEntries[]` JSON. */
  append(kind: string, body: unknown, integratedTime: Date, evidence: SignOptions['tlog'] = {}): TLogEntryJson {
    const canonicalized = Buffer.from(canonicalJson.canonicalize(body), 'utf8');
    const logIndex = this.leaves.length;
    this.leaves.push(sha256(Buffer.from([0]), canonicalized));
    const time = Math.floor(integratedTime.getTime() / 1000);
    const entry: TLogEntryJson = {
      logIndex: String(logIndex),
      logId: { keyId: b64(this.logId) },
      kindVersion: { kind, version: '0.0.1' },
      integratedTime: String(time),
      canonicalizedBody: b64(canonicalized),
    };
    if (evidence.promise !== false) {
      entry.inclusionPromise = { signedEntryTimestamp: b64(this.signedEntryTimestamp(canonicalized, time, logIndex)) };
    }
    if (evidence.proof !== false) entry.inclusionProof = this.inclusionProof(logIndex);
    return entry;
  }

  /** The SET: the log's signature over the canonical {body, integratedTime, logIndex, logID}. */
  signedEntryTimestamp(body: Buffer, integratedTime: number, logIndex: number): Buffer {
    const payload = { body: b64(body), integratedTime, logIndex, logID: this.logId.toString('hex') };
    return sign('sha256', Buffer.from(canonicalJson.canonicalize(payload), 'utf8'), this.key.privateKey);
  }

  private inclusionProof(logIndex: number): Record<string, unknown> {
    const treeSize = this.leaves.length;
    const rootHash = treeHash(this.leaves);
    const note = `${this.host} - 1\n${treeSize}\n${b64(rootHash)}\n`;
    const noteSignature = sign('sha256', Buffer.from(note), this.key.privateKey);
    const signature = Buffer.concat([this.logId.subarray(0, 4), noteSignature]);
    return {
      logIndex: String(logIndex),
      rootHash: b64(rootHash),
      treeSize: String(treeSize),
      hashes: inclusionPath(logIndex, this.leaves).map(b64),
      checkpoint: { envelope: `${note}\n\u2014 ${this.host} ${b64(signature)}\n` },
    };
  }
}

/** A bundle `verificationMaterial.tlogEntries[]` item, as JSON. */
interface TLogEntryJson {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime: string;
  canonicalizedBody: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: Record<string, unknown>;
}

/** RFC 6962 §2.1 Merkle tree hash over leaf hashes. */
function treeHash(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0] as Buffer;
  const split = largestPowerOfTwoBelow(leaves.length);
  return sha256(Buffer.from([1]), treeHash(leaves.slice(0, split)), treeHash(leaves.slice(split)));
}

/** RFC 6962 §2.1.1 audit path of leaf `index`, lowest level first. */
function inclusionPath(index: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return [];
  const split = largestPowerOfTwoBelow(leaves.length);
  return index < split
    ? [...inclusionPath(index, leaves.slice(0, split)), treeHash(leaves.slice(split))]
    : [...inclusionPath(index - split, leaves.slice(split)), treeHash(leaves.slice(0, split))];
}

function largestPowerOfTwoBelow(n: number): number {
  let power = 1;
  while (power * 2 < n) power *= 2;
  return power;
}

interface Signed {
  signature: Buffer;
  /** The verifier material as the log stores it: PEM of the certificate or public key. */
  verifierPem: string;
  /** Key-pair signing: the bundle's `publicKey` hint material (keyless bundles name the certificate). */
  bundleMaterial?: Record<string, unknown>;
  certificate?: x509.X509Certificate;
}

/** Issues leaf certificates and signs content, logging each signature. */
class SigningContext {
  private serial = 16;

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly log: TestLog,
    private readonly ctlog: TestKeyPair,
  ) {}

  async dsseBundle(options: DsseBundleOptions): Promise<Record<string, unknown>> {
    const [algorithm, hex] = options.subjectDigest.split(':');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'manifest', digest: { [algorithm ?? 'sha256']: hex } }],
      predicateType: options.predicateType ?? 'https://sigstore.dev/cosign/sign/v1',
      predicate: options.predicate ?? {},
    };
    const payload = Buffer.from(JSON.stringify(statement));
    const pae = Buffer.from(`DSSEv1 ${INTOTO_PAYLOAD_TYPE.length} ${INTOTO_PAYLOAD_TYPE} ${payload.length} `);
    const signed = await this.sign(Buffer.concat([pae, payload]), options);
    const envelope = {
      payload: b64(payload),
      payloadType: INTOTO_PAYLOAD_TYPE,
      signatures: [{ sig: b64(signed.signature), keyid: '' }],
    };
    const body = {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(JSON.stringify(envelope))).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
        signatures: [{ signature: b64(signed.signature), verifier: b64(Buffer.from(signed.verifierPem)) }],
      },
    };
    return this.bundle(signed, 'dsse', body, options, { dsseEnvelope: envelope });
  }

  async messageBundle(options: SignOptions & { artifact: Uint8Array }): Promise<Record<string, unknown>> {
    const signed = await this.sign(Buffer.from(options.artifact), options);
    const digest = sha256(Buffer.from(options.artifact));
    const messageSignature = {
      messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) },
      signature: b64(signed.signature),
    };
    return this.bundle(signed, 'hashedrekord', hashedRekord(digest, signed), options, { messageSignature });
  }

  async simpleSigning(options: SimpleSigningOptions, chain: x509.X509Certificate[]): Promise<SimpleSigningLayer> {
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': options.dockerReference },
          image: { 'docker-manifest-digest': options.subjectDigest },
          type: COSIGN_SIGNATURE_TYPE,
        },
        optional: null,
      }),
    );
    const signed = await this.sign(payload, options);
    const annotations: Record<string, string> = { [COSIGN_SIGNATURE_ANNOTATION]: b64(signed.signature) };
    if (signed.certificate) {
      const time = options.integratedTime ?? new Date();
      const entry = this.log.append('hashedrekord', hashedRekord(sha256(payload), signed), time, { proof: false });
      const rekorBundle = {
        SignedEntryTimestamp: entry.inclusionPromise?.signedEntryTimestamp,
        Payload: {
          body: entry.canonicalizedBody,
          integratedTime: Number(entry.integratedTime),
          logIndex: Number(entry.logIndex),
          logID: this.log.logId.toString('hex'),
        },
      };
      annotations[COSIGN_CERTIFICATE_ANNOTATION] = signed.verifierPem;
      annotations[COSIGN_CHAIN_ANNOTATION] = chain.map((cert) => cert.toString('pem')).join('\n');
      annotations[COSIGN_REKOR_BUNDLE_ANNOTATION] = JSON.stringify(rekorBundle);
    }
    return { payload, annotations };
  }

  private bundle(
    signed: Signed,
    kind: string,
    body: unknown,
    options: SignOptions,
    content: Record<string, unknown>,
  ): Record<string, unknown> {
    const entry = this.log.append(kind, body, options.integratedTime ?? new Date(), options.tlog);
    const version = options.bundleVersion ?? '0.3';
    const legacy = version !== '0.3';
    const certificate = signed.certificate && { rawBytes: b64(signed.certificate.rawData) };
    const keyMaterial = !certificate
      ? signed.bundleMaterial
      : legacy
        ? { x509CertificateChain: { certificates: [certificate] } }
        : { certificate };
    return {
      mediaType: legacy
        ? `application/vnd.dev.sigstore.bundle+json;version=${version}`
        : 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        ...keyMaterial,
        tlogEntries: [entry],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      ...content,
    };
  }

  private async sign(data: Buffer, options: SignOptions): Promise<Signed> {
    if ('privateKey' in options.identity) {
      const { privateKey, publicKey } = options.identity;
      return {
        signature: sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, privateKey),
        verifierPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        bundleMaterial: { publicKey: { hint: b64(sha256(spki(publicKey))) } },
      };
    }
    const leafKeys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
    const certificate = await this.issue(options.identity, leafKeys.publicKey, options);
    return {
      signature: sign('sha256', data, KeyObject.from(leafKeys.privateKey)),
      verifierPem: certificate.toString('pem'),
      certificate,
    };
  }

  /** A Fulcio-shaped leaf: SAN, issuer extensions (v1 raw, v2 DER), code signing, and an embedded SCT. */
  private async issue(
    identity: KeylessIdentity,
    publicKey: CryptoKey,
    options: SignOptions,
  ): Promise<x509.X509Certificate> {
    const signedAt = options.integratedTime ?? new Date();
    const notBefore = options.certificateValidity?.notBefore ?? new Date(signedAt.getTime() - 60_000);
    const notAfter = options.certificateValidity?.notAfter ?? new Date(notBefore.getTime() + 10 * 60_000);
    const san =
      identity.san.includes('@') && !identity.san.includes('://')
        ? { type: 'email' as const, value: identity.san }
        : { type: 'url' as const, value: identity.san };
    const extensions = [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([CODE_SIGNING]),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(this.ca.intermediateKey.publicKey),
      new x509.SubjectAlternativeNameExtension([san], true),
      new x509.Extension(FULCIO_ISSUER_V1, false, Buffer.from(identity.issuer)),
      new x509.Extension(FULCIO_ISSUER_V2, false, der(0x0c, Buffer.from(identity.issuer))),
    ];
    const params = {
      serialNumber: (this.serial++).toString(16).padStart(2, '0'),
      subject: '',
      issuer: this.ca.intermediate.subject,
      notBefore,
      notAfter,
      publicKey,
      signingKey: this.ca.intermediateKey.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
    };
    const precertificate = await x509.X509CertificateGenerator.create({ ...params, extensions });
    const sct = this.signedCertificateTimestamp(precertificate, notBefore);
    const sctExtension = new x509.Extension(SCT_LIST, false, sct);
    return x509.X509CertificateGenerator.create({ ...params, extensions: [...extensions, sctExtension] });
  }

  /** RFC 6962 §3.2 SCT over the certificate's TBS without the SCT extension, as a DER OCTET STRING of the list. */
  private signedCertificateTimestamp(precertificate: x509.X509Certificate, at: Date): Buffer {
    const tbs = SigstoreCertificate.parse(Buffer.from(precertificate.rawData)).tbsCertificate.toDER();
    const issuerKeyHash = sha256(Buffer.from(this.ca.intermediate.publicKey.rawData));
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(BigInt(at.getTime()));
    const signed = Buffer.concat([
      Buffer.from([0, 0]),
      timestamp,
      uint(1, 2),
      issuerKeyHash,
      uint(tbs.length, 3),
      tbs,
      uint(0, 2),
    ]);
    const signature = sign('sha256', signed, this.ctlog.privateKey);
    const logId = sha256(spki(this.ctlog.publicKey));
    // version v1, log id, timestamp, no extensions, sha256 + ecdsa, signature
    const sct = Buffer.concat([
      Buffer.from([0]),
      logId,
      timestamp,
      uint(0, 2),
      Buffer.from([4, 3]),
      uint(signature.length, 2),
      signature,
    ]);
    const list = Buffer.concat([uint(sct.length + 2, 2), uint(sct.length, 2), sct]);
    return der(0x04, list);
  }
}

function hashedRekord(digest: Buffer, signed: Signed): unknown {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
      signature: { content: b64(signed.signature), publicKey: { content: b64(Buffer.from(signed.verifierPem)) } },
    },
  };
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function b64(bytes: ArrayBuffer | Buffer | Uint8Array): string {
  return Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('base64');
}

/** Big-endian unsigned integer of `bytes` length (TLS encoding). */
function uint(value: number, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUIntBE(value, 0, bytes);
  return buffer;
}

/** A DER TLV with a definite length. */
function der(tag: number, value: Buffer): Buffer {
  const length =
    value.length < 128 ? Buffer.from([value.length]) : Buffer.concat([Buffer.from([0x82]), uint(value.length, 2)]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
