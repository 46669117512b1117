/** Referrer edges (subject -> referrer summary), the source of a document's `referrers`. */
import type { ReferrerSummary } from '../domain/document.js';
import type { IndexContext } from './context.js';

/**
 * Makes the edges of `subject` exactly `referrers` (first summary wins per digest), touching
 * only rows that differ. Returns true when any edge changed.
 */
export function replaceEdges(
  context: IndexContext,
  repositoryId: number,
  subject: string,
  referrers: readonly ReferrerSummary[],
): boolean {
  const { statements } = context;
  const stored = new Map(
    statements.selectEdgesOfSubject.all(repositoryId, subject).map((edge) => [edge.digest, edge.json]),
  );
  const wanted = new Map<string, ReferrerSummary>();
  for (const referrer of referrers) if (!wanted.has(referrer.digest)) wanted.set(referrer.digest, referrer);
  let changed = false;
  for (const digest of stored.keys()) {
    if (wanted.has(digest)) continue;
    statements.deleteEdge.run(repositoryId, subject, digest);
    changed = true;
  }
  for (const [digest, referrer] of wanted) {
    const json = JSON.stringify(referrer);
    if (stored.get(digest) === json) continue;
    statements.upsertEdge.run(repositoryId, subject, digest, referrer.artifactType, referrer.kind, json);
    changed = true;
  }
  return changed;
}

/** Every digest a summary names: the referrer and, recursively, its own referrers. */
export function summaryDigests(summary: ReferrerSummary): string[] {
  return [summary.digest, ...(summary.referrers ?? []).flatMap(summaryDigests)];
}
