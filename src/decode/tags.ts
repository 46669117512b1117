/**
 * Tags that name attachments rather than model versions.
 * - The referrers tag schema fallback (OCI distribution-spec 1.1, "Referrers Tag Schema"):
 *   `<alg>-<ref>`, the algorithm cut to 32 characters and the hex to 64, holding an index.
 * - cosign's tag-based attachments: `sha256-<hex>.sig`, `.att`, `.sbom`.
 */

export type TagClass =
  | { kind: 'version' }
  | { kind: 'attachment'; subject: string; attachment: 'referrers-index' | 'signature' | 'attestation' | 'sbom' };

const REFERRERS_TAG = /^(sha256|sha512)-([0-9a-f]{64})$/;
const COSIGN_TAG = /^(sha256)-([0-9a-f]{64})\.(sig|att|sbom)$/;
const COSIGN_ATTACHMENT = { sig: 'signature', att: 'attestation', sbom: 'sbom' } as const;

/**
 * Classifies a tag. For a referrers fallback tag of a sha512 subject, `subject` carries the
 * 64 hex characters the tag keeps (a prefix of the real digest): match it by prefix.
 */
export function classifyTag(tag: string): TagClass {
  const referrers = REFERRERS_TAG.exec(tag);
  if (referrers) {
    return { kind: 'attachment', subject: `${referrers[1]}:${referrers[2]}`, attachment: 'referrers-index' };
  }
  const cosign = COSIGN_TAG.exec(tag);
  if (cosign) {
    const suffix = cosign[3] as keyof typeof COSIGN_ATTACHMENT;
    return { kind: 'attachment', subject: `${cosign[1]}:${cosign[2]}`, attachment: COSIGN_ATTACHMENT[suffix] };
  }
  return { kind: 'version' };
}
