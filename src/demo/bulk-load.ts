/**
 * The bulk set of bulk.ts written straight into a registry's filesystem storage
 * (registry-storage.ts) instead of pushed over HTTP: the same blobs, manifests and tags, so a
 * registry started on the directory afterwards serves what `pushBulkModels` would have pushed
 * (test/integration/bulk-load.test.ts compares the two). For the scale benchmark: 100,000
 * manifests in about a minute instead of half an hour. No signatures (theirs are not
 * reproducible anyway: ECDSA signs with a random nonce).
 */
import type { BulkOptions, BulkResult } from './bulk.js';
import { bulkManifests, bulkModelBytes, bulkRepositoryNames } from './bulk.js';
import { RegistryStorageWriter } from './registry-storage.js';

/** What the loader takes: the pusher's options without signing or concurrency. */
export type BulkLoadOptions = Omit<BulkOptions, 'sign' | 'concurrency'> & {
  /** Called every `every` manifests written (a benchmark's progress line). */
  onProgress?: { every: number; report(written: number): void };
};

/**
 * Writes the bulk set into `storageDir` (the registry's `filesystem.rootdirectory`); call it
 * before the registry starts.
 */
export function loadBulkModels(storageDir: string, options: BulkLoadOptions): BulkResult {
  const storage = new RegistryStorageWriter(storageDir);
  const repositories = bulkRepositoryNames(options);
  const digests: string[] = [];
  let manifests = 0;
  for (const repository of repositories) storage.putBlob(repository, bulkModelBytes(repository));
  for (const { repository, tag, artifact } of bulkManifests(options)) {
    if (artifact.config !== null) storage.putBlob(repository, artifact.config);
    for (const layer of artifact.layers) storage.putBlob(repository, layer);
    const digest = storage.putManifest(repository, artifact.bytes, tag);
    digests.push(digest);
    manifests += 1;
    const progress = options.onProgress;
    if (progress !== undefined && manifests % progress.every === 0) progress.report(manifests);
  }
  return { manifests, repositories, digests, signed: 0 };
}
