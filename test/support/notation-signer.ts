/**
 * Test support that makes Notation signatures the way notation writes them, so unit tests and the
 * integration tests against a real registry can sign artifacts without the notation binary.
 * Certificates come from @peculiar/x509 on Node's WebCrypto, shaped as the Notary Project
 * certificate requirements ask (signature-specification.md, "Certificate Requirements"): CAs with a
 * critical basicConstraints cA and a critical keyCertSign key usage, leaves with a critical
 * digitalSignature key usage and the code-signing extended key usage. Envelopes (`signJws`) follow
 * notation-core-go signature/jws: protected header and payload are JSON with sorted keys (Go
 * marshals maps sorted), the envelope is `{payload, protected, header: {x5c, signingAgent}, signature}`,
 * times are RFC 3339 whole seconds, PS* use a salt as long as the hash, ES* raw r||s. Options let
 * tests break one rule at a time (another `alg`, extra or missing `crit` entries, extra headers).
 *
 * Usage:
 *   const ca = await createTestCa({ key: 'ec-p256', intermediate: true });
 *   const leaf = await ca.issueLeaf({ subject: 'C=US, ST=WA, O=Acme, CN=model-signer' });
 *   const envelope = signJws({ target: subjectDescriptor, leaf, chain: ca.chain });
 *   createNotationVerifier({ trustStore: [ca.trustStorePem], trustedIdentities: ['*'] })
 */
import 'reflect-metadata'; // tsyringe, under @peculiar/x509, needs the Reflect metadata API
import { constants, KeyObject, sign, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

let library: Promise<typeof X509> | undefined;

/** @peculiar/x509 on Node's WebCrypto, loaded once. */
function loadX509(): Promise<typeof X509> {
  library ??= (async () => {
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);
    return x509;
  })();
  return library;
}

type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Key types a test certificate can have (the Notary Project allows RSA 2048-4096 and EC P-256-521). */
export type TestKeySpec = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'rsa-1024' | 'ec-p256' | 'ec-p384' | 'ec-p521';

/** A certificate with its private key. */
export interface TestCertificate {
  /** DER bytes. */
  der: Uint8Array;
  /** PEM text (one certificate). */
  pem: string;
  /** Subject as given, e.g. `C=US, ST=WA, O=Acme, CN=model-signer`. */
  subject: string;
  key: TestKeySpec;
  /** The private key, for signing envelopes. */
  privateKey: KeyObject;
  /** The WebCrypto key pair, for issuing certificates. */
  keys: CryptoKeyPair;
}

/** Options of one certificate; defaults make a valid Notation certificate valid for a year around now. */
export interface TestCertificateOptions {
  subject?: string;
  key?: TestKeySpec;
  notBefore?: Date;
  notAfter?: Date;
  /**
   * Key usage bits (@peculiar/x509 `KeyUsageFlags`: digitalSignature 1, keyEncipherment 4, keyCertSign 32, ...);
   * default keyCertSign|cRLSign for CAs, digitalSignature for leaves.
   */
  keyUsage?: number;
  /** Whether the key usage extension is critical (default true). */
  keyUsageCritical?: boolean;
  /** Extended key usage OIDs (leaf default: code signing); [] omits the extension. */
  extendedKeyUsage?: string[];
  /** basicConstraints pathLenConstraint of a CA. */
  pathLength?: number;
  /** Issue a leaf with basicConstraints cA=true (an invalid signing certificate). */
  leafIsCa?: boolean;
}

/** A test CA: root, optional intermediate, and what a trust store and an x5c need. */
export interface TestCa {
  root: TestCertificate;
  intermediate?: TestCertificate;
  /** PEM of the root, for `NotationTrust.trustStore`. */
  trustStorePem: string;
  /** The certificates after the leaf in x5c: [intermediate?, root]. */
  chain: TestCertificate[];
  /** Issues a signing certificate from the intermediate (or the root). */
  issueLeaf(options?: TestCertificateOptions): Promise<TestCertificate>;
}

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const DAY_MS = 24 * 60 * 60 * 1000;

function keyAlgorithm(spec: TestKeySpec): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  if (spec.startsWith('rsa')) {
    const modulusLength = Number(spec.slice(4));
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
  return { name: 'ECDSA', namedCurve: `P-${spec.slice(4)}` };
}

