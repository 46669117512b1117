/**
 * The decisions of the repository unit, pure and serializable, so the embedded crawl and the
 * queue workers make them the same way: which digests to fetch after the tags are resolved
 * (two-level change detection), and whose referrers to list once the fetches are done.
 */
import { classifyTag } from '../decode/index.js';
import type { RepositoryState } from '../store/index.js';
import { repositoryFingerprint } from './fingerprint.js';

/** What the registry said: tag -> digest by HEAD, and the tags whose HEAD failed. */
export interface ResolvedTags {
  tags: Array<[string, string]>;
  failed: string[];
}

/** What to do with one repository. */
export interface RepositoryPlan {
  /** Every tag -> digest (a tag whose HEAD failed keeps its last known digest). */
  tags: Array<[string, string]>;
  /** The level-1 watermark to save; prefixed `incomplete:` when a HEAD failed. */
  fingerprint: string;
  /** Level 1: nothing changed since the last crawl. */
  unchanged: boolean;
  /** Level 2: version digests not indexed yet, with their tags. */
  fresh: Array<[string, string[]]>;
  /** Version digests already indexed. */
  known: string[];
  /** Subjects whose attachment tags (fallback index, cosign tags) appeared, moved or vanished. */
  attachmentSubjects: string[];
}

/**
 * Whether the repository's tags are read by manifest GET rather than HEAD: a repository the
 * index holds nothing of (no fingerprint, no tags) has every manifest to fetch, and a GET's
 * verified body and digest tell what a HEAD would, so the manifest is not fetched again. A
 * known repository is resolved by HEAD (a recrawl fetches nothing; on Docker Hub HEADs do not
 * count against pull limits). Both modes ask this (the queue's index writer answers it).
 */
export function isNewRepository(state: RepositoryState): boolean {
  return state.fingerprint === null && state.tags.size === 0;
}

/** Plans a repository from its stored state and its resolved tags. */
export function planRepository(
  previous: RepositoryState,
  resolved: ResolvedTags,
  hasDocument: (digest: string) => boolean,
): RepositoryPlan {
  const tags = new Map(resolved.tags);
  for (const tag of resolved.failed) {
    const last = previous.tags.get(tag);
    if (last !== undefined) tags.set(tag, last);
  }
  const fingerprint = repositoryFingerprint(tags);
  const incomplete = resolved.failed.length > 0;
  const fresh: Array<[string, string[]]> = [];
  const known: string[] = [];
  for (const [digest, versionTags] of versionsByDigest(tags)) {
    if (hasDocument(digest)) known.push(digest);
    else fresh.push([digest, versionTags]);
  }
  return {
    tags: [...tags],
    fingerprint: incomplete ? `incomplete:${fingerprint}` : fingerprint,
    unchanged: !incomplete && fingerprint === previous.fingerprint,
    fresh,
    known,
    attachmentSubjects: changedAttachmentSubjects(previous.tags, tags),
  };
}

/**
 * Subjects whose referrers to list after the fetches. With the referrers API a new referrer
 * changes no tag, so every indexed version; without it, what was fetched and what an
 * attachment tag points at changed. An unchanged repository lists them only with the API.
 */
export function referrerSubjects(plan: RepositoryPlan, fetched: readonly string[], referrersApi: boolean): Set<string> {
  if (plan.unchanged) return new Set(referrersApi ? [...plan.known, ...plan.fresh.map(([digest]) => digest)] : []);
  if (referrersApi) return new Set([...plan.known, ...fetched]);
  return new Set([...fetched, ...plan.attachmentSubjects]);
}

/** The fingerprint to save after the fetches: a failed item must not match next time. */
export function finalFingerprint(plan: Pick<RepositoryPlan, 'fingerprint'>, complete: boolean): string {
  return complete || plan.fingerprint.startsWith('incomplete:') ? plan.fingerprint : `incomplete:${plan.fingerprint}`;
}

/** Version tags grouped by digest (attachment tags such as `sha256-<hex>.sig` are not versions). */
function versionsByDigest(tags: ReadonlyMap<string, string>): Map<string, string[]> {
  const versions = new Map<string, string[]>();
  for (const [tag, digest] of tags) {
    if (classifyTag(tag).kind !== 'version') continue;
    versions.set(digest, [...(versions.get(digest) ?? []), tag]);
  }
  return versions;
}

function changedAttachmentSubjects(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const subjects = new Set<string>();
  for (const tag of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(tag) === after.get(tag)) continue;
    const kind = classifyTag(tag);
    if (kind.kind === 'attachment') subjects.add(kind.subject);
  }
  return [...subjects];
}
