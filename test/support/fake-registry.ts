/**
 * An in-process, content-backed fake OCI registry on `node:http` (127.0.0.1, port 0) for tests.
 *
 * - Content: `putBlob`, `putManifest`, `pushArtifact`, `tag`; catalog and tags with Link paging.
 * - Manifests GET/HEAD with `Docker-Content-Digest`; only media types the `Accept` lists are served.
 * - Blobs, optionally by a 307 redirect to a second "storage" origin (`redirectBlobs`).
 * - Referrers API on/off; when off, `/referrers/` is a plain 404 and the tag schema
 *   (`sha256-<hex>` index) is maintained on push instead.
 * - Auth: none, Basic, or Bearer with a token endpoint at `/token` on the same server.
 * - Faults per path (`faults.add`): statuses, resets, truncated/stalled/chunked bodies, header
 *   overrides (lying digest, wrong Content-Type), replaced bodies, delays.
 * - Every request recorded (`requests`), token fetches too (`tokenRequests`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

export interface FakeDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'bearer';
      /** Credentials the token endpoint accepts (Basic); absent: anonymous only. */
      username?: string;
      password?: string;
      /** Whether anonymous token requests succeed; default: true when no username is set. */
      anonymous?: boolean;
      /** Refresh token accepted by `POST /token` (`grant_type=refresh_token`). */
      refreshToken?: string;
      /** `expires_in` of issued tokens; default 300. */
      expiresIn?: number;
      /** Realm as an absolute URL (default) or a relative path. */
      realm?: 'absolute' | 'relative';
      /** Which field carries the token; default both. */
      tokenField?: 'token' | 'access_token' | 'both';
    };

export interface FakeRegistryOptions {
  auth?: FakeAuth;
  /** Serve `/v2/<name>/referrers/<digest>`; default true. */
  referrersApi?: boolean;
  /** The referrers API filters by artifactType and says so; default true. */
  referrersFilter?: boolean;
  referrersPageSize?: number;
  /** Maintain `sha256-<hex>` referrers index tags on push; default: when the API is off. */
  referrersTagSchema?: boolean;
  /** Page size of catalog and tags when the client sends no `n`; default: everything. */
  pageSize?: number;
  /** Link headers as absolute URLs; default relative. */
  absoluteLinks?: boolean;
  /** Serve `/v2/_catalog`; default true. */
  catalog?: boolean;
  /** Answer blob GETs with a 307 to the storage origin. */
  redirectBlobs?: boolean;
  /** 404 a manifest whose media type the Accept header does not list; default true. */
  strictAccept?: boolean;
  /** A repository without tags lists `"tags": null` (default) or `[]`. */
  emptyTags?: 'null' | 'empty';
}

export interface Fault {
  method?: string;
  /** Exact pathname, or a RegExp tested against path + query. */
  path: string | RegExp;
  server?: 'registry' | 'storage';
  /** How many matching requests it applies to; default all. */
  times?: number;
  /** Wait before answering. */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Replace the answer: this status, `headers` and `body`. */
  status?: number;
  headers?: Record<string, string>;
  /** With `status`: the body; without: replaces the real body (headers kept). */
  body?: string | Uint8Array;
  /** Set (string) or remove (null) headers of the answer. */
  setHeaders?: Record<string, string | null>;
  /** Drop Content-Length (chunked transfer). */
  chunked?: boolean;
  /** Announce this Content-Length. */
  declaredLength?: number;
  /** Send half the body, then close the connection. */
  truncate?: boolean;
  /**
   * Send the headers and the body, then never finish the response: the announced Content-Length
   * is one byte more than sent (with `chunked`, the last chunk never comes).
   */
  stall?: boolean;
}

export interface RecordedRequest {
  server: 'registry' | 'storage';
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's port: equal ports mean a reused (keep-alive) connection. */
  remotePort: number | undefined;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  parsed: Record<string, any>;
}

interface Repository {
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

export function digestOf(bytes: Uint8Array | string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

function registryError(status: number, code: string, message: string, headers: Record<string, string> = {}): Answer {
  return json(status, { errors: [{ code, message, detail: null }] }, headers);
}

const PAGE_NOT_FOUND: Answer = { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('404 page not found\n') };

/** Fault list: `add` returns the fault with a live `hits` count. */
export class FaultList {
  private readonly faults: Array<Fault & { hits: number }> = [];

  add(fault: Fault): Fault & { hits: number } {
    const entry = { ...fault, hits: 0 };
    this.faults.push(entry);
    return entry;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** The first fault that applies to this request, counted as hit. */
  take(server: 'registry' | 'storage', method: string, url: URL): (Fault & { hits: number }) | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.times === undefined || candidate.hits < candidate.times) &&
        (candidate.server === undefined || candidate.server === server) &&
        (candidate.method === undefined || candidate.method === method) &&
        (typeof candidate.path === 'string' ? candidate.path === url.pathname : candidate.path.test(url.pathname + url.search)),
    );
    if (fault) fault.hits += 1;
    return fault;
  }
}

