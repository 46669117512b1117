/**
 * A failed check inside a verifier, carrying the stable reason code of src/domain/trust.ts.
 * Verifiers throw it from deep inside parsing and catch it once at their public entry point, which
 * turns it into a `SignatureCheck`; nothing outside src/verify ever sees it.
 */
import type { SignatureCheck, VerificationReason } from '../domain/trust.js';

/** Thrown by a step of a verifier; caught at the verifier's entry point. */
export class CheckFailure extends Error {
  constructor(
    readonly reason: VerificationReason,
    detail: string,
    readonly signer: string | null = null,
  ) {
    super(detail);
    this.name = 'CheckFailure';
  }
}

/** Throws a CheckFailure. */
export function fail(reason: VerificationReason, detail: string): never {
  throw new CheckFailure(reason, detail);
}

/**
 * The SignatureCheck for anything thrown by a verifier step: a CheckFailure keeps its reason, any
 * other error (bad DER deep in a certificate, a key Node cannot use) counts as `malformed`.
 */
export function toFailedCheck(error: unknown, signer: string | null): SignatureCheck {
  if (error instanceof CheckFailure) {
    return { ok: false, reason: error.reason, detail: error.message, signer: error.signer ?? signer };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { ok: false, reason: 'malformed', detail: `unreadable signature: ${detail}`, signer };
}
