/**
 * Rekor v2 logs a DSSE envelope as a `hashedrekord` 0.0.2 entry whose digest is sha256 of the DSSE
 * pre-authentication encoding, PAE(payloadType, payload) (rekor-v2 spec §6.1.4, "hashedrekord over
 * DSSE"), where @sigstore/verify 3.1 compares it with sha256(payload) only. cosign v3 signing against
 * Rekor v2 writes such bundles (conformance case rekor2-dsse-happy-path). The PAE commits to the same
 * payload, so accepting its digest for those entries binds the entry to the envelope just as well.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import type { SignedEntity } from '@sigstore/verify';

/** The entity, its digest comparison widened to the PAE digest when a DSSE bundle has a Rekor v2 entry. */
export function withRekorV2DsseDigest(bundle: Bundle, entity: SignedEntity): SignedEntity {
  const hasRekorV2Entry = bundle.verificationMaterial.tlogEntries.some(
    (entry) => entry.kindVersion?.kind === 'hashedrekord' && entry.kindVersion?.version === '0.0.2',
  );
  if (bundle.content.$case !== 'dsseEnvelope' || !hasRekorV2Entry) return entity;
  const { payloadType, payload } = bundle.content.dsseEnvelope;
  const paeDigest = createHash('sha256').update(dsse.preAuthEncoding(payloadType, payload)).digest();
  const content = entity.signature;
  return {
    ...entity,
    signature: {
      signature: content.signature,
      compareSignature: (signature) => content.compareSignature(signature),
      compareDigest: (digest) =>
        content.compareDigest(digest) || (digest.length === paeDigest.length && timingSafeEqual(digest, paeDigest)),
      verifySignature: (key) => content.verifySignature(key),
    },
  };
}