export class FakeRegistry {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultList();
  /** Most registry requests in flight at once. */
  maxInFlight = 0;
  /** TCP connections the registry origin accepted (keep-alive reuse keeps this low). */
  connections = 0;
  private inFlight = 0;
  private readonly repositories = new Map<string, Repository>();
  /** Listing entries as some writers shape them (see `shapeListing`), by referrer digest. */
  private readonly listingShapes = new Map<string, (entry: FakeDescriptor) => FakeDescriptor>();
  private readonly tokens = new Map<string, string[]>();
  private readonly options: Required<Omit<FakeRegistryOptions, 'pageSize' | 'referrersPageSize'>> &
    Pick<FakeRegistryOptions, 'pageSize' | 'referrersPageSize'>;

  private constructor(
    private readonly server: Server,
    private readonly storage: Server,
    options: FakeRegistryOptions,
  ) {
    const referrersApi = options.referrersApi ?? true;
    this.options = {
      auth: { kind: 'none' },
      referrersFilter: true,
      referrersTagSchema: !referrersApi,
      absoluteLinks: false,
      catalog: true,
      redirectBlobs: false,
      strictAccept: true,
      emptyTags: 'null',
      ...options,
      referrersApi,
    };
  }

  /** Starts a fake registry (and its storage origin) on ephemeral ports. */
  static async start(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
    let fake: FakeRegistry | undefined;
    const server = createServer((request, response) => void fake?.handle('registry', request, response));
    const storage = createServer((request, response) => void fake?.handle('storage', request, response));
    fake = new FakeRegistry(server, storage, options);
    server.on('connection', () => {
    fake.connections += 1;
  });
    await Promise.all([server, storage].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    return fake;
  }

  /** `127.0.0.1:<port>`, the registry name to give a client. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  get storageUrl(): string {
    return `http://127.0.0.1:${(this.storage.address() as AddressInfo).port}`;
  }

  /** Requests to the token endpoint. */
  get tokenRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/token'));
  }

