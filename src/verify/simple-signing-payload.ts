/**
 * The cosign simple-signing payload (containers/image "atomic" signature format as cosign writes it):
 * `{"critical":{"identity":{"docker-reference"},"image":{"docker-manifest-digest"},"type":...},"optional":...}`.
 */
import type { SignatureCheck } from '../domain/trust.js';
import { COSIGN_SIGNATURE_TYPE } from './cosign-annotations.js';
import { failed } from './sigstore-reasons.js';
import type { TargetDigest } from './sigstore-target.js';

/** The fields ocidex reads from a simple-signing payload. */
export interface SimpleSigningPayload {
  dockerReference: string | null;
  manifestDigest: string;
}

/** Parses the payload blob; anything but a cosign simple-signing payload is `malformed`. */
export function parseSimpleSigning(payload: Uint8Array): SimpleSigningPayload | SignatureCheck {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return failed('malformed', 'the simple-signing payload is not JSON');
  }
  const critical = (json as { critical?: Record<string, unknown> } | null)?.critical;
  const image = critical?.image as { 'docker-manifest-digest'?: unknown } | undefined;
  const identity = critical?.identity as { 'docker-reference'?: unknown } | undefined;
  if (critical?.type !== COSIGN_SIGNATURE_TYPE || typeof image?.['docker-manifest-digest'] !== 'string') {
    return failed('malformed', 'the payload is not a cosign simple-signing payload with a docker-manifest-digest');
  }
  const reference = identity?.['docker-reference'];
  return {
    dockerReference: typeof reference === 'string' ? reference : null,
    manifestDigest: image['docker-manifest-digest'],
  };
}

/** The payload must name the subject manifest; `null` means it does. */
export function checkSimpleSigningDigest(payload: SimpleSigningPayload, target: TargetDigest): SignatureCheck | null {
  return payload.manifestDigest === target.digest
    ? null
    : failed('digest_mismatch', `the payload signs ${payload.manifestDigest}, not ${target.digest}`);
}
