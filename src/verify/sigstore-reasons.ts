/**
 * One table from what @sigstore/verify (and bundle parsing) throws to our stable reason codes, so
 * every Sigstore path answers the same reason for the same failure. @sigstore/verify reports a `code`
 * per error class; a few codes cover several causes, told apart by the message (theirs, or the
 * wrapped cause's), e.g. an expired certificate inside a chain failure.
 */
import type { SignatureCheck, VerificationReason } from '../domain/trust.js';

interface ReasonRule {
  /** The `code` of a VerificationError / PolicyError, or the error's `name` for others. */
  code: string;
  /** When set, the rule applies only when the message (or its cause's) matches. */
  message?: RegExp;
  reason: VerificationReason;
}

/** First matching rule wins; order the message-specific rules before the code-wide ones. */
const REASON_RULES: readonly ReasonRule[] = [
  { code: 'CERTIFICATE_ERROR', message: /expired|not valid .*date/i, reason: 'expired' },
  { code: 'CERTIFICATE_ERROR', message: /SCT/, reason: 'invalid_log_entry' },
  { code: 'CERTIFICATE_ERROR', reason: 'untrusted_chain' },
  { code: 'PUBLIC_KEY_ERROR', message: /not valid for timestamp/i, reason: 'expired' },
  { code: 'PUBLIC_KEY_ERROR', reason: 'untrusted_key' },
  { code: 'SIGNATURE_ERROR', reason: 'bad_signature' },
  { code: 'TLOG_ERROR', reason: 'invalid_log_entry' },
  // An entry kind or version 3.1 does not read (e.g. `rekord`, written by old cosign): not a failure of the entry.
  { code: 'TLOG_BODY_ERROR', message: /^unsupported/, reason: 'unsupported_format' },
  { code: 'TLOG_BODY_ERROR', reason: 'invalid_log_entry' },
  { code: 'TLOG_INCLUSION_PROOF_ERROR', reason: 'invalid_log_entry' },
  { code: 'TLOG_INCLUSION_PROMISE_ERROR', reason: 'invalid_log_entry' },
  { code: 'TLOG_MISSING_INCLUSION_ERROR', reason: 'invalid_log_entry' },
  { code: 'TIMESTAMP_ERROR', reason: 'invalid_log_entry' },
  { code: 'UNTRUSTED_SIGNER_ERROR', reason: 'untrusted_identity' },
  { code: 'NOT_IMPLEMENTED_ERROR', reason: 'unsupported_format' },
  // @sigstore/bundle's ValidationError: the bundle breaks the format's rules.
  { code: 'ValidationError', reason: 'malformed' },
];

/** A failed check; `signer` is kept when known so a wrong identity still says who signed. */
export function failed(reason: VerificationReason, detail: string, signer?: string | null): SignatureCheck {
  return signer === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, signer };
}

/**
 * Maps anything thrown while parsing or verifying a Sigstore signature to a failed check.
 * Errors no rule names (a TypeError from a truncated certificate, a bad base64 field) mean the
 * input could not be read: `malformed`.
 */
export function checkFromError(error: unknown, signer?: string | null): SignatureCheck {
  const { code, message, causeMessage } = describe(error);
  const rule = REASON_RULES.find(
    (candidate) =>
      candidate.code === code &&
      (candidate.message === undefined || candidate.message.test(message) || candidate.message.test(causeMessage)),
  );
  const detail = causeMessage ? `${message}: ${causeMessage}` : message;
  return failed(rule?.reason ?? 'malformed', detail, signer);
}

function describe(error: unknown): { code: string; message: string; causeMessage: string } {
  if (!(error instanceof Error)) return { code: '', message: String(error), causeMessage: '' };
  const withCode = error as Error & { code?: unknown };
  const code = typeof withCode.code === 'string' ? withCode.code : error.name;
  const cause = error.cause instanceof Error ? error.cause.message : '';
  const fields = (error as Error & { fields?: unknown }).fields;
  const message = Array.isArray(fields) ? `${error.message} (${fields.join(', ')})` : error.message;
  return { code, message, causeMessage: cause };
}
