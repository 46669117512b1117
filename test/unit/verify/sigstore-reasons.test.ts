/**
 * The one table from @sigstore/verify errors to ocidex reasons: what each error code and the
 * messages that tell causes apart map to, and that unknown throws mean unreadable input.
 */
import { ValidationError } from '@sigstore/bundle';
import { PolicyError, VerificationError } from '@sigstore/verify';
import { describe, expect, test } from 'vitest';
import { checkFromError } from '../../../src/verify/sigstore-reasons.js';

type Code = ConstructorParameters<typeof VerificationError>[0]['code'];

function reasonOf(code: Code, message: string, cause?: Error): string {
  const check = checkFromError(new VerificationError({ code, message, cause }));
  return check.ok ? 'verified' : check.reason;
}

describe('checkFromError', () => {
  test.each([
    ['SIGNATURE_ERROR', 'signature verification failed', 'bad_signature'],
    ['CERTIFICATE_ERROR', 'no trusted certificate path found', 'untrusted_chain'],
    ['CERTIFICATE_ERROR', 'SCT verification failed', 'invalid_log_entry'],
    ['CERTIFICATE_ERROR', 'expected 1 SCTs, got 0', 'invalid_log_entry'],
    ['PUBLIC_KEY_ERROR', 'key not found: abc', 'untrusted_key'],
    ['PUBLIC_KEY_ERROR', 'Public key is not valid for timestamp: 2020-01-01T00:00:00.000Z', 'expired'],
    ['TLOG_INCLUSION_PROMISE_ERROR', 'inclusion promise could not be verified', 'invalid_log_entry'],
    ['TLOG_INCLUSION_PROOF_ERROR', 'invalid checkpoint signature', 'invalid_log_entry'],
    ['TLOG_MISSING_INCLUSION_ERROR', 'inclusion could not be verified', 'invalid_log_entry'],
    ['TLOG_BODY_ERROR', 'signature mismatch', 'invalid_log_entry'],
    ['TLOG_BODY_ERROR', 'unsupported kind: rekord', 'unsupported_format'],
    ['TLOG_ERROR', 'expected 1 tlog entries, got 0', 'invalid_log_entry'],
    ['TIMESTAMP_ERROR', 'expected 1 timestamps, got 0', 'invalid_log_entry'],
    ['NOT_IMPLEMENTED_ERROR', 'not implemented', 'unsupported_format'],
  ] as const)('%s "%s" is %s', (code, message, reason) => {
    expect(reasonOf(code, message)).toBe(reason);
  });

  test('a chain failure wrapping an expired certificate is expired, with both messages in the detail', () => {
    const expired = 'certificate is not valid or expired at the specified date';
    const cause = new VerificationError({ code: 'CERTIFICATE_ERROR', message: expired });
    const chain = 'Failed to verify certificate chain';
    const check = checkFromError(new VerificationError({ code: 'CERTIFICATE_ERROR', message: chain, cause }));
    expect(check).toEqual({
      ok: false,
      reason: 'expired',
      detail: 'Failed to verify certificate chain: certificate is not valid or expired at the specified date',
    });
  });

  test('policy errors, bundle validation errors and unknown throws', () => {
    expect(checkFromError(new PolicyError({ code: 'UNTRUSTED_SIGNER_ERROR', message: 'x' }))).toMatchObject({
      reason: 'untrusted_identity',
    });
    expect(checkFromError(new ValidationError('invalid bundle', ['mediaType']))).toEqual({
      ok: false,
      reason: 'malformed',
      detail: 'invalid bundle (mediaType)',
    });
    expect(checkFromError(new TypeError("Cannot read properties of undefined (reading 'rawBytes')"))).toMatchObject({
      reason: 'malformed',
    });
    expect(checkFromError('a string', 'signer@example')).toEqual({
      ok: false,
      reason: 'malformed',
      detail: 'a string',
      signer: 'signer@example',
    });
  });
});
