/**
 * Many small, distinct omlmd manifests pushed fast, for the crawl benchmark (>= 2,000
 * manifests). The model layer is shared by all tags of a repository; each tag has its own
 * metadata (config) blob, so every manifest digest differs. Values are seeded: reproducible.
 */
import type { KeyObject } from 'node:crypto';
import { descriptorOf, EMPTY_CONFIG } from './artifact.js';
import { fillerBytes, seededRandom } from './bytes.js';
import type { Pusher } from './pusher.js';
import type { SampleArtifact } from './artifact.js';
import { attachReferrer } from './samples.js';
import { omlmdArtifact } from './samples-omlmd.js';
import { cosignKeySignature } from './samples-signing.js';

const BULK_LICENSES = ['Apache-2.0', 'MIT', 'BSD-3-Clause', 'CC-BY-4.0', 'GPL-3.0-only'];
const BULK_FORMATS = ['onnx', 'safetensors', 'pytorch', 'joblib'];

export interface BulkOptions {
  repositories: number;
  tagsPerRepository: number;
  /** Manifests pushed at once (default 8). */
  concurrency?: number;
  /** Seeds accuracy, licenses and formats (default 1). */
  seed?: number;
  /** Repository name prefix (default `bulk/model-`). */
  prefix?: string;
  /**
   * Sign every `every`-th manifest with `key`: a cosign key signature attached as an OCI 1.1
   * referrer (tag-schema fallback index on a registry without the referrers API).
   */
  sign?: { key: KeyObject; every: number; registry: string };
}

export interface BulkResult {
  manifests: number;
  repositories: string[];
  /** Digest of every manifest pushed, in push order per task. */
  digests: string[];
  /** How many were signed. */
  signed: number;
}

/** One manifest of a bulk set: where it goes and its artifact (the same bytes whichever loader writes them). */
export interface BulkManifest {
  repository: string;
  tag: string;
  /** Its place in push order (repositories in order, tags v1..vN within each). */
  index: number;
  artifact: SampleArtifact;
}

/** The repository names of a bulk set: `<prefix>0001`, `<prefix>0002`, ... */
export function bulkRepositoryNames(options: Pick<BulkOptions, 'repositories' | 'prefix'>): string[] {
  const prefix = options.prefix ?? 'bulk/model-';
  return Array.from({ length: options.repositories }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

/**
 * The manifests of a bulk set in push order, made one at a time (a loader of 100,000 need not
 * hold them). The seeded values are drawn in this order, so every loader writes the same digests.
 */
export function* bulkManifests(options: Omit<BulkOptions, 'sign' | 'concurrency'>): Generator<BulkManifest> {
  const random = seededRandom(options.seed ?? 1);
  const perRepository = options.tagsPerRepository;
  let index = 0;
  for (const repository of bulkRepositoryNames(options)) {
    for (let t = 0; t < perRepository; t++, index++) {
      const tag = `v${t + 1}`;
      yield { repository, tag, index, artifact: bulkArtifact(repository, tag, random) };
    }
  }
}

/** The model layer every tag of `repository` shares. */
export function bulkModelBytes(repository: string): Uint8Array {
  return fillerBytes(`bulk:${repository}`, 256);
}

/** Pushes `repositories` x `tagsPerRepository` omlmd models (tags v1..vN) over HTTP. */
export async function pushBulkModels(pusher: Pusher, options: BulkOptions): Promise<BulkResult> {
  const repositories = bulkRepositoryNames(options);
  // The shared model layer first, once per repository, so the tag pushes never race for it.
  await runPool(repositories, options.concurrency ?? 8, async (repository) => {
    await pusher.pushBlob(repository, bulkModelBytes(repository));
    // Every signature shares the empty config: pushed once, so concurrent signs never race for it
    // (distribution answers a HEAD of a blob being committed with 500).
    if (options.sign !== undefined) await pusher.pushBlob(repository, EMPTY_CONFIG.bytes);
  });
  const tasks = [...bulkManifests(options)];
  const digests = new Array<string>(tasks.length);
  let signed = 0;
  await runPool(tasks, options.concurrency ?? 8, async (task) => {
    const { artifact } = task;
    if (artifact.config === null) return;
    // The config is new by construction: skip its HEAD. The model layer is known already.
    await pusher.pushBlob(task.repository, artifact.config, { checkExisting: false });
    for (const layer of artifact.layers) await pusher.pushBlob(task.repository, layer);
    const pushed = await pusher.pushManifest(task.repository, task.tag, artifact.bytes, artifact.mediaType);
    digests[task.index] = pushed.digest;
    const { sign } = options;
    if (sign !== undefined && task.index % sign.every === 0) {
      const reference = `${sign.registry}/${task.repository}:${task.tag}`;
      const signature = cosignKeySignature(descriptorOf(artifact), reference, sign.key, { referrer: true });
      await attachReferrer(pusher, task.repository, pushed.digest, signature.artifact);
      signed += 1;
    }
  });
  return { manifests: tasks.length, repositories, digests, signed };
}

function bulkArtifact(repository: string, tag: string, random: () => number): SampleArtifact {
  const accuracy = Math.round((0.6 + random() * 0.39) * 1000) / 1000;
  const license = BULK_LICENSES[Math.floor(random() * BULK_LICENSES.length)] ?? 'Apache-2.0';
  const format = BULK_FORMATS[Math.floor(random() * BULK_FORMATS.length)] ?? 'onnx';
  return omlmdArtifact({
    metadata: {
      name: repository.split('/').pop() ?? repository,
      description: `bulk model ${repository}:${tag}`,
      author: 'ocidex bench',
      customProperties: { accuracy, license, version: tag },
      model_format_name: format,
    },
    modelFile: 'model.bin',
    modelBytes: bulkModelBytes(repository),
    includeYaml: false,
  });
}

/** Runs `work` over `items` with at most `concurrency` at once; the first failure rejects. */
async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
