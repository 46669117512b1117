/**
 * Every case of the Sigstore conformance suite's bundle-verify set (test/fixtures/sigstore-conformance,
 * Apache-2.0) through createSigstoreVerifier(...).verifyBundle. Each case's outcome is pinned: a `_fail`
 * case that verifies is a security defect, a happy case that fails must be listed in KNOWN_UNSUPPORTED
 * with why, and a changed failure reason (a mapping regression, or a fix) is noticed.
 */
import { describe, expect, test } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import type { VerificationReason } from '../../../src/domain/trust.js';
import { createSigstoreVerifier } from '../../../src/verify/sigstore-verifier.js';
import { conformanceCases, type ConformanceCase } from './sigstore-conformance-cases.js';

/** `rejected_trust`: createSigstoreVerifier refused the case's trusted root or key (invalid_argument). */
type Outcome = 'verified' | 'rejected_trust' | VerificationReason;

/**
 * Happy cases @sigstore/verify 3.1 (the last line on Node 20) cannot verify, with why.
 * They must fail with the given reason; once one verifies, move it out of this list.
 */
const KNOWN_UNSUPPORTED: Record<string, { reason: VerificationReason; why: string }> = {
  // Empty since rekor2-dsse-happy-path verifies: Rekor v2 "hashedrekord over DSSE" entries are read by
  // src/verify/sigstore-rekor-v2-dsse.ts, which @sigstore/verify 3.1 alone cannot.
};

/**
 * Why each `_fail` case fails, as ocidex reports it: not always the suite's intended cause, since the
 * first check to fail wins (a tampered signature is usually caught by its log entry first).
 */
const FAILURE_REASONS: Record<string, Outcome> = {
  'bundle-empty-certificate-chain_fail': 'malformed',
  'bundle-from-wrong-instance_fail': 'untrusted_chain',
  'bundle-invalid-base64-signature_fail': 'invalid_log_entry',
  'bundle-malformed-json_fail': 'malformed',
  'bundle-negative-log-index_fail': 'invalid_log_entry',
  'bundle-unknown-version_fail': 'malformed',
  'bundle-with-root-cert_fail': 'untrusted_chain',
  'checkpoint-bad-keyhint_fail': 'invalid_log_entry',
  'checkpoint-wrong-roothash_fail': 'invalid_log_entry',
  'dsse-invalid-sig_fail': 'invalid_log_entry',
  'dsse-mismatch-envelope_fail': 'invalid_log_entry',
  'dsse-mismatch-sig_fail': 'invalid_log_entry',
  'inclusion-proof-corrupted-hash_fail': 'invalid_log_entry',
  'incorrect-public-key_fail': 'invalid_log_entry',
  'integrated-time-in-future_fail': 'expired',
  'intoto-expired-certificate_fail': 'expired',
  'intoto-log-entry-mismatch_fail': 'invalid_log_entry',
  'intoto-missing-inclusion-proof_fail': 'malformed',
  'intoto-set-outside-signing-cert-validity_fail': 'expired',
  'intoto-tsa-timestamp-outside-cert-validity_fail': 'expired',
  'invalid-checkpoint-signature_fail': 'invalid_log_entry',
  'invalid-ct-key_fail': 'invalid_log_entry',
  'invalid-inclusion-proof_fail': 'malformed',
  'managed-key-no-key_fail': 'no_trust_material',
  'managed-key-wrong-key_fail': 'rejected_trust',
  'message-digest-mismatch_fail': 'digest_mismatch',
  'rekor2-checkpoint-missing-log-signature_fail': 'invalid_log_entry',
  'rekor2-checkpoint-missing-origin_fail': 'invalid_log_entry',
  'rekor2-checkpoint-missing-root-hash_fail': 'invalid_log_entry',
  'rekor2-checkpoint-missing-size_fail': 'invalid_log_entry',
  'rekor2-checkpoint-no-matching-signature_fail': 'invalid_log_entry',
  'rekor2-dsse-invalid-sig_fail': 'invalid_log_entry',
  'rekor2-dsse-mismatch-envelope_fail': 'invalid_log_entry',
  'rekor2-dsse-mismatch-sig_fail': 'invalid_log_entry',
  'rekor2-no-inclusion-proof_fail': 'malformed',
  'rekor2-no-timestamp_fail': 'invalid_log_entry',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'invalid_log_entry',
  'rekor2-timestamp-outside-tsa-cert-validity_fail': 'invalid_log_entry',
  'rekor2-timestamp-payload-mismatch_fail': 'invalid_log_entry',
  'rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail': 'invalid_log_entry',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'invalid_log_entry',
  'rekor2-timestamp-with-incorrect-time_fail': 'expired',
  'set-invalid-signature_fail': 'invalid_log_entry',
  'signature-mismatch_fail': 'invalid_log_entry',
  'trust-root-tlog-missing-validity-start_fail': 'rejected_trust',
  'wrong-hashedrekord-artifact_fail': 'invalid_log_entry',
  'wrong-hashedrekord-cert-and-sig_fail': 'invalid_log_entry',
  'wrong-hashedrekord-entry_fail': 'invalid_log_entry',
  'wrong-material_fail': 'digest_mismatch',
};

function outcome(testCase: ConformanceCase): Outcome {
  let verifier: ReturnType<typeof createSigstoreVerifier>;
  try {
    verifier = createSigstoreVerifier(testCase.trust);
  } catch (error) {
    if (isOcidexError(error, 'invalid_argument')) return 'rejected_trust';
    throw error;
  }
  const check = verifier.verifyBundle(testCase.bundle, testCase.target);
  return check.ok ? 'verified' : check.reason;
}

function expected(testCase: ConformanceCase): Outcome {
  if (testCase.shouldFail) return FAILURE_REASONS[testCase.name] ?? 'verified';
  return KNOWN_UNSUPPORTED[testCase.name]?.reason ?? 'verified';
}

const cases = conformanceCases();

describe('Sigstore conformance bundle-verify', () => {
  test.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const actual = outcome(testCase);
    if (testCase.shouldFail) expect(actual, 'a _fail case verified: security defect').not.toBe('verified');
    expect(actual).toBe(expected(testCase));
  });

  test('tally: every _fail case fails, every happy case verifies but the known unsupported', () => {
    const failing = cases.filter((testCase) => testCase.shouldFail);
    const happy = cases.filter((testCase) => !testCase.shouldFail);
    const failed = failing.filter((testCase) => outcome(testCase) !== 'verified').length;
    const verified = happy.filter((testCase) => outcome(testCase) === 'verified').length;
    const unsupported = Object.entries(KNOWN_UNSUPPORTED).map(([name, { why }]) => `\n  ${name}: ${why}`);
    console.log(
      `${cases.length} cases: ${failed}/${failing.length} _fail fail, ${verified}/${happy.length} happy verify, ` +
        `${unsupported.length} known unsupported${unsupported.join('')}`,
    );
    expect(Object.keys(FAILURE_REASONS).sort()).toEqual(failing.map((testCase) => testCase.name));
    expect(failed).toBe(failing.length);
    expect(verified + unsupported.length).toBe(happy.length);
  });
});
