/**
 * Documents shaped like real crawls for the query benchmark: several registries and many
 * repositories, mostly model artifacts (modelpack, omlmd, docker-model) with licenses, metrics,
 * layers and annotations, some container images; a third signed. Deterministic (seeded).
 */
import type { ArtifactDocument, JsonObject, ReferrerSummary } from '../src/domain/document.js';
import { documentReference } from '../src/domain/document.js';

/** mulberry32 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGISTRIES = ['ghcr.io', 'quay.io', 'registry.example.com:5000'];
const LICENSES: Array<[string | null, number]> = [
  ['Apache-2.0', 0.35],
  ['MIT', 0.25],
  ['llama3', 0.1],
  ['gemma', 0.05],
  ['CC-BY-4.0', 0.05],
  [null, 0.2],
];
/** When the benchmark's crawl started (documents are 37 ms apart). */
const CRAWL_START_MS = Date.UTC(2025, 2, 1, 10);
const FAMILIES = ['llama', 'qwen2', 'mistral', 'gemma', 'phi3', 'bert', 'resnet'];
const FORMATS: Array<[ArtifactDocument['format'], number]> = [
  ['modelpack', 0.4],
  ['omlmd', 0.2],
  ['docker-model', 0.15],
  ['oci-image', 0.25],
];

function weighted<T>(random: () => number, table: Array<[T, number]>): T {
  let roll = random();
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (table[table.length - 1] as [T, number])[0];
}

function hex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length)
    text += Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

function layers(random: () => number, count: number): ArtifactDocument['layers'] {
  return Array.from({ length: count }, (_, index) => ({
    mediaType: index === 0 ? 'application/vnd.cncf.model.weight.v1.raw' : 'application/vnd.cncf.model.doc.v1.raw',
    digest: `sha256:${hex(random, 64)}`,
    size: Math.floor(10 ** (3 + random() * 7)),
    title: index === 0 ? 'model.safetensors' : `file-${index}.md`,
    annotations: { 'org.cncf.model.filepath': index === 0 ? 'model.safetensors' : `file-${index}.md` },
  }));
}

function modelInfo(random: () => number, index: number, format: string): ArtifactDocument['model'] {
  const license = weighted(random, LICENSES);
  const family = FAMILIES[Math.floor(random() * FAMILIES.length)] as string;
  const paramSize = `${[0.5, 1, 3, 7, 8, 13, 70][Math.floor(random() * 7)]}b`;
  const metrics: Record<string, number> = {};
  if (random() < 0.6) metrics['accuracy'] = Math.round((0.5 + random() * 0.5) * 10_000) / 10_000;
  if (random() < 0.3) metrics['f1'] = Math.round(random() * 1_000) / 1_000;
  return {
    name: `${family}-${index}`,
    version: `${1 + Math.floor(random() * 3)}.${Math.floor(random() * 10)}`,
    license,
    licenses: license === null ? [] : [license],
    licenseRaw: license,
    format: format === 'docker-model' ? 'gguf' : random() < 0.8 ? 'safetensors' : 'onnx',
    framework: null,
    base: null,
    architecture: family === 'resnet' ? 'cnn' : 'transformer',
    family,
    paramSize,
    precision: random() < 0.5 ? 'bf16' : 'fp16',
    quantization: random() < 0.3 ? 'q4_0' : null,
    authors: [`${family} team`],
    description: `${family} ${paramSize} model${random() < 0.2 ? ', quantized' : ''} for ${random() < 0.5 ? 'chat' : 'embeddings'}`,
    uri: random() < 0.5 ? `https://huggingface.co/${family}/${family}-${index}` : null,
    created: new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 6e10)).toISOString(),
    metrics,
  };
}

function signature(random: () => number): ReferrerSummary {
  return {
    digest: `sha256:${hex(random, 64)}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    kind: 'signature',
    annotations: { 'dev.cosignproject.cosign/signature': hex(random, 40) },
    referrers: [],
  };
}

/** Document `index` of the benchmark corpus. */
export function benchDocument(random: () => number, index: number, repositories: number): ArtifactDocument {
  const registry = REGISTRIES[index % REGISTRIES.length] as string;
  const repositoryNumber = Math.floor(random() * repositories);
  const repository = `org-${repositoryNumber % 50}/model-${repositoryNumber}`;
  const digest = `sha256:${hex(random, 64)}`;
  const format = weighted(random, FORMATS);
  const kind = format === 'oci-image' ? 'image' : 'model';
  const layerList = layers(random, 1 + Math.floor(random() * 4));
  const annotations: JsonObject = {
    'org.opencontainers.image.created': new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 6e10)).toISOString(),
    'org.opencontainers.image.source': `https://github.com/org-${index % 50}/model`,
    'org.opencontainers.image.revision': hex(random, 40),
  };
  const tags = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, tag) =>
    tag === 0 ? 'latest' : `v${tag}.${Math.floor(random() * 9)}`,
  );
  const referrers = random() < 0.33 ? [signature(random)] : [];
  return {
    reference: documentReference(registry, repository, digest),
    registry,
    repository,
    digest,
    tags,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: kind === 'model' ? 'application/vnd.cncf.model.manifest.v1+json' : null,
    kind,
    format,
    annotations,
    config:
      kind === 'model'
        ? { descriptor: { name: `model-${index}` }, config: { format: 'safetensors' } }
        : { architecture: 'amd64', os: 'linux' },
    layers: layerList,
    manifests: [],
    size: layerList.reduce((sum, layer) => sum + layer.size, 0) + 2_048,
    model: kind === 'model' ? modelInfo(random, index, format) : null,
    mount:
      kind === 'model'
        ? { imageVolume: false, artifactVolume: true, reason: 'not_an_image_config' }
        : { imageVolume: true, artifactVolume: false, reason: 'unnamed_layer' },
    subject: null,
    parent: null,
    platform: kind === 'image' ? { os: 'linux', architecture: 'amd64', variant: null } : null,
    referrers,
    signed: referrers.length > 0,
    verified: false,
    signers: [],
    // As crawls write it: the time each manifest was decoded, so documents are ordered by it.
    crawledAt: new Date(CRAWL_START_MS + index * 37).toISOString(),
  };
}
