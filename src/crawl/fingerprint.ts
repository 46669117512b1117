/** Level-1 change detection: a repository's fingerprint over its tags and their digests. */
import { createHash } from 'node:crypto';

/** sha256 over the sorted `tag digest` lines; equal fingerprints mean nothing changed. */
export function repositoryFingerprint(tags: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const tag of [...tags.keys()].sort()) hash.update(`${tag} ${tags.get(tag)}\n`);
  return `sha256:${hash.digest('hex')}`;
}
