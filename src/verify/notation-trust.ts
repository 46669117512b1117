/**
 * The trust material of one Notation trust policy, parsed once (trust-store-trust-policy.md,
 * "Trust Store" and "Trusted Identities Constraints"; notation-go verifier/trustpolicy validation):
 * the trust store's certificates (PEM, several per text) and the trusted identities, either `*`
 * alone or `x509.subject: <DN>` entries that hold C, ST and O and do not overlap. Bad material is
 * the operator's input, so it throws OcidexError('invalid_argument') instead of failing each check.
 */
import { OcidexError } from '../domain/errors.js';
import { CheckFailure } from './check-failure.js';
import { DistinguishedNameError, isSubsetDn, parseRdns, toDnMap } from './distinguished-name.js';
import type { DnMap } from './distinguished-name.js';
import { parseCertificate } from './x509-certificate.js';
import type { Certificate } from './x509-certificate.js';

/** What a Notation verifier trusts (one trust policy's `trustStores` and `trustedIdentities`). */
export interface NotationTrust {
  /** PEM text of the trust store's CA certificates (several certs per text allowed). */
  trustStore: string[];
  /** `x509.subject: C=US, O=Acme, CN=model-signer` entries, or ["*"]. */
  trustedIdentities: string[];
}

/** Parsed trust: anchor certificates, and the identities (`'*'` trusts any signer). */
export interface NotationTrustMaterial {
  anchors: Certificate[];
  identities: '*' | DnMap[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const X509_SUBJECT = 'x509.subject';

function invalid(message: string, cause?: unknown): OcidexError {
  return new OcidexError('invalid_argument', message, {}, { cause });
}

function parsePemText(text: string, index: number): Certificate[] {
  const bodies = [...text.matchAll(PEM_CERTIFICATE)].map((match) => match[1]!.replace(/\s+/g, ''));
  if (bodies.length === 0) throw invalid(`trust store entry ${index} holds no PEM certificate`);
  return bodies.map((body, position) => {
    try {
      return parseCertificate(Buffer.from(body, 'base64'));
    } catch (error) {
      throw invalid(`trust store entry ${index}, certificate ${position}, is not a valid certificate`, error);
    }
  });
}

function parseIdentity(identity: string): DnMap {
  const colon = identity.indexOf(':');
  if (colon < 0 || identity.slice(0, colon).trim() !== X509_SUBJECT) {
    throw invalid(`trusted identity ${JSON.stringify(identity)} must be "*" or start with "${X509_SUBJECT}:"`);
  }
  try {
    return toDnMap(parseRdns(identity.slice(colon + 1), ','));
  } catch (error) {
    const reason = error instanceof DistinguishedNameError ? error.message : String(error);
    throw invalid(`trusted identity ${JSON.stringify(identity)}: ${reason}`, error);
  }
}

function parseIdentities(identities: string[]): NotationTrustMaterial['identities'] {
  if (identities.length === 0) throw invalid('trustedIdentities is empty');
  if (identities.includes('*')) {
    if (identities.length > 1) throw invalid('trusted identity "*" must be the only one');
    return '*';
  }
  const parsed = identities.map(parseIdentity);
  parsed.forEach((dn, i) => {
    parsed.slice(i + 1).forEach((other, offset) => {
      if (isSubsetDn(dn, other) || isSubsetDn(other, dn)) {
        throw invalid(`trusted identities ${i} and ${i + 1 + offset} overlap`);
      }
    });
  });
  return parsed;
}

/** Parses a policy's trust material; throws OcidexError('invalid_argument') when it is unusable. */
export function parseNotationTrust(trust: NotationTrust): NotationTrustMaterial {
  const anchors = trust.trustStore.flatMap(parsePemText);
  if (anchors.length === 0) throw invalid('the trust store holds no certificate');
  return { anchors, identities: parseIdentities(trust.trustedIdentities) };
}

/** Throws `untrusted_identity` unless the leaf's subject matches a trusted identity. */
export function checkTrustedIdentity(leaf: Certificate, identities: NotationTrustMaterial['identities']): void {
  if (identities === '*') return;
  let subject: DnMap;
  try {
    subject = toDnMap(parseRdns(leaf.x509.subject, '\n'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CheckFailure('untrusted_identity', `the signing certificate's subject cannot be matched: ${reason}`);
  }
  if (!identities.some((identity) => isSubsetDn(identity, subject))) {
    throw new CheckFailure('untrusted_identity', "the signing certificate's subject matches no trusted identity");
  }
}
