/**
 * Public keys for key-pair signing (`cosign sign --key`): parsed once, named the way ocidex reports
 * signers (`key:sha256:<hex of the SPKI DER>`), and found by the hint a bundle carries (cosign and
 * sigstore-js write base64 of that same sha256).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { OcidexError } from '../domain/errors.js';

/** A trusted public key with the names a bundle or a report uses for it. */
export interface TrustedKey {
  key: KeyObject;
  /** `key:sha256:<hex>`: the signer string ocidex reports. */
  signer: string;
  /** The bundle `publicKey.hint` forms that name this key: base64 and hex of sha256(SPKI DER). */
  hints: ReadonlySet<string>;
}

/** Parses the policy's PEM public keys; throws `invalid_argument` on anything that is not one. */
export function parseTrustedKeys(pems: readonly string[]): TrustedKey[] {
  return pems.map((pem, index) => {
    if (typeof pem !== 'string' || !/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
      throw new OcidexError('invalid_argument', `publicKeys[${index}] is not a PEM public key`);
    }
    try {
      return trustedKey(createPublicKey(pem));
    } catch (error) {
      throw new OcidexError(
        'invalid_argument',
        `publicKeys[${index}] cannot be read as a public key`,
        {},
        {
          cause: error,
        },
      );
    }
  });
}

/** Names a public key: its signer string and bundle hints. */
export function trustedKey(key: KeyObject): TrustedKey {
  const digest = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();
  const hex = digest.toString('hex');
  return { key, signer: `key:sha256:${hex}`, hints: new Set([digest.toString('base64'), hex]) };
}

/** The keys to try for a bundle's hint: the one it names first, then every other trusted key. */
export function keysForHint(keys: readonly TrustedKey[], hint: string): { named: TrustedKey[]; others: TrustedKey[] } {
  return {
    named: keys.filter((candidate) => candidate.hints.has(hint)),
    others: keys.filter((candidate) => !candidate.hints.has(hint)),
  };
}
