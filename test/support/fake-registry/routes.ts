/**
 * HTTP routing of the fake registry: `/v2/` paths to catalog, tags, manifests, blobs and
 * referrers (with Link paging and Accept checks), `/token` to the authority, and the storage
 * origin that redirected blobs are served from.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeAuthority } from './auth.js';
import type { FakeContent } from './content.js';
import {
  json,
  OCI_INDEX,
  PAGE_NOT_FOUND,
  registryError,
  type Answer,
  type FakeRegistryOptions,
  type Repository,
} from './types.js';

/** The options routing reads (the registry's, defaults applied). */
export type RouteOptions = Required<Omit<FakeRegistryOptions, 'pageSize' | 'referrersPageSize' | 'auth'>> &
  Pick<FakeRegistryOptions, 'pageSize' | 'referrersPageSize'>;

/** Answers registry and storage requests from `content`, checked by `authority`. */
export class FakeRoutes {
  constructor(
    private readonly content: FakeContent,
    private readonly authority: FakeAuthority,
    private readonly options: RouteOptions,
    private readonly urls: { registry: () => string; storage: () => string },
  ) {}

  serveStorage(url: URL): Answer {
    const digest = /^\/blobs\/([^/]+)$/.exec(url.pathname)?.[1];
    for (const repository of this.content.repositories.values()) {
      const bytes = digest === undefined ? undefined : repository.blobs.get(digest);
      if (bytes) return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes };
    }
    return {
      status: 404,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from('<Error>NoSuchKey</Error>'),
    };
  }

  route(method: string, url: URL, headers: IncomingHttpHeaders, body: string): Answer {
    const path = url.pathname;
    if (path === '/token') return this.authority.serveToken(method, url, headers, body);
    if (path === '/v2/' || path === '/v2') return this.authority.authorize(headers, null) ?? json(200, {});
    if (path === '/v2/_catalog') {
      if (!this.options.catalog) return PAGE_NOT_FOUND;
      return this.authority.authorize(headers, 'registry:catalog:*') ?? this.serveCatalog(url);
    }
    const match = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+|referrers\/[^/]+)$/.exec(path);
    if (!match) return PAGE_NOT_FOUND;
    const [, name, rest] = match as unknown as [string, string, string];
    if (rest.startsWith('referrers/') && !this.options.referrersApi) return PAGE_NOT_FOUND;
    const denied = this.authority.authorize(headers, `repository:${name}:pull`);
    if (denied) return denied;
    const repository = this.content.repositories.get(name);
    if (!repository) return registryError(404, 'NAME_UNKNOWN', `repository name not known to registry`);
    if (rest === 'tags/list') return this.serveTags(name, repository, url);
    const [kind, reference] = rest.split('/') as [string, string];
    if (kind === 'manifests') return this.serveManifest(repository, reference, headers);
    if (kind === 'blobs') return this.serveBlob(repository, reference);
    return this.serveReferrers(name, reference, url);
  }

  private page<T>(
    items: T[],
    key: (item: T) => string,
    url: URL,
    pageSize: number | undefined,
  ): { items: T[]; link?: string } {
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
    return { items: page, link: `<${this.options.absoluteLinks ? this.urls.registry() : ''}${target}>; rel="next"` };
  }

  private serveCatalog(url: URL): Answer {
    const names = [...this.content.repositories.keys()].sort();
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
    return {
      status: 200,
      headers: { 'content-type': manifest.mediaType, 'docker-content-digest': digest },
      body: manifest.bytes,
    };
  }

  private serveBlob(repository: Repository, digest: string): Answer {
    const bytes = repository.blobs.get(digest);
    if (!bytes) return registryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry');
    if (this.options.redirectBlobs) {
      return {
        status: 307,
        headers: { location: `${this.urls.storage()}/blobs/${digest}?X-Amz-Signature=fake-signature` },
        body: Buffer.alloc(0),
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'docker-content-digest': digest },
      body: bytes,
    };
  }

  private serveReferrers(name: string, subject: string, url: URL): Answer {
    const artifactType = url.searchParams.get('artifactType');
    const filter = artifactType !== null && this.options.referrersFilter;
    const all = this.content
      .referrersOf(name, subject)
      .filter((descriptor) => !filter || descriptor.artifactType === artifactType);
    const page = this.page(all, (descriptor) => descriptor.digest, url, this.options.referrersPageSize);
    const headers: Record<string, string> = { 'content-type': OCI_INDEX };
    if (page.link) headers.link = page.link;
    if (filter) headers['oci-filters-applied'] = 'artifactType';
    return json(200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: page.items }, headers);
  }
}
