/**
 * The fake registry's content: repositories of blobs, manifests and tags, referrer listings and
 * the referrers tag schema (`sha256-<hex>` indexes maintained on push). No HTTP here.
 */
import { digestOf, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST, type FakeDescriptor, type Repository } from './types.js';

/** Repositories by name, with the writes tests make and the reads the routes serve. */
export class FakeContent {
  /** Every repository by name (the routes read it). */
  readonly repositories = new Map<string, Repository>();
  /** Listing entries as some writers shape them (see `shapeListing`), by referrer digest. */
  private readonly listingShapes = new Map<string, (entry: FakeDescriptor) => FakeDescriptor>();

  /** `referrersTagSchema`: maintain `sha256-<hex>` referrers index tags on push. */
  constructor(private readonly referrersTagSchema: boolean) {}

  private repository(name: string): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.repositories.set(name, repository);
    }
    return repository;
  }

  putBlob(
    repository: string,
    content: Uint8Array | string,
    algorithm: 'sha256' | 'sha512' = 'sha256',
  ): { digest: string; size: number } {
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
    const bytes =
      typeof manifest === 'string' || manifest instanceof Uint8Array
        ? Buffer.from(manifest)
        : Buffer.from(JSON.stringify(manifest));
    const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, any>;
    const mediaType =
      options.mediaType ?? parsed.mediaType ?? (Array.isArray(parsed.manifests) ? OCI_INDEX : OCI_MANIFEST);
    const digest = digestOf(bytes, options.algorithm);
    const target = this.repository(repository);
    target.manifests.set(digest, { bytes, mediaType, parsed });
    for (const tag of [options.tag ?? []].flat()) target.tags.set(tag, digest);
    const subject = parsed.subject?.digest;
    if (typeof subject === 'string' && this.referrersTagSchema) this.updateReferrersTag(repository, subject);
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
    const configContent =
      artifact.config === undefined
        ? '{}'
        : typeof artifact.config === 'string'
          ? artifact.config
          : JSON.stringify(artifact.config);
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
      ...(artifact.subject
        ? {
            subject: {
              mediaType: artifact.subject.mediaType,
              digest: artifact.subject.digest,
              size: artifact.subject.size,
            },
          }
        : {}),
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
}
