/**
 * The registry client (oras-go `registry/remote.Repository`): builds URLs and checks responses.
 * The HTTP stack under it is built by wrapping: transport <- retry <- auth <- redirects.
 */
import { Agent, type Dispatcher } from 'undici';
import { OcidexError, type ErrorDetails } from '../domain/errors.js';
import type { Descriptor, FetchedManifest } from '../domain/oci.js';
import { withAuth } from './auth.js';
import { getBlob } from './blobs.js';
import type { OperationContext } from './context.js';
import type { ReferrersOptions } from './interfaces.js';
import { secretsOf, type Credentials } from './credentials.js';
import { parseDigest } from './digest.js';
import { loadDockerCredentials } from './docker-config.js';
import { EgressGuard, egressPolicyFromEnv, type EgressPolicy } from './egress.js';
import { discardBody, type Send } from './exchange.js';
import { guardedConnector } from './guarded-connect.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_BLOB_BYTES,
  DEFAULT_MAX_MANIFEST_BYTES,
  DEFAULT_MAX_PAGES,
  DEFAULT_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
} from './limits.js';
import { listCatalog, listRepositoryTags } from './listing.js';
import { getManifest, headManifest, type ResolvedManifest } from './manifests.js';
import { SecretRedactor } from './redact.js';
import { withRedirects } from './redirect.js';
import { referrersFromApi, referrersFromTag } from './referrers.js';
import { assertRepository, assertTagOrDigest } from './reference.js';
import { errorFromResponse } from './registry-errors.js';
import { withRetry } from './retry.js';
import { retryPolicy, type RetryPolicy } from './retry-policy.js';
import { canonicalRegistry, resolveBaseUrl } from './scheme.js';
import { createRequestStats, type RequestStats } from './stats.js';
import type { RequestRateLimiter } from './throttle.js';
import { createTransport, type TransportOptions } from './transport.js';

/** Options of a RegistryClient; everything but `registry` has a default. */
export interface RegistryClientOptions {
  /** `host[:port]`, `http://host:port` or `https://host`. */
  registry: string;
  /** Force plain HTTP. */
  plainHttp?: boolean;
  /** Explicit credentials (flags, environment); else looked up in the Docker config. */
  credentials?: Credentials;
  /** Default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`; null: never read. */
  dockerConfigPath?: string | null;
  /** Requests in flight to this registry; default 8. */
  concurrency?: number;
  /** Optional token-bucket rate limit. */
  requestsPerSecond?: number;
  /** Optional rate limiter used instead of `requestsPerSecond`, e.g. shared by all workers. */
  rateLimiter?: RequestRateLimiter;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Default DEFAULT_MAX_MANIFEST_BYTES (4 MiB). */
  maxManifestBytes?: number;
  /** Default DEFAULT_MAX_BLOB_BYTES (1 MiB), for metadata blobs. */
  maxBlobBytes?: number;
  /** Page cap of catalog, tags and referrers listings; default 10 000. */
  maxPages?: number;
  /** `n` sent on listings; default none. */
  pageSize?: number;
  /**
   * Tests may inject one; default one keep-alive Agent per client, whose connections follow the
   * egress policy (an injected dispatcher is not checked).
   */
  dispatcher?: Dispatcher;
  /** CIDRs allowed / denied beyond the default egress policy; default OCIDEX_EGRESS_ALLOW / _DENY. */
  egress?: EgressPolicy;
  /** Told of every request's outcome (the service's registry-request metrics). */
  onOutcome?: TransportOptions['onOutcome'];
}

/**
 * The client's keep-alive Agent; every connection it opens follows the egress policy. HTTP/1.1
 * only (no `allowH2`): at most `concurrency` requests are in flight per registry anyway, so kept
 * connections already reach the concurrency bound (bench:crawl --rtt, --tls), and undici's HTTP/2
 * is off by default and untested here against a registry's HTTP/2.
 */
function guardedAgent(egress: EgressPolicy, concurrency: number, timeoutMs: number): Agent {
  const connect = guardedConnector(new EgressGuard(egress), timeoutMs);
  return new Agent({ connections: concurrency, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connect });
}

/** Context added to errors leaving the client. */
type ErrorContext = Pick<ErrorDetails, 'repository' | 'reference'>;

/**
 * A client of one registry: keep-alive pooled connections, per-registry concurrency and rate,
 * auth, retries, limits and checks on everything fetched. Errors are OcidexErrors with a stable
 * `code`, `details.status` and `details.transient`, and never contain credentials.
 */
export class RegistryClient {
  /** Canonical `host[:port]` used in references. */
  readonly registry: string;
  /** `http(s)://host[:port]` */
  readonly baseUrl: string;
  /** Every HTTP request sent, retries, redirects and token fetches included. */
  readonly stats: RequestStats = createRequestStats();
  /** What was learned: true the referrers API works, false use the tag schema, null unknown. */
  referrersApi: boolean | null = null;

  private readonly context: OperationContext;
  private readonly redactor = new SecretRedactor();
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private closing: Promise<void> | undefined;