function signingAlgorithm(spec: TestKeySpec): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return spec.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
}

async function generateKeys(spec: TestKeySpec): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlgorithm(spec), true, ['sign', 'verify'])) as CryptoKeyPair;
}

function extensionsFor(x509: typeof X509, kind: 'ca' | 'leaf', options: TestCertificateOptions): X509.Extension[] {
  const isCa = kind === 'ca' || options.leafIsCa === true;
  const defaultUsage =
    kind === 'ca' ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature;
  const extensions: X509.Extension[] = [
    new x509.KeyUsagesExtension(options.keyUsage ?? defaultUsage, options.keyUsageCritical ?? true),
  ];
  if (isCa) extensions.push(new x509.BasicConstraintsExtension(true, options.pathLength, true));
  const purposes = options.extendedKeyUsage ?? (kind === 'leaf' ? [CODE_SIGNING] : []);
  if (purposes.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(purposes));
  return extensions;
}

async function issue(
  kind: 'ca' | 'leaf',
  issuer: TestCertificate | undefined,
  options: TestCertificateOptions,
  defaults: { subject: string; key: TestKeySpec },
): Promise<TestCertificate> {
  const key = options.key ?? defaults.key;
  const subject = options.subject ?? defaults.subject;
  const keys = await generateKeys(key);
  const x509 = await loadX509();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    subject,
    issuer: issuer?.subject ?? subject,
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    signingAlgorithm: signingAlgorithm(issuer?.key ?? key),
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
    extensions: extensionsFor(x509, kind, options),
  });
  const der = new Uint8Array(certificate.rawData);
  return { der, pem: certificate.toString('pem'), subject, key, privateKey: KeyObject.from(keys.privateKey), keys };
}

/** A self-signed root CA certificate. */
export function createTestRoot(options: TestCertificateOptions = {}): Promise<TestCertificate> {
  return issue('ca', undefined, options, { subject: 'C=US, ST=WA, O=ocidex tests, CN=Test Root', key: 'rsa-2048' });
}

/** A CA certificate issued by `issuer`. */
export function createTestIntermediate(
  issuer: TestCertificate,
  options: TestCertificateOptions = {},
): Promise<TestCertificate> {
  const defaults = { subject: 'C=US, ST=WA, O=ocidex tests, CN=Test Intermediate', key: issuer.key };
  return issue('ca', issuer, options, defaults);
}

/** A signing (leaf) certificate issued by `issuer`. */
export function createTestLeaf(
  issuer: TestCertificate,
  options: TestCertificateOptions = {},
): Promise<TestCertificate> {
  return issue('leaf', issuer, options, { subject: 'C=US, ST=WA, O=ocidex tests, CN=model-signer', key: issuer.key });
}

/** A self-signed signing certificate (a chain of one, as `notation cert generate-test` makes). */
export function createSelfSignedLeaf(options: TestCertificateOptions = {}): Promise<TestCertificate> {
  return issue('leaf', undefined, options, { subject: 'C=US, ST=WA, O=ocidex tests, CN=self-signed', key: 'rsa-2048' });
}

/** Options of `createTestCa`. */
export interface TestCaOptions {
  /** Key of the CA certificates and, by default, of the leaves (default rsa-2048). */
  key?: TestKeySpec;
  /** Add an intermediate CA between root and leaves. */
  intermediate?: boolean;
  /** Organization and name prefix of the CA subjects (default `ocidex tests`). */
  name?: string;
  /** Validity of the CA certificates (default a day ago to a year ahead). */
  notBefore?: Date;
  notAfter?: Date;
}

/** A root (and, with `intermediate`, an intermediate) CA. */
export async function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const name = options.name ?? 'ocidex tests';
  const { key, notBefore, notAfter } = options;
  const root = await createTestRoot({ key, notBefore, notAfter, subject: `C=US, ST=WA, O=${name}, CN=${name} Root` });
  const intermediate = options.intermediate
    ? await createTestIntermediate(root, {
        notBefore,
        notAfter,
        subject: `C=US, ST=WA, O=${name}, CN=${name} Intermediate`,
      })
    : undefined;
  const issuer = intermediate ?? root;
  return {
    root,
    intermediate,
    trustStorePem: root.pem,
    chain: intermediate ? [intermediate, root] : [root],
    issueLeaf: (leafOptions = {}) => createTestLeaf(issuer, leafOptions),
  };
}

