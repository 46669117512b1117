/**
 * One signature's verification from its stored material under one policy (FORMATS.md,
 * "Verifying signatures"): the envelope kind picks the verifier (Sigstore bundle, Notation JWS,
 * cosign simple signing), and the answer is a `Verification` with a stable reason. Pure: the
 * material was fetched by the crawl, the policy read from the index.
 */
import type { SignatureCheck, SignatureMaterial, Verification } from '../domain/trust.js';
import type { PreparedPolicy } from './prepared-policy.js';

const JWS = 'application/jose+json';
const COSE = 'application/cose';
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle';

const base = (mediaType: string): string => (mediaType.split(';')[0] ?? '').trim().toLowerCase();
const failed = (reason: Extract<SignatureCheck, { ok: false }>['reason'], detail: string): SignatureCheck => ({
  ok: false,
  reason,
  detail,
});

/** The check of `material` as a signature of `subject` (a digest) under `policy`. */
export function checkMaterial(material: SignatureMaterial, subject: string, policy: PreparedPolicy): SignatureCheck {
  if (material.subject !== null && material.subject.digest !== subject) {
    return failed('digest_mismatch', `the signature's manifest names subject ${material.subject.digest}`);
  }
  const envelopes = material.envelopes;
  if (envelopes.some((envelope) => envelope.data === null))
    return failed('oversized', 'a signature envelope is larger than ocidex stores');
  const bundle = envelopes.find((envelope) => base(envelope.mediaType).startsWith(BUNDLE_PREFIX));
  if (bundle?.data)
    return policy.sigstoreBundle(decodeJson(bundle.data), subject, material.subjectManifest ?? undefined);
  const jws = envelopes.find((envelope) => base(envelope.mediaType) === JWS);
  if (jws?.data) return policy.notation(Buffer.from(jws.data, 'base64'), JWS, material, subject);
  if (envelopes.some((envelope) => base(envelope.mediaType) === COSE))
    return failed('unsupported_format', 'COSE signature envelopes are not verified');
  const payloads = envelopes.filter((envelope) => base(envelope.mediaType) === SIMPLE_SIGNING);
  if (payloads.length > 0)
    return firstVerified(
      payloads.map((payload) =>
        policy.simpleSigning(Buffer.from(payload.data ?? '', 'base64'), payload.annotations, subject),
      ),
    );
  return failed('unsupported_format', 'no signature envelope ocidex knows (bundle, JWS or simple signing)');
}

/** The first verified check, else the first failure (a `.sig` may hold several signatures). */
function firstVerified(checks: SignatureCheck[]): SignatureCheck {
  return checks.find((check) => check.ok) ?? checks[0] ?? failed('malformed', 'no signature');
}

function decodeJson(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The stored verification of a check under the named policy. */
export function toVerification(check: SignatureCheck, policy: string): Verification {
  if (check.ok) return { status: 'verified', policy, signer: check.signer, reason: null };
  const status = check.reason === 'unsupported_format' ? 'unsupported' : 'failed';
  return { status, policy, signer: check.signer ?? null, reason: check.reason };
}
