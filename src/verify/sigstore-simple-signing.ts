/** placeholder */
import type { SignatureCheck } from '../domain/trust.js';
import { failed } from './sigstore-reasons.js';
import type { SigstoreTrustMaterial } from './sigstore-trust.js';
import type { SignedTarget } from './sigstore-types.js';
export function verifySimpleSigningPayload(
  _material: SigstoreTrustMaterial,
  _payload: Uint8Array,
  _annotations: Record<string, string>,
  _target: SignedTarget,
): SignatureCheck {
  return failed('unsupported_format', 'todo');
}
