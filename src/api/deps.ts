/**
 * What the HTTP API needs from the rest of ocidex: its ports. The three service interfaces
 * (registry configuration, crawl coordination, push events) are implemented by embedded mode (in
 * process) and queue mode (BullMQ); the contracts they carry (`RegistryConfig`, `PushEvent`, ...)
 * are plain JSON declared in src/domain/registry.ts, so a queue can carry them and neither mode
 * needs the HTTP layer to know what a registry is.
 */
import type { IndexStore } from '../store/index.js';
import type { QueryService, SavedQuery } from '../query/index.js';
import type { CredentialPolicy } from '../registry/credential-sources.js';
import type { Metrics } from './metrics.js';
import type { CatalogFiles } from './catalog.js';
import type { CrawlTrigger, PushEvent, RegistryConfig, RegistryPatch } from '../domain/registry.js';
import type { IndexVersion } from './response-cache.js';

/**
 * Where registry configurations live. The API checks that an id is free before `create` and
 * known before `update`/`remove`; implementations still answer for races as documented.
 */
export interface RegistryConfigStore {
  /** Every configured registry, ordered by id. */
  list(): Promise<RegistryConfig[]>;
  /** The registry `id`, or null. */
  get(id: string): Promise<RegistryConfig | null>;
  /** Stores a new registry; rejects with OcidexError `invalid_argument` when the id is taken. */
  create(config: RegistryConfig): Promise<RegistryConfig>;
  /** Applies `patch` (already validated); resolves with the result, or null when `id` is unknown. */
  update(id: string, patch: RegistryPatch): Promise<RegistryConfig | null>;
  /** Removes the registry (not its indexed documents); false when `id` is unknown. */
  remove(id: string): Promise<boolean>;
}

/**
 * Starts crawls. Status and results are read from the index (`getRun`, `listRuns`,
 * `listErrors`), so the coordinator only needs to record the run before resolving.
 */
export interface CrawlCoordinator {
  /** Starts (embedded) or enqueues (queue mode) a crawl of the configured registry `registryId`. */
  start(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }>;
}

/**
 * Receives push notifications. Must be idempotent and order-insensitive: registries deliver at
 * least once and do not order their deliveries, so the API forwards every event as received.
 */
export interface PushEventSink {
  push(event: PushEvent): Promise<void>;
  remove(event: PushEvent): Promise<void>;
}

/** Readiness of the process's dependencies (index, queue, ...), by name. */
export type ReadinessCheck = () => Promise<{ ok: boolean; checks: Record<string, boolean> }>;

/** Where the API reports server errors (5xx). Never given secrets: no headers, no bodies. */
export interface ApiLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

/** Settings of the API; every limit has a default (see limits.ts). */
export interface ApiConfig {
  /** Bearer token of write endpoints (OCIDEX_ADMIN_TOKEN); without it writes are refused. */
  adminToken?: string;
  /** When set, read endpoints need this token or the admin token (OCIDEX_READ_TOKEN). */
  readToken?: string;
  /** Origins allowed to call the API from a browser; no CORS headers without it. */
  cors?: { origins: string[] };
  maxBodyBytes?: number;
  maxQueryLength?: number;
  requestTimeoutMs?: number;
  /** Shared secret of the registry notification endpoints (OCIDEX_EVENT_SECRET); per registry: eventSecretEnv. */
  eventSecret?: string;
  /** `/metrics` needs the read (or admin) token (OCIDEX_METRICS_REQUIRE_TOKEN=1); default open. */
  metricsRequireToken?: boolean;
  /** Which variables and files registry configurations may name; default credentialPolicyFromEnv(). */
  credentialPolicy?: CredentialPolicy;
  /** Where per-registry event secrets (eventSecretEnv) are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Everything `createApp` needs; tests pass their own. */
export interface ApiDeps {
  index: IndexStore;
  /** The query pool (QueryPool) in a service, or an engine in process (InProcessQueries). */
  queries: QueryService;
  savedQueries: SavedQuery[];
  registries: RegistryConfigStore;
  crawls: CrawlCoordinator;
  events: PushEventSink;
  readiness: ReadinessCheck;
  metrics: Metrics;
  config: ApiConfig;
  /** Where 5xx errors are reported; default: one JSON line on stderr. */
  logger?: ApiLogger;
  /**
   * The index's data version, which whole query responses are cached under (default: the SQLite
   * version of `index`'s connection, src/store/data-version.ts; null: no response cache).
   */
  indexVersion?: IndexVersion | null;
  /** The built catalog served at `/` (default: the build in dist/ui, read once; null: none). */
  catalog?: CatalogFiles | null;
}