// ---- JWS envelopes ----

/** What a signature is about: the signed manifest's descriptor. */
export interface JwsTarget {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface SignJwsOptions {
  target: JwsTarget;
  /** The signing certificate (x5c[0]). */
  leaf: TestCertificate;
  /** The rest of x5c, leaf's issuer first, ending with the root (`TestCa.chain`). */
  chain?: TestCertificate[];
  /** `alg`; default the one the leaf key requires (RSA 2048 PS256, 3072 PS384, 4096 PS512, EC ES256/384/512). */
  alg?: string;
  scheme?: 'notary.x509' | 'notary.x509.signingAuthority';
  /** Default now. */
  signingTime?: Date;
  expiry?: Date;
  /** Names appended to `crit`. */
  extraCrit?: string[];
  /** Members merged into the protected header last: they may replace `crit`, `cty`, ...; `undefined` removes one. */
  extraProtected?: Record<string, unknown>;
  /** `io.cncf.notary.signingAgent`; default `notation-go/1.3.0`. */
  signingAgent?: string;
}

const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** The alg notation derives from a key. */
export function algorithmFor(leaf: TestCertificate): string {
  const table: Record<string, string> = {
    'rsa-2048': 'PS256',
    'rsa-3072': 'PS384',
    'rsa-4096': 'PS512',
    'ec-p256': 'ES256',
    'ec-p384': 'ES384',
    'ec-p521': 'ES512',
  };
  return table[leaf.key] ?? 'PS256';
}

/** JSON with object keys sorted at every level, as Go encodes maps. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${sortedJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** RFC 3339 in UTC, whole seconds (notation truncates signing and expiry times to seconds). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function protectedHeader(options: SignJwsOptions): Record<string, unknown> {
  const scheme = options.scheme ?? 'notary.x509';
  const time = rfc3339(options.signingTime ?? new Date());
  const crit = ['io.cncf.notary.signingScheme'];
  const header: Record<string, unknown> = {
    alg: options.alg ?? algorithmFor(options.leaf),
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingScheme': scheme,
  };
  if (scheme === 'notary.x509') header['io.cncf.notary.signingTime'] = time;
  else {
    header['io.cncf.notary.authenticSigningTime'] = time;
    crit.push('io.cncf.notary.authenticSigningTime');
  }
  if (options.expiry) {
    header['io.cncf.notary.expiry'] = rfc3339(options.expiry);
    crit.push('io.cncf.notary.expiry');
  }
  header.crit = [...crit, ...(options.extraCrit ?? [])];
  return { ...header, ...options.extraProtected };
}

/** Signs `input` with the leaf key, hashing as `alg` says (ES* raw r||s, PS* salt = hash length). */
function signInput(leaf: TestCertificate, alg: string, input: Buffer): Buffer {
  const hash = (`sha${alg.slice(2)}` in HASH_LENGTH ? `sha${alg.slice(2)}` : 'sha256') as keyof typeof HASH_LENGTH;
  if (leaf.privateKey.asymmetricKeyType === 'ec') {
    return sign(hash, input, { key: leaf.privateKey, dsaEncoding: 'ieee-p1363' });
  }
  const options = { key: leaf.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] };
  return sign(hash, input, options);
}

/** A Notation JWS envelope over `target`, as the bytes of the referrer's layer blob. */
export function signJws(options: SignJwsOptions): Uint8Array {
  const header = protectedHeader(options);
  const encodedProtected = Buffer.from(sortedJson(header)).toString('base64url');
  const encodedPayload = Buffer.from(sortedJson({ targetArtifact: options.target })).toString('base64url');
  const input = Buffer.from(`${encodedProtected}.${encodedPayload}`, 'ascii');
  const signature = signInput(options.leaf, String(header.alg), input);
  const envelope = {
    payload: encodedPayload,
    protected: encodedProtected,
    header: {
      x5c: [options.leaf, ...(options.chain ?? [])].map((cert) => Buffer.from(cert.der).toString('base64')),
      'io.cncf.notary.signingAgent': options.signingAgent ?? 'notation-go/1.3.0',
    },
    signature: signature.toString('base64url'),
  };
  return Buffer.from(JSON.stringify(envelope));
}
