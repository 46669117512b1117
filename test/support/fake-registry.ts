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
 *
 * By concern, in fake-registry/: content (`content.ts`), HTTP routing (`routes.ts`), auth
 * (`auth.ts`), faults (`faults.ts`); this file starts the servers and records requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAuthority } from './fake-registry/auth.js';
import { FakeContent } from './fake-registry/content.js';
import { FaultList, sendAnswer } from './fake-registry/faults.js';
import { FakeRoutes } from './fake-registry/routes.js';
import type { Answer, FakeRegistryOptions, RecordedRequest } from './fake-registry/types.js';

export { FaultList } from './fake-registry/faults.js';
export {
  digestOf,
  OCI_EMPTY,
  OCI_INDEX,
  OCI_MANIFEST,
  type FakeAuth,
  type FakeDescriptor,
  type FakeRegistryOptions,
  type Fault,
  type RecordedRequest,
} from './fake-registry/types.js';

/** The fake: content writes (inherited), recorded requests, faults, auth, two servers. */
export class FakeRegistry extends FakeContent {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultList();
  /** Most registry requests in flight at once. */
  maxInFlight = 0;
  /** TCP connections the registry origin accepted (keep-alive reuse keeps this low). */
  connections = 0;
  private inFlight = 0;
  private readonly authority: FakeAuthority;
  private readonly routes: FakeRoutes;

  private constructor(
    private readonly server: Server,
    private readonly storage: Server,
    options: FakeRegistryOptions,
  ) {
    const referrersApi = options.referrersApi ?? true;
    const { auth = { kind: 'none' }, ...rest } = options;
    const resolved = {
      referrersFilter: true,
      referrersTagSchema: !referrersApi,
      absoluteLinks: false,
      catalog: true,
      redirectBlobs: false,
      strictAccept: true,
      emptyTags: 'null' as const,
      ...rest,
      referrersApi,
    };
    super(resolved.referrersTagSchema);
    this.authority = new FakeAuthority(auth, () => this.url);
    this.routes = new FakeRoutes(this, this.authority, resolved, {
      registry: () => this.url,
      storage: () => this.storageUrl,
    });
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
      (request) =>
        request.server === server &&
        (typeof match === 'string' ? request.path.startsWith(match) : match.test(request.path)),
    );
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Forgets every issued token (as if they expired server-side). */
  revokeTokens(): void {
    this.authority.revokeTokens();
  }

  /** The `WWW-Authenticate` value the fake sends for `scope`. */
  bearerChallenge(scope?: string): string {
    return this.authority.bearerChallenge(scope);
  }

  async close(): Promise<void> {
    for (const server of [this.server, this.storage]) server.closeAllConnections();
    await Promise.all([this.server, this.storage].map((s) => new Promise((resolve) => s.close(resolve))));
  }

  private async handle(
    server: 'registry' | 'storage',
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
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
    if (fault?.status !== undefined)
      answer = { status: fault.status, headers: { ...fault.headers }, body: Buffer.from(fault.body ?? '') };
    else
      answer =
        server === 'storage'
          ? this.routes.serveStorage(url)
          : this.routes.route(method, url, request.headers, Buffer.concat(chunks).toString('utf8'));
    if (fault && fault.status === undefined && fault.body !== undefined) answer.body = Buffer.from(fault.body);
    sendAnswer(response, answer, fault);
  }
}
