/**
 * The queues of queue mode and what their jobs carry. Every payload is plain JSON; registry
 * configurations hold credential variable NAMES only, so no secret ever reaches Redis (each
 * worker reads the values from its own environment).
 *
 * crawl ──children──> repository ──children──> manifest
 *   │                     │  ▲                    │
 *   └─ write: finish      └─ write: state,        └─ answers its documents; the repository's sync
 *                               plan, sync
 *                                                   writes them all in one transaction
 * schedule (job schedulers) -> the API process starts a crawl
 * event (push notifications, one at a time in arrival order: registry reads) -> write: event
 */
import type { PushEvent, RegistryConfig } from '../domain/registry.js';
import type { CrawlErrorRecord, CrawlSummary } from '../domain/crawl.js';
import type { ArtifactDocument, ReferrerSummary } from '../domain/document.js';
import type { EventAction } from '../crawl/apply-event.js';
import type { EventChange } from '../crawl/push-events.js';
import type { RepositoryOutcome } from '../crawl/repository-outcome.js';
import type { RepositoryPlan, ResolvedTags } from '../crawl/repository-plan.js';
import type { WireManifest } from './prefetched-wire.js';

export const QUEUE_NAMES = {
  crawl: 'ocidex-crawl',
  repository: 'ocidex-repository',
  manifest: 'ocidex-manifest',
  /** The only queue whose jobs touch SQLite; global concurrency 1. */
  write: 'ocidex-write',
  /** Push events' registry reads; global concurrency 1, so their writes keep arrival order. */
  event: 'ocidex-event',
  schedule: 'ocidex-schedule',
} as const;

export type QueueRole = keyof typeof QUEUE_NAMES;

/** Registry operations a job made (a listing counts once; the client's retries are not counted). */
export type RequestCounts = CrawlSummary['requests'];

/** What every crawl job knows of its crawl. */
export interface CrawlScope {
  runId: number;
  registryId: string;
  config: RegistryConfig;
  /** Canonical `host[:port]`, as documents name it. */
  registry: string;
  /** What the index knew of the referrers API when the crawl started (null: unknown). */
  referrersApi: boolean | null;
}

export interface CrawlJobData extends CrawlScope {
  step?: 'catalog' | 'finish' | 'done';
  startedAt: string;
  /** Set when the crawl failed as a whole (ping, catalog). */
  fatal?: CrawlSummary['fatal'];
  errors?: CrawlErrorRecord[];
  requests?: RequestCounts;
}

export interface RepositoryJobData extends CrawlScope {
  repository: string;
  step?: 'state' | 'resolve' | 'fetch' | 'referrers' | 'sync' | 'done';
  resolved?: ResolvedTags;
  /** Manifests read by GET per tag (a new repository) not handed to a manifest job yet. */
  prefetched?: WireManifest[];
  /** A sync handed over in chunks (sync-chunks.ts): what the final sync job needs. */
  chunked?: { chunks: number; outcome: RepositoryOutcome; errors: CrawlErrorRecord[]; complete: boolean };
  requests?: RequestCounts;
}

export interface ManifestJobData extends CrawlScope {
  repository: string;
  digest: string;
  tags: string[];
  /** The manifest, when the repository job already read it by tag (not fetched again). */
  manifest?: WireManifest;
}

/** A push event to read, with its registry's configuration (credential variable names only). */
export interface EventJobData {
  action: EventAction;
  event: PushEvent;
  config: RegistryConfig;
}

/** What a repository job answers its crawl. */
export interface RepositoryResult {
  repository: string;
  outcome: RepositoryOutcome | null;
  /** The repository failed as a whole (its tag list could not be read). */
  error: CrawlErrorRecord | null;
  referrersApi: boolean | null;
  requests: RequestCounts;
}

/** What a manifest job answers its repository: the documents to index, handed on in its sync. */
export interface ManifestResult {
  digest: string;
  ok: boolean;
  documents: ArtifactDocument[];
  errors: CrawlErrorRecord[];
  requests: RequestCounts;
}

/** The documents one fetched manifest came to (the writer counts them per manifest). */
export interface FetchedManifest {
  digest: string;
  documents: ArtifactDocument[];
}

/** Jobs of the write queue, by name. */
export interface WriteJobs {
  /** Whether the index knows the repository (a new one is read by GET per tag, not HEAD). */
  state: { registry: string; repository: string };
  plan: { runId: number; registry: string; repository: string; resolved: ResolvedTags; errors: CrawlErrorRecord[] };
  sync: {
    runId: number;
    registry: string;
    repository: string;
    /** Tags and fingerprint to save; null: an unchanged repository, only its referrers. */
    tags: Array<[string, string]> | null;
    fingerprint: string | null;
    referrers: Array<[string, ReferrerSummary[]]>;
    /** The documents of the repository's manifest jobs, written before the tags (none when chunked). */
    manifests: FetchedManifest[];
    /** Counts before the sync; the writer adds the documents it wrote to `manifestsNew`. */
    outcome: RepositoryOutcome;
    errors: CrawlErrorRecord[];
  };
  /** Part of a repository's sync too large for one job: documents and listings, no tags. */
  chunk: {
    runId: number;
    registry: string;
    repository: string;
    manifests: FetchedManifest[];
    referrers: Array<[string, ReferrerSummary[]]>;
  };
  finish: { runId: number; summary: CrawlSummary; referrersApi: boolean | null; errors: CrawlErrorRecord[] };
  /** What an event job read (null: it failed, `errors` say why), applied without a request. */
  event: { action: EventAction; event: PushEvent; change: EventChange | null; errors: CrawlErrorRecord[] };
}

export type WriteJobName = keyof WriteJobs;

/** What the write jobs answer. */
export interface WriteResults {
  state: { isNew: boolean };
  /** The plan, and the referrers the index recorded (a fetch worker fetches none of them again). */
  plan: RepositoryPlan & { knownReferrers?: Array<[string, ReferrerSummary]> };
  sync: RepositoryOutcome;
  /** Documents the chunk wrote (the final sync adds them to the outcome). */
  chunk: { written: number };
  finish: { status: CrawlSummary['status'] };
  event: { outcome: string };
}

/** Data of the jobs the schedulers make. */
export interface ScheduleJobData {
  registryId: string;
}

/**
 * A stable job id from its parts (`registry/repo@digest` style): the same work gets the same id,
 * so a retried step that adds its children again adds nothing twice. BullMQ ids cannot hold `:`.
 */
export function jobId(...parts: Array<string | number>): string {
  return parts.map(String).join('/').replaceAll(':', '%3A');
}
