/**
 * Keyless identity policy: a Fulcio certificate names who signed (its SAN: a workflow URL or an
 * e-mail) and which OIDC issuer vouched for it. ocidex checks both itself, after @sigstore/verify
 * has proved the certificate and signature, so a wrong identity still reports who signed.
 */
import { OcidexError } from '../domain/errors.js';
import type { SignatureCheck } from '../domain/trust.js';
import { failed } from './sigstore-reasons.js';
import type { SigstoreIdentity } from './sigstore-types.js';

/** An identity with its SAN matcher built once. */
export interface IdentityMatcher {
  issuer: string;
  description: string;
  matches(san: string): boolean;
}

/** Compiles the policy's identities; throws `invalid_argument` on a missing field or a bad regexp. */
export function compileIdentities(identities: readonly SigstoreIdentity[]): IdentityMatcher[] {
  return identities.map((identity, index) => {
    const where = `identities[${index}]`;
    if (typeof identity?.issuer !== 'string' || identity.issuer === '') {
      throw new OcidexError('invalid_argument', `${where}.issuer must be a non-empty string`);
    }
    const { subject, subjectRegExp } = identity;
    if ((subject === undefined) === (subjectRegExp === undefined)) {
      throw new OcidexError('invalid_argument', `${where} needs exactly one of subject and subjectRegExp`);
    }
    if (subject !== undefined) {
      if (typeof subject !== 'string' || subject === '') {
        throw new OcidexError('invalid_argument', `${where}.subject must be a non-empty string`);
      }
      return { issuer: identity.issuer, description: subject, matches: (san) => san === subject };
    }
    const pattern = compileRegExp(subjectRegExp, where);
    return { issuer: identity.issuer, description: `/${subjectRegExp}/`, matches: (san) => pattern.test(san) };
  });
}

function compileRegExp(source: unknown, where: string): RegExp {
  if (typeof source !== 'string' || source === '') {
    throw new OcidexError('invalid_argument', `${where}.subjectRegExp must be a non-empty string`);
  }
  try {
    // A search, as cosign's --certificate-identity-regexp (Go's MatchString): `^…$` pins it.
    return new RegExp(source);
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `${where}.subjectRegExp is not a valid regular expression`,
      {},
      {
        cause: error,
      },
    );
  }
}

/**
 * Checks a verified certificate's SAN and issuer against the policy: the SAN must match an
 * identity and that identity's issuer must be the certificate's. The SAN is the signer either way.
 */
export function checkIdentity(
  matchers: readonly IdentityMatcher[],
  san: string | undefined,
  issuer: string | undefined,
): SignatureCheck {
  if (!san) return failed('untrusted_identity', 'the certificate names no subject alternative name', null);
  const bySubject = matchers.filter((matcher) => matcher.matches(san));
  if (bySubject.length === 0) {
    return failed('untrusted_identity', `certificate identity ${san} matches no trusted identity`, san);
  }
  if (!bySubject.some((matcher) => matcher.issuer === issuer)) {
    return failed('untrusted_issuer', `certificate issuer ${issuer ?? '(none)'} is not trusted for ${san}`, san);
  }
  return { ok: true, signer: san };
}
