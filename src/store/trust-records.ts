/**
 * Referrer records and trust policies (schema v3). A referrer whose manifest the crawl fetched
 * is recorded once with its classification and, for a signature, the material verification
 * needs; the crawl asks here before it fetches, and re-verification reads only from here.
 */
import type { ReferrerSummary } from '../domain/document.js';
import type { SignatureMaterial, TrustPolicy } from '../domain/trust.js';
import type { IndexContext } from './context.js';
import { findRepositoryId } from './repositories.js';

/** A referrer to record: its summary (nested referrers and verification are not kept) and material. */
export interface ReferrerRecord {
  summary: ReferrerSummary;
  material: SignatureMaterial | null;
}

/** The summary a referrer was recorded with, or null when it never was. */
export function knownReferrer(
  context: IndexContext,
  registry: string,
  repository: string,
  digest: string,
): ReferrerSummary | null {
  const repositoryId = findRepositoryId(context, registry, repository);
  const row = repositoryId === null ? undefined : context.statements.selectReferrerRecord.get(repositoryId, digest);
  return row === undefined ? null : (JSON.parse(row.summary) as ReferrerSummary);
}

/** Every referrer recorded in a repository: digest -> summary (a fetch worker's view of them). */
export function knownReferrersOf(
  context: IndexContext,
  registry: string,
  repository: string,
): Array<[string, ReferrerSummary]> {
  const repositoryId = findRepositoryId(context, registry, repository);
  if (repositoryId === null) return [];
  return context.statements.selectReferrerSummaries
    .all(repositoryId)
    .map((row) => [row.digest, JSON.parse(row.summary) as ReferrerSummary]);
}

/** The material recorded for a signature referrer, or null. */
export function referrerMaterial(
  context: IndexContext,
  repositoryId: number,
  digest: string,
): SignatureMaterial | null {
  const row = context.statements.selectReferrerRecord.get(repositoryId, digest);
  return row?.material ? (JSON.parse(row.material) as SignatureMaterial) : null;
}

/** Records referrers (idempotent: a digest's content never changes). */
export function putReferrerRecords(
  context: IndexContext,
  repositoryId: number,
  records: readonly ReferrerRecord[],
): void {
  for (const { summary, material } of records) {
    const { referrers: _nested, verification: _verification, material: _material, ...kept } = summary;
    const json = JSON.stringify({ ...kept, referrers: [] });
    context.statements.upsertReferrerRecord.run(
      repositoryId,
      summary.digest,
      json,
      material === null ? null : JSON.stringify(material),
    );
  }
}

/** The trust policies in force and their hash; none stored: no policies. */
export function readTrust(context: IndexContext): { hash: string | null; policies: TrustPolicy[] } {
  // Asked for every subject a crawl stores: the policies (trusted roots, certificates) are parsed
  // again only when their hash moved, which another process may have done.
  const hash = context.statements.selectTrustHash.get() ?? null;
  const cached = parsedTrust.get(context);
  if (cached !== undefined && cached.hash === hash) return cached;
  const row = hash === null ? undefined : context.statements.selectTrust.get();
  const trust =
    row === undefined
      ? { hash: null, policies: [] }
      : { hash: row.hash, policies: JSON.parse(row.json) as TrustPolicy[] };
  parsedTrust.set(context, trust);
  return trust;
}

const parsedTrust = new WeakMap<IndexContext, { hash: string | null; policies: TrustPolicy[] }>();
