/**
 * Bundle rules @sigstore/bundle 4 and @sigstore/verify 3.1 do not enforce, found by the Sigstore
 * conformance suite (test/fixtures/sigstore-conformance): a chain that ships its own root (trust must
 * come from the operator's root only), and an inclusion proof without the checkpoint it is checked against.
 */
import { X509Certificate } from '@sigstore/core';
import type { Bundle } from '@sigstore/bundle';
import type { SignatureCheck } from '../domain/trust.js';
import { failed } from './sigstore-reasons.js';

/** Checks the extra rules; `null` means the bundle keeps them. */
export function checkBundleRules(bundle: Bundle): SignatureCheck | null {
  const content = bundle.verificationMaterial.content;
  if (content.$case === 'x509CertificateChain') {
    const hasRoot = content.x509CertificateChain.certificates.some((certificate) => {
      const parsed = X509Certificate.parse(Buffer.from(certificate.rawBytes));
      return parsed.isCA && parsed.subject.equals(parsed.issuer);
    });
    if (hasRoot) return failed('untrusted_chain', 'the bundle certificate chain contains a root certificate');
  }
  const index = bundle.verificationMaterial.tlogEntries.findIndex(
    (entry) => entry.inclusionProof !== undefined && entry.inclusionProof.checkpoint === undefined,
  );
  if (index >= 0) return failed('malformed', `tlogEntries[${index}] has an inclusion proof without a checkpoint`);
  return null;
}
