/**
 * Unit of work: the referrers of one subject (signatures, SBOMs, attestations), recursively to a
 * bounded depth, as summaries to embed in the subject's document. Each referrer is classified
 * as its writer wrote it (referrer-fetch.ts): its manifest is fetched only when the listing does
 * not settle the kind or the referrer is a signature, and never again once recorded.
 */
import type { ReferrerKind, ReferrerSummary } from '../domain/document.js';
import type { Descriptor } from '../domain/oci.js';
import { referrersTag } from '../registry/index.js';
import type { FetchContext } from './context.js';
import { baseReader } from './reader-override.js';
import { fetchReferrer } from './referrer-fetch.js';

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

/** Lists the referrers of `job.subject` (and theirs, to `depth`). */
export async function resolveReferrers(
  context: FetchContext,
  job: ReferrersJob,
  depth = context.limits.referrerDepth,
): Promise<ReferrerSummary[]> {
  if (depth <= 0) return [];
  const summaries = [...(await listed(context, job)), ...(await cosignAttachments(context, job))];
  for (const summary of summaries) {
    summary.referrers = await resolveReferrers(context, { ...job, subject: summary.digest }, depth - 1);
  }
  return summaries.sort((a, b) => a.digest.localeCompare(b.digest));
}

/** The first referrers listing of a client whose API support is still unknown. */
const probes = new WeakMap<object, Promise<unknown>>();

async function listed(context: FetchContext, job: ReferrersJob): Promise<ReferrerSummary[]> {
  const { client } = context;
  // While unknown, let one listing find out whether the API exists instead of all at once
  // (one per client: a repository's reader over it shares the probe).
  const base = baseReader(client);
  if (client.referrersApi === null) await probes.get(base)?.catch(() => undefined);
  const listing = referrersListing(context, job);
  if (listing === null) return [];
  if (client.referrersApi === null && !probes.has(base)) probes.set(base, listing);
  const summaries: ReferrerSummary[] = [];
  for (const descriptor of await listing) summaries.push(await fetchReferrer(context, job, descriptor));
  return summaries;
}

/**
 * The listing of `job.subject`, or null when there is nothing to list. Without the API, the
 * fallback is a tag: absent from the tag list, nothing to fetch; present, its index is fetched
 * once, by the digest the tag list gave (a repository read by GET per tag already holds it).
 */
function referrersListing(context: FetchContext, job: ReferrersJob): Promise<Descriptor[]> | null {
  const { client, signal } = context;
  const tagged = job.tags?.get(referrersTag(job.subject));
  if (client.referrersApi === false && job.tags !== null && tagged === undefined) return null;
  const fetchTag = tagged ? (repository: string) => client.fetchManifest(repository, tagged, signal) : undefined;
  return client.listReferrers(job.repository, job.subject, { signal, fetchTag });
}

/** cosign's tag-based attachments (`sha256-<hex>.sig|.att|.sbom`); a `.sig` is read for verification. */
async function cosignAttachments(context: FetchContext, job: ReferrersJob): Promise<ReferrerSummary[]> {
  if (job.tags === null) return [];
  const base = referrersTag(job.subject);
  const found: ReferrerSummary[] = [];
  for (const [suffix, kind] of COSIGN_SUFFIXES) {
    const digest = job.tags.get(`${base}.${suffix}`);
    if (digest === undefined || digest === '') continue;
    if (kind === 'signature') {
      const summary = await fetchReferrer(context, job, { mediaType: '', digest, size: 0 }, true);
      found.push({ ...summary, kind });
    } else {
      found.push({
        digest,
        mediaType: null,
        artifactType: null,
        kind,
        predicateType: null,
        annotations: {},
        referrers: [],
      });
    }
  }
  return found;
}

/** Number of referrers in a tree. */
export function countReferrers(referrers: ReferrerSummary[]): number {
  return referrers.reduce((total, referrer) => total + 1 + countReferrers(referrer.referrers), 0);
}
