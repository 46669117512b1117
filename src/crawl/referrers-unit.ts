/**
 * Unit of work: the referrers of one subject (signatures, SBOMs, attestations), recursively to a
 * bounded depth, as summaries to embed in the subject's document.
 */
import { summarizeReferrer } from '../decode/index.js';
import type { ReferrerKind, ReferrerSummary } from '../domain/document.js';
import { referrersTag } from '../registry/index.js';
import type { FetchContext } from './context.js';

/** Serializable input of the referrers unit. */
export interface ReferrersJob {
  registry: string;
  repository: string;
  subject: string;
  /** The repository's tag -> digest map when known (lets the tag-schema fallback skip absent tags). */
  tags: ReadonlyMap<string, string> | null;
}

const COSIGN_SUFFIXES: ReadonlyArray<[string, ReferrerKind]> = [
  ['sig', 'signature'],
  ['att', 'attestation'],
  ['sbom', 'sbom'],
];

/** Lists the referrers of `job.subject` (and theirs, to `depth`), never fetching a referrer manifest. */
export async function resolveReferrers(context: FetchContext, job: ReferrersJob, depth = context.limits.referrerDepth): Promise<ReferrerSummary[]> {
  if (depth <= 0) return [];
  const summaries = [...(await listed(context, job)), ...cosignAttachments(job)];
  for (const summary of summaries) {
    summary.referrers = await resolveReferrers(context, { ...job, subject: summary.digest }, depth - 1);
  }
  return summaries.sort((a, b) => a.digest.localeCompare(b.digest));
}

/** The first referrers listing of a client whose API support is still unknown. */
const probes = new WeakMap<object, Promise<unknown>>();

async function listed(context: FetchContext, job: ReferrersJob): Promise<ReferrerSummary[]> {
  const { client } = context;
  // While unknown, let one listing find out whether the API exists instead of all at once.
  if (client.referrersApi === null) await probes.get(client)?.catch(() => undefined);
  // Without the API, the fallback is a tag: if the tag list lacks it there is nothing to fetch.
  if (client.referrersApi === false && job.tags !== null && !job.tags.has(referrersTag(job.subject))) return [];
  const listing = client.listReferrers(job.repository, job.subject, { signal: context.signal });
  if (client.referrersApi === null && !probes.has(client)) probes.set(client, listing);
  return (await listing).map((descriptor) => summarizeReferrer(descriptor));
}

/** cosign's tag-based attachments (`sha256-<hex>.sig|.att|.sbom`) for the subject. */
function cosignAttachments(job: ReferrersJob): ReferrerSummary[] {
  if (job.tags === null) return [];
  const base = referrersTag(job.subject);
  const found: ReferrerSummary[] = [];
  for (const [suffix, kind] of COSIGN_SUFFIXES) {
    const digest = job.tags.get(`${base}.${suffix}`);
    if (digest === undefined) continue;
    found.push({ digest, mediaType: null, artifactType: null, kind, annotations: {}, referrers: [] });
  }
  return found;
}

/** Number of referrers in a tree. */
export function countReferrers(referrers: ReferrerSummary[]): number {
  return referrers.reduce((total, referrer) => total + 1 + countReferrers(referrer.referrers), 0);
}
