/**
 * What a trust policy shows to readers (`GET /v1/trust-policies`): names, scopes and identities
 * as configured, keys as `key:sha256:<hex of the SPKI DER>` (the form `signers[]` uses), CA
 * certificates by subject and fingerprint, the trusted root by what it holds. No file paths.
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { TrustPolicy } from '../domain/trust.js';

export interface TrustPolicySummary {
  name: string;
  scope: string[];
  sigstore: {
    identities: Array<{ issuer: string; subject?: string; subjectRegExp?: string }>;
    publicKeys: string[];
    trustedRoot: { certificateAuthorities: number; tlogs: number; timestampAuthorities: number } | null;
  } | null;
  notation: { trustedIdentities: string[]; trustStore: Array<{ subject: string; sha256: string }> } | null;
}

/** `key:sha256:<hex>` of a PEM public key, or `key:invalid`. */
export function keyId(pem: string): string {
  try {
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return `key:sha256:${createHash('sha256').update(der).digest('hex')}`;
  } catch {
    return 'key:invalid';
  }
}

function certificates(pem: string): Array<{ subject: string; sha256: string }> {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const certificate = new X509Certificate(block);
    return { subject: certificate.subject.split('\n').join(', '), sha256: certificate.fingerprint256 };
  });
}

const count = (root: unknown, key: string): number => {
  const value = typeof root === 'object' && root !== null ? (root as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value.length : 0;
};

/** The shown form of a policy. */
export function summarizePolicy(policy: TrustPolicy): TrustPolicySummary {
  const { sigstore, notation } = policy;
  return {
    name: policy.name,
    scope: policy.scope,
    sigstore:
      sigstore === null
        ? null
        : {
            identities: sigstore.identities,
            publicKeys: sigstore.publicKeys.map(keyId),
            trustedRoot:
              sigstore.trustedRoot === null
                ? null
                : {
                    certificateAuthorities: count(sigstore.trustedRoot, 'certificateAuthorities'),
                    tlogs: count(sigstore.trustedRoot, 'tlogs'),
                    timestampAuthorities: count(sigstore.trustedRoot, 'timestampAuthorities'),
                  },
          },
    notation:
      notation === null
        ? null
        : {
            trustedIdentities: notation.trustedIdentities,
            trustStore: notation.trustStore.flatMap(certificates),
          },
  };
}
