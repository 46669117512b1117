/**
 * Runs @sigstore/verify over a signed entity (a bundle, or a cosign `.sig` made to look like one)
 * with the policy's trust: a certificate against the trusted root then the identity policy, a key
 * hint against the policy's keys. The one place that turns the library's throws into checks.
 */
import { Verifier, type SignedEntity, type TrustMaterial, type VerifierOptions } from '@sigstore/verify';
import type { SignatureCheck } from '../domain/trust.js';
import { checkIdentity } from './sigstore-identity.js';
import { keysForHint, type TrustedKey } from './sigstore-keys.js';
import { checkFromError, failed } from './sigstore-reasons.js';
import type { SigstoreTrustMaterial } from './sigstore-trust.js';

/** Verifies an entity signed by a certificate, then checks its identity against the policy. */
export function verifyCertificateEntity(material: SigstoreTrustMaterial, entity: SignedEntity): SignatureCheck {
  if (material.root === null || material.root.certificateAuthorities.length === 0) {
    return failed('no_trust_material', 'the policy has no trusted root with certificate authorities');
  }
  if (material.identities.length === 0) return failed('no_trust_material', 'the policy trusts no keyless identity');
  const options: VerifierOptions = { ctlogThreshold: material.requireSct ? 1 : 0 };
  try {
    const { identity } = new Verifier(material.root, options).verify(entity);
    return checkIdentity(material.identities, identity?.subjectAlternativeName, identity?.extensions?.issuer);
  } catch (error) {
    return checkFromError(error);
  }
}

/**
 * Verifies an entity signed by a key: the key its hint names first, then every other trusted key
 * (hints are optional and free-form). Without a trusted root only the signature is checked, as
 * `cosign verify --key --insecure-ignore-tlog` does: transparency evidence cannot be checked offline.
 */
export function verifyKeyEntity(material: SigstoreTrustMaterial, entity: SignedEntity, hint: string): SignatureCheck {
  if (material.keys.length === 0) return failed('no_trust_material', 'the policy holds no public keys');
  const { named, others } = keysForHint(material.keys, hint);
  const checked = material.root === null ? withoutTransparency(entity) : entity;
  const errors: unknown[] = [];
  for (const key of [...named, ...others]) {
    try {
      new Verifier(keyMaterial(material.root, key), keyOptions(material.root)).verify(checked);
      return { ok: true, signer: key.signer };
    } catch (error) {
      errors.push(error);
    }
  }
  if (named.length > 0) return checkFromError(errors[0]);
  const other = errors.find((error) => (error as { code?: unknown }).code !== 'SIGNATURE_ERROR');
  return other === undefined
    ? failed('untrusted_key', 'the signature verifies with no public key the policy holds')
    : checkFromError(other);
}

const NO_AUTHORITIES: Omit<TrustMaterial, 'publicKey'> = {
  certificateAuthorities: [],
  timestampAuthorities: [],
  tlogs: [],
  ctlogs: [],
};

function keyMaterial(root: TrustMaterial | null, key: TrustedKey): TrustMaterial {
  return { ...(root ?? NO_AUTHORITIES), publicKey: () => ({ publicKey: key.key, validFor: () => true }) };
}

function keyOptions(root: TrustMaterial | null): VerifierOptions {
  return root === null ? { tlogThreshold: 0, timestampThreshold: 0, ctlogThreshold: 0 } : {};
}

function withoutTransparency(entity: SignedEntity): SignedEntity {
  return { ...entity, tlogEntries: [], timestamps: [] };
}