  constructor(options: RegistryClientOptions) {
    this.registry = canonicalRegistry(options.registry);
    this.baseUrl = resolveBaseUrl(options.registry, options.plainHttp);
    const credentials = options.credentials ?? loadDockerCredentials(this.registry, options.dockerConfigPath);
    for (const secret of secretsOf(credentials)) this.redactor.add(secret);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? guardedAgent(options.egress ?? egressPolicyFromEnv(), concurrency, timeoutMs);
    this.context = {
      send: this.buildStack(options, credentials, timeoutMs, concurrency),
      baseUrl: this.baseUrl,
      limits: {
        maxManifestBytes: options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES,
        maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES,
        maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
        pageSize: options.pageSize,
      },
    };
  }

  private buildStack(
    options: RegistryClientOptions,
    credentials: Credentials | undefined,
    timeoutMs: number,
    concurrency: number,
  ): Send {
    const transport = createTransport({
      dispatcher: this.dispatcher,
      stats: this.stats,
      timeoutMs,
      concurrency,
      requestsPerSecond: options.requestsPerSecond,
      onOutcome: options.onOutcome,
      rateLimiter: options.rateLimiter,
    });
    const retrying = withRetry(transport, { policy: retryPolicy(options.retry), stats: this.stats });
    const authenticated = withAuth(retrying, {
      registryOrigin: new URL(this.baseUrl).origin,
      credentials,
      redactor: this.redactor,
    });
    return withRedirects(authenticated);
  }

  /** `GET /v2/`: `unreachable` when the registry cannot be reached, `unauthorized` for bad credentials. */
  ping(signal?: AbortSignal): Promise<void> {
    const request = {
      method: 'GET' as const,
      url: new URL('/v2/', this.baseUrl),
      operation: 'ping' as const,
      scopes: [],
      signal,
    };
    return this.guard({}, () =>
      this.context.send(request, async (response) => {
        if (response.status < 200 || response.status >= 300) throw await errorFromResponse(response);
        await discardBody(response);
      }),
    );
  }

  /** Repository names; `unsupported` when the registry has no catalog (404, 405, 401 after auth). */
  catalog(options: { signal?: AbortSignal } = {}): AsyncIterable<string> {
    return this.guardIterable({}, () => listCatalog(this.context, options.signal));
  }

  /** Tags of a repository (`tags: null` gives none); `name_unknown` for a missing repository. */
  listTags(repository: string, options: { signal?: AbortSignal } = {}): AsyncIterable<string> {
    return this.guardIterable({ repository }, () => {
      assertRepository(repository);
      return listRepositoryTags(this.context, repository, options.signal);
    });
  }

  /** Digest, media type and size of a manifest by HEAD (GET when HEAD says too little); null on 404. */
  resolveManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ResolvedManifest | null> {
    return this.guard({ repository, reference }, () => {
      assertRepository(repository);
      assertTagOrDigest(reference);
      return headManifest(this.context, repository, reference, signal);
    });
  }

  /** A manifest, size-capped, digest-verified and type-checked. */
  fetchManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    return this.guard({ repository, reference }, () => {
      assertRepository(repository);
      assertTagOrDigest(reference);
      return getManifest(this.context, repository, reference, signal);
    });
  }

  /** A blob (default cap `maxBlobBytes`), digest- and size-verified. */
  fetchBlob(
    repository: string,
    descriptor: { digest: string; size?: number },
    options: { maxBytes?: number; signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
    return this.guard({ repository, reference: descriptor.digest }, () => {
      assertRepository(repository);
      return getBlob(this.context, repository, { ...descriptor, ...options });
    });
  }

  /**
   * Referrers of `subjectDigest`, by the API or the tag schema, remembering which one works.
   * `options.fetchTag` reads the fallback tag instead of a GET by tag (the crawl fetches it by
   * the digest its tag list gave, or hands out the manifest it already read).
   */
  listReferrers(repository: string, subjectDigest: string, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    return this.guard({ repository, reference: subjectDigest }, async () => {
      assertRepository(repository);
      if (parseDigest(subjectDigest) === null) {
        throw new OcidexError('invalid_reference', `not a digest: ${subjectDigest.slice(0, 100)}`);
      }
      const { fetchTag, ...rest } = options;
      const query = { repository, subject: subjectDigest, ...rest };
      if (this.referrersApi !== false) {
        const found = await referrersFromApi(this.context, query);
        this.referrersApi = found !== null;
        if (found !== null) return found;
      }
      return referrersFromTag(
        fetchTag ?? ((name, reference, signal) => getManifest(this.context, name, reference, signal)),
        query,
      );
    });
  }

  /** Closes the pooled connections (an injected dispatcher is the caller's to close). */
  close(): Promise<void> {
    if (!this.ownsDispatcher) return Promise.resolve();
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }

  /** Runs `work`; errors leave with context and without secrets. */
  private async guard<T>(context: ErrorContext, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.outgoing(error, context);
    }
  }

  private async *guardIterable<T>(context: ErrorContext, make: () => AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* make();
    } catch (error) {
      throw this.outgoing(error, context);
    }
  }

  private outgoing(error: unknown, context: ErrorContext): OcidexError {
    const clean = this.redactor.error(error);
    const details = clean.details;
    details.registry ??= this.registry;
    if (context.repository !== undefined) details.repository ??= context.repository;
    if (context.reference !== undefined) details.reference ??= context.reference;
    return clean;
  }
}
