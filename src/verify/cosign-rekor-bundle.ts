/**
 * cosign's `dev.sigstore.cosign/bundle` annotation (a Rekor entry with its SET, the signed entry
 * timestamp) read as a Sigstore transparency-log entry, so @sigstore/verify checks the SET with the
 * trusted root's log key, the entry body against the signature, and the certificate at integratedTime.
 */
import type { TransparencyLogEntry } from '@sigstore/bundle';

interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

/** Parses the annotation; throws (the caller maps it to `malformed`) when it is not a Rekor bundle. */
export function rekorBundleToTLogEntry(annotation: string): TransparencyLogEntry {
  const parsed = JSON.parse(annotation) as Partial<RekorBundle> | null;
  const payload = parsed?.Payload;
  if (
    typeof parsed?.SignedEntryTimestamp !== 'string' ||
    typeof payload?.body !== 'string' ||
    !Number.isSafeInteger(payload.integratedTime) ||
    !Number.isSafeInteger(payload.logIndex) ||
    typeof payload.logID !== 'string' ||
    !/^[0-9a-f]{64}$/.test(payload.logID)
  ) {
    throw new Error(
      'the Rekor bundle annotation is not {SignedEntryTimestamp, Payload{body, integratedTime, logIndex, logID}}',
    );
  }
  const body = Buffer.from(payload.body, 'base64');
  const { kind, apiVersion } = JSON.parse(body.toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
  return {
    logIndex: String(payload.logIndex),
    logId: { keyId: Buffer.from(payload.logID, 'hex') },
    kindVersion: { kind: String(kind), version: String(apiVersion) },
    integratedTime: String(payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: Buffer.from(parsed.SignedEntryTimestamp, 'base64') },
    inclusionProof: undefined,
    canonicalizedBody: body,
  };
}
