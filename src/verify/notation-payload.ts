/**
 * The Notary Project signature payload (signature-specification.md, "Payload"):
 * `{"targetArtifact": {mediaType, digest, size, annotations?, artifactType?}}`. Parsed only after
 * the signature verified (the spec: the payload is processed once trust is established). Like
 * notation-go's `content.Equal`, the target must agree on digest, media type and size.
 */
import { fail } from './check-failure.js';

/** The artifact a signature must be about (the referrer's subject descriptor). */
export interface NotationTarget {
  digest: string;
  mediaType: string;
  size: number;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseTargetArtifact(payload: Buffer): NotationTarget {
  let document: unknown;
  try {
    document = JSON.parse(payload.toString('utf8'));
  } catch {
    fail('malformed', 'payload is not JSON');
  }
  const artifact = isObject(document) ? document.targetArtifact : undefined;
  if (!isObject(artifact)) fail('malformed', 'payload lacks targetArtifact');
  const { digest, mediaType, size } = artifact;
  if (typeof digest !== 'string' || typeof mediaType !== 'string') {
    fail('malformed', 'targetArtifact lacks digest or mediaType');
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) fail('malformed', 'targetArtifact.size');
  return { digest, mediaType, size };
}

/** Throws `digest_mismatch` unless the payload's targetArtifact is `target`. */
export function checkTarget(payload: Buffer, target: NotationTarget): void {
  const signed = parseTargetArtifact(payload);
  for (const field of ['digest', 'mediaType', 'size'] as const) {
    if (signed[field] !== target[field]) {
      const detail = `targetArtifact.${field} ${JSON.stringify(signed[field])} is not ${JSON.stringify(target[field])}`;
      fail('digest_mismatch', `the signature is over another artifact: ${detail}`);
    }
  }
}
