/**
 * What a Sigstore bundle is over, checked against the target after the signature verified:
 * a DSSE envelope's in-toto statement must name the subject manifest's digest among its subjects;
 * a message signature's `messageDigest` must be the manifest's digest (its signature is over the bytes).
 */
import { createHash } from 'node:crypto';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import type { Bundle } from '@sigstore/bundle';
import type { SignatureCheck } from '../domain/trust.js';
import { failed } from './sigstore-reasons.js';
import type { TargetDigest } from './sigstore-target.js';

const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const MESSAGE_ALGORITHMS: Partial<Record<HashAlgorithm, TargetDigest['algorithm']>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

/** Checks the content names the target; `null` means it does. */
export function checkBundleContent(bundle: Bundle, target: TargetDigest): SignatureCheck | null {
  const content = bundle.content;
  if (content.$case === 'dsseEnvelope') {
    const { payloadType, payload } = content.dsseEnvelope;
    if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return failed('unsupported_format', `DSSE payload type ${payloadType} is not an in-toto statement`);
    }
    return checkStatementSubject(payload, target);
  }
  const { algorithm, digest } = content.messageSignature.messageDigest;
  if (MESSAGE_ALGORITHMS[algorithm] !== target.algorithm || Buffer.from(digest).toString('hex') !== target.hex) {
    return failed('digest_mismatch', `the message signature is over another digest than ${target.digest}`);
  }
  return null;
}

/** The in-toto statement (v0.1 or v1) must list the target digest among its subjects. */
export function checkStatementSubject(payload: Uint8Array, target: TargetDigest): SignatureCheck | null {
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return failed('malformed', 'the DSSE payload is not JSON');
  }
  const subjects = (statement as { subject?: unknown } | null)?.subject;
  if (!Array.isArray(subjects)) return failed('malformed', 'the in-toto statement has no subject list');
  const named = subjects.some((subject: unknown) => {
    const digests = (subject as { digest?: Record<string, unknown> } | null)?.digest;
    return digests?.[target.algorithm] === target.hex;
  });
  return named ? null : failed('digest_mismatch', `the in-toto statement's subjects do not include ${target.digest}`);
}

/** A message signature's artifact must be the target's bytes (the caller passes the manifest). */
export function checkArtifact(artifact: Uint8Array | undefined, target: TargetDigest): SignatureCheck | null {
  if (artifact === undefined) {
    return failed('unsupported_format', 'a message-signature bundle needs the subject manifest bytes to verify');
  }
  const hex = createHash(target.algorithm).update(artifact).digest('hex');
  return hex === target.hex ? null : failed('digest_mismatch', `the given artifact is not ${target.digest}`);
}
