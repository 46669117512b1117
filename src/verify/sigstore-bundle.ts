/**
 * Verifies one Sigstore bundle (v0.1–v0.3, DSSE or message signature) over a subject manifest:
 * parse strictly, prove signature + certificate/key + transparency evidence with @sigstore/verify,
 * check the identity, then check the content is over the target. Any input gives a check, never a throw.
 */
import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  type Bundle,
} from '@sigstore/bundle';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';
import type { SignatureCheck } from '../domain/trust.js';
import { checkArtifact, checkBundleContent } from './sigstore-bundle-content.js';
import { checkBundleRules } from './sigstore-bundle-rules.js';
import { checkFromError, failed } from './sigstore-reasons.js';
import { withRekorV2DsseDigest } from './sigstore-rekor-v2-dsse.js';
import { verifyCertificateEntity, verifyKeyEntity } from './sigstore-run.js';
import { isTargetDigest, parseTargetDigest } from './sigstore-target.js';
import type { SigstoreTrustMaterial } from './sigstore-trust.js';
import type { SignedTarget } from './sigstore-types.js';

const KNOWN_MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
]);

/** Verifies a parsed bundle JSON over `target` with one policy's trust material. */
export function verifySigstoreBundle(
  material: SigstoreTrustMaterial,
  json: unknown,
  target: SignedTarget,
): SignatureCheck {
  const digest = parseTargetDigest(target?.digest);
  if (!isTargetDigest(digest)) return digest;
  const parsed = parseBundle(json);
  if ('ok' in parsed) return parsed;
  const { bundle } = parsed;
  // A message signature names its digest in the clear: compare before any crypto. A DSSE statement
  // is read only once its signature verified.
  const isMessage = bundle.content.$case === 'messageSignature';
  const artifact = isMessage ? target.artifact : undefined;
  const before = isMessage ? (checkBundleContent(bundle, digest) ?? checkArtifact(artifact, digest)) : null;
  if (before) return before;
  const entity = signedEntity(bundle, artifact);
  if ('ok' in entity) return entity;
  const keyMaterial = bundle.verificationMaterial.content;
  const check =
    keyMaterial.$case === 'publicKey'
      ? verifyKeyEntity(material, entity, keyMaterial.publicKey.hint)
      : verifyCertificateEntity(material, entity);
  if (!check.ok || isMessage) return check;
  return checkBundleContent(bundle, digest) ?? check;
}

/** Parses bundle JSON strictly: a known media type and the fields its version requires. */
export function parseBundle(json: unknown): { bundle: Bundle } | SignatureCheck {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return failed('malformed', 'the bundle is not a JSON object');
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !KNOWN_MEDIA_TYPES.has(mediaType)) {
    return failed('malformed', `unknown Sigstore bundle media type ${JSON.stringify(mediaType) ?? 'undefined'}`);
  }
  try {
    const bundle = bundleFromJSON(json);
    return checkBundleRules(bundle) ?? { bundle };
  } catch (error) {
    return checkFromError(error);
  }
}

function signedEntity(bundle: Bundle, artifact: Uint8Array | undefined): SignedEntity | SignatureCheck {
  try {
    const entity = toSignedEntity(bundle, artifact === undefined ? undefined : Buffer.from(artifact));
    return withRekorV2DsseDigest(bundle, entity);
  } catch (error) {
    return checkFromError(error);
  }
}
