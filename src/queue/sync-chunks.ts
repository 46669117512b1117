/**
 * A repository's `sync` payload, bounded: its documents and referrer listings go to the index
 * writer in chunks of at most `bytes` of JSON (a single item larger than that is a chunk of its
 * own) and `documents` documents, each a write job of its own, so no job payload (in Redis, and
 * in the writer's memory) grows with the repository. The chunks stay one logical sync: the
 * tags and the fingerprint are saved by the final sync job, only after every chunk answered.
 */
import type { ReferrerSummary } from '../domain/document.js';
import type { FetchedManifest } from './jobs.js';

export interface SyncChunkLimits {
  /** JSON bytes of one chunk's documents and listings. */
  bytes: number;
  /** Documents of one chunk. */
  documents: number;
}

export const SYNC_CHUNK: SyncChunkLimits = { bytes: 1024 * 1024, documents: 500 };

/** One write job's share of a repository's sync. */
export interface SyncChunk {
  manifests: FetchedManifest[];
  referrers: Array<[string, ReferrerSummary[]]>;
}

/** Splits the documents and listings into chunks within `limits`; one chunk when they fit. */
export function syncChunks(
  manifests: readonly FetchedManifest[],
  referrers: ReadonlyArray<[string, ReferrerSummary[]]>,
  limits: SyncChunkLimits = SYNC_CHUNK,
): SyncChunk[] {
  const chunks: SyncChunk[] = [];
  let current: SyncChunk = { manifests: [], referrers: [] };
  let bytes = 0;
  let documents = 0;
  const add = (item: unknown, count: number, put: (chunk: SyncChunk) => void): void => {
    const size = Buffer.byteLength(JSON.stringify(item));
    const empty = current.manifests.length === 0 && current.referrers.length === 0;
    if (!empty && (bytes + size > limits.bytes || documents + count > limits.documents)) {
      chunks.push(current);
      current = { manifests: [], referrers: [] };
      bytes = documents = 0;
    }
    put(current);
    bytes += size;
    documents += count;
  };
  for (const manifest of manifests) add(manifest, manifest.documents.length, (chunk) => chunk.manifests.push(manifest));
  for (const listing of referrers) add(listing, 0, (chunk) => chunk.referrers.push(listing));
  chunks.push(current);
  return chunks;
}