  /** Recorded requests whose path (with query) starts with `prefix` or matches it. */
  requestsTo(match: string | RegExp, server: 'registry' | 'storage' = 'registry'): RecordedRequest[] {
    return this.requests.filter(
      (request) => request.server === server && (typeof match === 'string' ? request.path.startsWith(match) : match.test(request.path)),
    );
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Forgets every issued token (as if they expired server-side). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The `WWW-Authenticate` value the fake sends for `scope`. */
  bearerChallenge(scope?: string): string {
    const auth = this.options.auth;
    const realm = auth.kind === 'bearer' && auth.realm === 'relative' ? '/token' : `${this.url}/token`;
    return `Bearer realm="${realm}",service="fake-registry"${scope ? `,scope="${scope}"` : ''}`;
  }

  async close(): Promise<void> {
    for (const server of [this.server, this.storage]) server.closeAllConnections();
    await Promise.all([this.server, this.storage].map((s) => new Promise((resolve) => s.close(resolve))));
  }

  // ---- content ---------------------------------------------------------------------------

  private repository(name: string): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.repositories.set(name, repository);
    }
    return repository;
  }

  putBlob(repository: string, content: Uint8Array | string, algorithm: 'sha256' | 'sha512' = 'sha256'): { digest: string; size: number } {
    const bytes = Buffer.from(content);
    const digest = digestOf(bytes, algorithm);
    this.repository(repository).blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  }

  /** Stores a manifest (object, JSON text or bytes), optionally tagged. */
  putManifest(
    repository: string,
    manifest: object | string | Uint8Array,
    options: { mediaType?: string; tag?: string | string[]; algorithm?: 'sha256' | 'sha512' } = {},
  ): FakeDescriptor {
    const bytes = typeof manifest === 'string' || manifest instanceof Uint8Array ? Buffer.from(manifest) : Buffer.from(JSON.stringify(manifest));
    const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, any>;
    const mediaType = options.mediaType ?? parsed.mediaType ?? (Array.isArray(parsed.manifests) ? OCI_INDEX : OCI_MANIFEST);
    const digest = digestOf(bytes, options.algorithm);
    const target = this.repository(repository);
    target.manifests.set(digest, { bytes, mediaType, parsed });
    for (const tag of [options.tag ?? []].flat()) target.tags.set(tag, digest);
    const subject = parsed.subject?.digest;
    if (typeof subject === 'string' && this.options.referrersTagSchema) this.updateReferrersTag(repository, subject);
    return { mediaType, digest, size: bytes.length };
  }

  /** Builds and stores an OCI manifest from a config and layers (blobs stored too). */
  pushArtifact(
    repository: string,
    artifact: {
      tag?: string | string[];
      config?: object | string;
      configMediaType?: string;
      layers?: Array<{ mediaType: string; content: string | Uint8Array; annotations?: Record<string, string> }>;
      artifactType?: string;
      annotations?: Record<string, string>;
      subject?: FakeDescriptor;
    },
  ): FakeDescriptor {
    const configContent = artifact.config === undefined ? '{}' : typeof artifact.config === 'string' ? artifact.config : JSON.stringify(artifact.config);
    const config = { mediaType: artifact.configMediaType ?? OCI_EMPTY, ...this.putBlob(repository, configContent) };
    const layers = (artifact.layers ?? []).map((layer) => ({
      mediaType: layer.mediaType,
      ...this.putBlob(repository, layer.content),
      ...(layer.annotations ? { annotations: layer.annotations } : {}),
    }));
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      ...(artifact.artifactType ? { artifactType: artifact.artifactType } : {}),
      config,
      layers,
      ...(artifact.subject ? { subject: { mediaType: artifact.subject.mediaType, digest: artifact.subject.digest, size: artifact.subject.size } } : {}),
      ...(artifact.annotations ? { annotations: artifact.annotations } : {}),
    };
    return this.putManifest(repository, manifest, { tag: artifact.tag });
  }

  tag(repository: string, tag: string, digest: string): void {
    this.repository(repository).tags.set(tag, digest);
  }

  untag(repository: string, tag: string): void {
    this.repository(repository).tags.delete(tag);
  }

  /**
   * Lists the referrer `digest` as `shape` makes its entry (in API answers and tag-schema
   * indexes): a writer that drops annotations, says the empty type, or no artifactType.
   */
  shapeListing(digest: string, shape: (entry: FakeDescriptor) => FakeDescriptor): void {
    this.listingShapes.set(digest, shape);
  }

  /** Deletes a manifest and the tags pointing at it (as `DELETE /v2/<name>/manifests/<digest>`). */
  deleteManifest(repository: string, digest: string): void {
    const stored = this.repository(repository);
    stored.manifests.delete(digest);
    for (const [tag, tagged] of stored.tags) if (tagged === digest) stored.tags.delete(tag);
  }

  /** Referrer descriptors of `subject` in `repository`. */
  referrersOf(repository: string, subject: string): FakeDescriptor[] {
    const found: FakeDescriptor[] = [];
    for (const [digest, manifest] of this.repositories.get(repository)?.manifests ?? []) {
      if (manifest.parsed.subject?.digest !== subject) continue;
      const artifactType = manifest.parsed.artifactType ?? manifest.parsed.config?.mediaType;
      const entry: FakeDescriptor = {
        mediaType: manifest.mediaType,
        digest,
        size: manifest.bytes.length,
        ...(artifactType ? { artifactType } : {}),
        ...(manifest.parsed.annotations ? { annotations: manifest.parsed.annotations } : {}),
      };
      found.push(this.listingShapes.get(digest)?.(entry) ?? entry);
    }
    return found.sort((a, b) => a.digest.localeCompare(b.digest));
  }

  /** Rewrites the tag-schema index of `subject` (what `oras attach` does without the API). */
  updateReferrersTag(repository: string, subject: string): FakeDescriptor {
    const [algorithm, hex] = subject.split(':') as [string, string];
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: this.referrersOf(repository, subject) };
    return this.putManifest(repository, index, { tag: `${algorithm.slice(0, 32)}-${hex.slice(0, 64)}` });
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private async handle(server: 'registry' | 'storage', request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    this.requests.push({
      server,
      method,
      path: url.pathname + url.search,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      remotePort: request.socket.remotePort,
    });
    if (server === 'registry') this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    response.on('close', () => {
      if (server === 'registry') this.inFlight -= 1;
    });
    const fault = this.faults.take(server, method, url);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.reset) {
      request.socket.destroy();
      return;
    }
    let answer: Answer;
    if (fault?.status !== undefined) answer = { status: fault.status, headers: { ...fault.headers }, body: Buffer.from(fault.body ?? '') };
    else answer = server === 'storage' ? this.serveStorage(url) : this.route(method, url, request.headers, Buffer.concat(chunks).toString('utf8'));
    if (fault && fault.status === undefined && fault.body !== undefined) answer.body = Buffer.from(fault.body);
    this.send(response, answer, fault);
  }

  private send(response: ServerResponse, answer: Answer, fault: Fault | undefined): void {
    const headers: Record<string, string> = { ...answer.headers, 'content-length': String(answer.body.length) };
    for (const [name, value] of Object.entries(fault?.setHeaders ?? {})) {
      if (value === null) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    if (fault?.chunked) delete headers['content-length'];
    if (fault?.stall && headers['content-length'] !== undefined) headers['content-length'] = String(answer.body.length + 1);
    if (fault?.declaredLength !== undefined) headers['content-length'] = String(fault.declaredLength);
    response.writeHead(answer.status, headers);
    if (fault?.truncate) {
      response.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => response.socket?.destroy());
    } else if (fault?.stall) {
      response.write(answer.body);
    } else {
      response.end(answer.body);
    }
  }

  private serveStorage(url: URL): Answer {
    const digest = /^\/blobs\/([^/]+)$/.exec(url.pathname)?.[1];
    for (const repository of this.repositories.values()) {
      const bytes = digest === undefined ? undefined : repository.blobs.get(digest);
      if (bytes) return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes };
    }
    return { status: 404, headers: { 'content-type': 'application/xml' }, body: Buffer.from('<Error>NoSuchKey</Error>') };
  }

  private route(method: string, url: URL, headers: IncomingHttpHeaders, body: string): Answer {
    const path = url.pathname;
    if (path === '/token') return this.serveToken(method, url, headers, body);
    if (path === '/v2/' || path === '/v2') return this.authorize(headers, null) ?? json(200, {});
    if (path === '/v2/_catalog') {
      if (!this.options.catalog) return PAGE_NOT_FOUND;
      return this.authorize(headers, 'registry:catalog:*') ?? this.serveCatalog(url);
    }
    const match = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+|referrers\/[^/]+)$/.exec(path);
    if (!match) return PAGE_NOT_FOUND;
    const [, name, rest] = match as unknown as [string, string, string];
    if (rest.startsWith('referrers/') && !this.options.referrersApi) return PAGE_NOT_FOUND;
    const denied = this.authorize(headers, `repository:${name}:pull`);
    if (denied) return denied;
    const repository = this.repositories.get(name);
    if (!repository) return registryError(404, 'NAME_UNKNOWN', `repository name not known to registry`);
    if (rest === 'tags/list') return this.serveTags(name, repository, url);
    const [kind, reference] = rest.split('/') as [string, string];
    if (kind === 'manifests') return this.serveManifest(repository, reference, headers);
    if (kind === 'blobs') return this.serveBlob(repository, reference);
    return this.serveReferrers(name, reference, url);
  }

  private page<T>(items: T[], key: (item: T) => string, url: URL, pageSize: number | undefined): { items: T[]; link?: string } {
    const n = url.searchParams.get('n');
    const last = url.searchParams.get('last');
    const start = last === null ? 0 : items.findIndex((item) => key(item) > last);
    const remaining = start < 0 ? [] : items.slice(start);
    const size = n !== null ? Number(n) : (pageSize ?? remaining.length);
    const page = remaining.slice(0, size);
    if (page.length >= remaining.length || page.length === 0) return { items: page };
    const next = new URLSearchParams(url.searchParams);
    next.set('last', key(page[page.length - 1] as T));
    const target = `${url.pathname}?${next.toString()}`;
    return { items: page, link: `<${this.options.absoluteLinks ? this.url : ''}${target}>; rel="next"` };
  }

  private serveCatalog(url: URL): Answer {
    const names = [...this.repositories.keys()].sort();
    const page = this.page(names, (name) => name, url, this.options.pageSize);
    return json(200, { repositories: page.items }, page.link ? { link: page.link } : {});
  }

  private serveTags(name: string, repository: Repository, url: URL): Answer {
    const tags = [...repository.tags.keys()].sort();
    if (tags.length === 0) return json(200, { name, tags: this.options.emptyTags === 'null' ? null : [] });
    const page = this.page(tags, (tag) => tag, url, this.options.pageSize);
    return json(200, { name, tags: page.items }, page.link ? { link: page.link } : {});
  }

  private serveManifest(repository: Repository, reference: string, headers: IncomingHttpHeaders): Answer {
    const digest = reference.includes(':') ? reference : repository.tags.get(reference);
    const manifest = digest === undefined ? undefined : repository.manifests.get(digest);
    if (!manifest || digest === undefined) return registryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown');
    const accepted = (headers.accept ?? '').split(',').map((type) => type.split(';')[0]!.trim());
    if (this.options.strictAccept && !accepted.includes(manifest.mediaType) && !accepted.includes('*/*')) {
      return registryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown (not acceptable)');
    }
    return { status: 200, headers: { 'content-type': manifest.mediaType, 'docker-content-digest': digest }, body: manifest.bytes };
  }

  private serveBlob(repository: Repository, digest: string): Answer {
    const bytes = repository.blobs.get(digest);
    if (!bytes) return registryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry');
    if (this.options.redirectBlobs) {
      return { status: 307, headers: { location: `${this.storageUrl}/blobs/${digest}?X-Amz-Signature=fake-signature` }, body: Buffer.alloc(0) };
    }
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'docker-content-digest': digest }, body: bytes };
  }

  private serveReferrers(name: string, subject: string, url: URL): Answer {
    const artifactType = url.searchParams.get('artifactType');
    const filter = artifactType !== null && this.options.referrersFilter;
    const all = this.referrersOf(name, subject).filter((descriptor) => !filter || descriptor.artifactType === artifactType);
    const page = this.page(all, (descriptor) => descriptor.digest, url, this.options.referrersPageSize);
    const headers: Record<string, string> = { 'content-type': OCI_INDEX };
    if (page.link) headers.link = page.link;
    if (filter) headers['oci-filters-applied'] = 'artifactType';
    return json(200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: page.items }, headers);
  }

  // ---- auth ------------------------------------------------------------------------------

  /** null when allowed, else the 401 answer. */
  private authorize(headers: IncomingHttpHeaders, scope: string | null): Answer | null {
    const auth = this.options.auth;
    const authorization = headers.authorization ?? '';
    if (auth.kind === 'none') return null;
    if (auth.kind === 'basic') {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      if (authorization === expected) return null;
      return registryError(401, 'UNAUTHORIZED', 'authentication required', { 'www-authenticate': 'Basic realm="fake-registry"' });
    }
    const granted = authorization.startsWith('Bearer ') ? this.tokens.get(authorization.slice('Bearer '.length)) : undefined;
    if (granted && (scope === null || grants(granted, scope))) return null;
    return registryError(401, 'UNAUTHORIZED', 'authentication required', { 'www-authenticate': this.bearerChallenge(scope ?? undefined) });
  }

  private serveToken(method: string, url: URL, headers: IncomingHttpHeaders, body: string): Answer {
    const auth = this.options.auth;
    if (auth.kind !== 'bearer') return PAGE_NOT_FOUND;
    let scopes: string[];
    if (method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'refresh_token' || !auth.refreshToken || form.get('refresh_token') !== auth.refreshToken) {
        return registryError(401, 'UNAUTHORIZED', 'invalid refresh token');
      }
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    } else {
      const authorization = headers.authorization;
      const expected = auth.username ? `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}` : undefined;
      const anonymous = auth.anonymous ?? auth.username === undefined;
      if (authorization !== undefined ? authorization !== expected : !anonymous) {
        return registryError(401, 'UNAUTHORIZED', 'invalid credentials');
      }
      scopes = url.searchParams.getAll('scope');
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, scopes);
    const field = auth.tokenField ?? 'both';
    return json(200, {
      ...(field !== 'access_token' ? { token } : {}),
      ...(field !== 'token' ? { access_token: token } : {}),
      expires_in: auth.expiresIn ?? 300,
      issued_at: new Date().toISOString(),
    });
  }
}

/** Whether granted scopes cover `scope` (same resource, the action or `*`). */
function grants(granted: readonly string[], scope: string): boolean {
  const at = scope.lastIndexOf(':');
  const resource = scope.slice(0, at);
  const action = scope.slice(at + 1);
  return granted.some((candidate) => {
    const candidateAt = candidate.lastIndexOf(':');
    if (candidate.slice(0, candidateAt) !== resource) return false;
    const actions = candidate.slice(candidateAt + 1).split(',');
    return actions.includes(action) || actions.includes('*');
  });
}
