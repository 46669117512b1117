/**
 * The fast bulk loader (src/demo/bulk-load.ts) against the real docker-registry: a set written
 * straight into the filesystem storage before the registry starts is served exactly as the same
 * set pushed over HTTP by `pushBulkModels` (same files on disk, catalog, tags, manifests by tag
 * and by digest, blobs, and the same crawl result).
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { loadBulkModels } from '../../src/demo/bulk-load.js';
import { pushBulkModels } from '../../src/demo/bulk.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { MANIFEST_ACCEPT } from '../../src/domain/oci.js';
import type { ImageManifest } from '../../src/domain/oci.js';
import { RegistryClient } from '../../src/registry/index.js';
import { logicalIndex } from '../support/logical-index.js';
import { tempIndex } from '../support/temp-index.js';

const SET = { repositories: 3, tagsPerRepository: 4, seed: 7, prefix: 'load/m-' };

let pushed: RunningRegistry;
let loaded: RunningRegistry;
let loadedDir: string;
let digests: string[];

beforeAll(async () => {
  pushed = await startRegistry();
  const pusher = new Pusher(pushed.url);
  await pushBulkModels(pusher, { ...SET, concurrency: 4 }).finally(() => pusher.close());
  loadedDir = mkdtempSync(join(tmpdir(), 'ocidex-bulk-load-'));
  digests = loadBulkModels(join(loadedDir, 'storage'), SET).digests;
  loaded = await startRegistry({ storageDir: join(loadedDir, 'storage') });
});

afterAll(async () => {
  await pushed?.stop();
  await loaded?.stop();
  if (loadedDir !== undefined) rmSync(loadedDir, { recursive: true, force: true });
});

async function get(registry: RunningRegistry, path: string, method: 'GET' | 'HEAD' = 'GET') {
  const response = await request(`${registry.url}${path}`, { method, headers: { accept: MANIFEST_ACCEPT.join(', ') } });
  const body = Buffer.from(await response.body.arrayBuffer()).toString('utf8');
  const { 'content-type': type, 'docker-content-digest': digest, 'content-length': length } = response.headers;
  return { status: response.statusCode, type, digest, length, body };
}

/** Both registries' answers to `path`, the pushed one first. */
async function both(path: string, method: 'GET' | 'HEAD' = 'GET') {
  return Promise.all([get(pushed, path, method), get(loaded, path, method)]);
}

function sortedTags(body: string): string[] {
  return [...((JSON.parse(body) as { tags: string[] }).tags ?? [])].sort();
}

/** Every file under a storage root (an HTTP push leaves only empty `_uploads` dirs besides). */
function files(root: string): Record<string, string> {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const paths = entries.map((entry) => join(entry.parentPath, entry.name));
  return Object.fromEntries(paths.map((path) => [relative(root, path), readFileSync(path).toString('base64')]).sort());
}

describe('loadBulkModels', () => {
  it('writes the files an HTTP push of the same set leaves in the storage directory', () => {
    const written = files(loaded.storageDir);
    expect(Object.keys(written)).toHaveLength(3 + 3 * 4 * 2 + 3 + 3 * 4 * 4);
    expect(written).toEqual(files(pushed.storageDir));
  });

  it('is served the same: catalog, tags, manifests by tag and digest, config and layer blobs', async () => {
    const [catalogPushed, catalogLoaded] = await both('/v2/_catalog');
    expect(JSON.parse(catalogLoaded.body)).toEqual({ repositories: ['load/m-0001', 'load/m-0002', 'load/m-0003'] });
    expect(catalogLoaded).toEqual(catalogPushed);
    let manifestIndex = 0;
    for (const repository of ['load/m-0001', 'load/m-0002', 'load/m-0003']) {
      // distribution 2.8 lists tags in directory order: compared sorted.
      const tagLists = await both(`/v2/${repository}/tags/list`);
      const [tagsPushed, tagsLoaded] = tagLists.map(({ body, ...rest }) => ({ ...rest, tags: sortedTags(body) }));
      expect(tagsLoaded).toMatchObject({ status: 200, tags: ['v1', 'v2', 'v3', 'v4'] });
      expect(tagsLoaded).toEqual(tagsPushed);
      for (const tag of ['v1', 'v2', 'v3', 'v4']) {
        const digest = digests[manifestIndex++];
        const byTag = await both(`/v2/${repository}/manifests/${tag}`);
        expect(byTag[1]).toMatchObject({ status: 200, digest, type: 'application/vnd.oci.image.manifest.v1+json' });
        expect(byTag[1]).toEqual(byTag[0]);
        const byDigest = await both(`/v2/${repository}/manifests/${digest}`);
        expect(byDigest[1]).toEqual(byTag[1]);
        const head = await both(`/v2/${repository}/manifests/${tag}`, 'HEAD');
        expect(head[1]).toMatchObject({ status: 200, digest });
        expect(head[1]).toEqual(head[0]);
        const manifest = JSON.parse(byTag[1].body) as ImageManifest;
        for (const blob of [manifest.config, ...manifest.layers]) {
          const [blobPushed, blobLoaded] = await both(`/v2/${repository}/blobs/${blob.digest}`);
          expect(blobLoaded).toMatchObject({ status: 200, digest: blob.digest, length: String(blob.size) });
          expect(blobLoaded).toEqual(blobPushed);
        }
      }
    }
  });

  it('a blob of another repository is not served from this one (links are per repository)', async () => {
    const [pushedAnswer, loadedAnswer] = await both(`/v2/load/m-0002/manifests/${digests[0]}`);
    expect(loadedAnswer.status).toBe(404);
    expect(loadedAnswer).toEqual(pushedAnswer);
  });

  it('crawls into the same index as the pushed set', async () => {
    const crawl = async (registry: RunningRegistry) => {
      const temp = tempIndex();
      const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
      try {
        const summary = await crawlRegistry(client, temp.index);
        return { summary, index: JSON.stringify(logicalIndex(temp.index)).replaceAll(registry.host, 'HOST') };
      } finally {
        await client.close();
        temp.cleanup();
      }
    };
    const [fromPush, fromLoad] = [await crawl(pushed), await crawl(loaded)];
    expect(fromLoad.summary.counts).toMatchObject({ repositories: 3, manifestsNew: 12, errors: 0 });
    expect(fromLoad.summary.counts).toEqual(fromPush.summary.counts);
    expect(fromLoad.index).toEqual(fromPush.index);
  });
});
