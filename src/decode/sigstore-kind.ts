/**
 * What a Sigstore bundle is, from its content and predicate type (FORMATS.md, "Referrers"):
 * cosign v3 signs an image or model with a DSSE envelope whose predicate type is
 * `https://sigstore.dev/cosign/sign/v1`; a message-signature bundle is a signature too; SPDX and
 * CycloneDX predicates are SBOMs; any other predicate (SLSA provenance, scans) is an attestation.
 */
import type { ReferrerKind } from '../domain/document.js';
import { isJsonObject, text } from './json.js';

export const SigstoreContent = {
  dsseEnvelope: 'dsse-envelope',
  messageSignature: 'message-signature',
} as const;

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/** SPDX (`https://spdx.dev/Document[/vX]`) and CycloneDX (`https://cyclonedx.org/bom[/vX]`) predicates. */
const SBOM_PREDICATE = /^https:\/\/(?:spdx\.dev\/Document|cyclonedx\.org\/bom)(?:\/|$)/i;

/** The kind of a bundle; `artifact` when neither content nor predicate type tells. */
export function predicateKind(predicateType: string | null, content: string | null): ReferrerKind {
  if (predicateType === COSIGN_SIGN_PREDICATE) return 'signature';
  if (predicateType !== null) return SBOM_PREDICATE.test(predicateType) ? 'sbom' : 'attestation';
  if (content === SigstoreContent.messageSignature) return 'signature';
  return 'artifact';
}

/** What a parsed bundle says of itself: its content and, for DSSE, the statement's predicate type. */
export function bundleFacts(bundle: unknown): { content: string | null; predicateType: string | null } {
  if (!isJsonObject(bundle)) return { content: null, predicateType: null };
  if (isJsonObject(bundle.messageSignature)) return { content: SigstoreContent.messageSignature, predicateType: null };
  const envelope = bundle.dsseEnvelope;
  if (!isJsonObject(envelope)) return { content: null, predicateType: null };
  const payload = text(envelope.payload);
  let predicateType: string | null = null;
  try {
    const statement: unknown = payload === null ? null : JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    predicateType = isJsonObject(statement) ? text(statement.predicateType) : null;
  } catch {
    predicateType = null;
  }
  return { content: SigstoreContent.dsseEnvelope, predicateType };
}
