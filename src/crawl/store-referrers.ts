/**
 * Storing the referrers of a subject, the one way every path takes (embedded crawl, the queue's
 * index writer, push events, `ocidex verify`): records what the crawl fetched (once), verifies
 * every signature from its material under the policies in the index, and writes the edges.
 */
import type { ReferrerSummary } from '../domain/document.js';
import type { ReferrerRecord } from '../store/index.js';
import { prepareTrust, type PreparedTrust } from '../verify/index.js';
import type { ReferrerStore } from './context.js';

/** Records, verifies and stores `referrers` as the referrers of `subject`; returns what was stored. */
export function storeReferrers(
  index: ReferrerStore,
  registry: string,
  repository: string,
  subject: string,
  referrers: ReferrerSummary[],
): ReferrerSummary[] {
  const { hash, policies } = index.trustPolicies();
  const trust = prepareTrust(hash, policies);
  const records: ReferrerRecord[] = [];
  const scope = `${registry}/${repository}`;
  const verified = referrers.map((referrer) =>
    settle(referrer, subject, { index, trust, records, registry, repository, scope }),
  );
  index.setReferrers(registry, repository, subject, verified, records);
  return verified;
}

interface Settling {
  index: ReferrerStore;
  trust: PreparedTrust;
  records: ReferrerRecord[];
  registry: string;
  repository: string;
  scope: string;
}

/** The summary to store: nested referrers settled, material recorded and dropped, signatures verified. */
function settle(referrer: ReferrerSummary, subject: string, context: Settling): ReferrerSummary {
  const { material, verification: _previous, ...summary } = referrer;
  if (material !== undefined) context.records.push({ summary: { ...summary, referrers: [] }, material });
  const referrers = (summary.referrers ?? []).map((nested) => settle(nested, referrer.digest, context));
  if (summary.kind !== 'signature') return { ...summary, referrers };
  const stored =
    material === undefined
      ? context.index.referrerMaterial(context.registry, context.repository, referrer.digest)
      : material;
  return { ...summary, verification: context.trust.verify(stored, subject, context.scope), referrers };
}

/**
 * Re-verifies every stored signature under the policies in the index, from stored material
 * only (no request). Returns how many subjects it visited and the signatures by status (a
 * signature nested under several subjects counts once per subject).
 */
export function reverifyAll(
  index: ReferrerStore & {
    iterateReferrerSubjects(): IterableIterator<[string, string, string, ReferrerSummary[]]>;
  },
): { subjects: number; statuses: Record<string, number> } {
  const subjects = [...index.iterateReferrerSubjects()];
  const statuses: Record<string, number> = {};
  const count = (summary: ReferrerSummary): void => {
    const status = summary.verification?.status;
    if (status !== undefined) statuses[status] = (statuses[status] ?? 0) + 1;
  };
  for (const [registry, repository, subject, referrers] of subjects) {
    storeReferrers(index, registry, repository, subject, referrers).forEach(count);
  }
  return { subjects: subjects.length, statuses };
}
