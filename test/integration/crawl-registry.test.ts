/**
 * The crawl pipeline against the real CNCF distribution registry (Debian's docker-registry):
 * no referrers API there, so the tag-schema fallback is exercised for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { BROKEN_ANNOTATION, findSample, pushSampleSet, type SampleSetInfo } from '../../src/demo/sample-set.js';
import { omlmdArtifact } from '../../src/demo/samples.js';
import { pushArtifact } from '../../src/demo/samples.js';
import { documentReference } from '../../src/domain/document.js';
import { QueryEngine } from '../../src/query/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { snapshot, tempIndex, type TempIndex } from '../support/temp-index.js';

let registry: RunningRegistry;
let pusher: Pusher;
let samples: SampleSetInfo;
let temp: TempIndex;

const crawl = async (options: Parameters<typeof crawlRegistry>[2] = {}) => {
  const client = new RegistryClient({ registry: registry.host });
  try {
    return await crawlRegistry(client, temp.index, options);
  } finally {
    await client.close();
  }
};
const reference = (ref: string) => {
  const entry = findSample(samples, ref);
  return documentReference(registry.host, entry.repository, entry.digest);
};

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new Pusher(registry.url);
  samples = await pushSampleSet(pusher);
  temp = tempIndex();
});

afterAll(async () => {
  temp?.cleanup();
  await pusher?.close();
  await registry?.stop();
});

describe('crawling a real distribution registry', () => {
  it('indexes one document per tagged artifact, of every format', async () => {
    const summary = await crawl();
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.repositories).toBe(samples.repositories.length);
    for (const entry of samples.artifacts) {
      const document = temp.index.getDocument(documentReference(registry.host, entry.repository, entry.digest));
      expect(document, entry.ref).not.toBeNull();
      expect(document).toMatchObject({
        format: entry.format,
        kind: entry.kind,
        tags: [entry.tag],
        digest: entry.digest,
      });
      if (entry.facts.license) expect(document?.model?.license, entry.ref).toBe(entry.facts.license);
      if (entry.facts.accuracy !== null)
        expect(document?.model?.metrics.accuracy, entry.ref).toBe(entry.facts.accuracy);
      const cosignSigned = samples.cosignSignatures.some((signature) => signature.subject === entry.digest);
      expect(document?.signed, entry.ref).toBe(entry.facts.signed || cosignSigned);
      expect(document?.subject ?? null, entry.ref).toBe(entry.facts.subject);
      if (entry.facts.name) expect(document?.model?.name, entry.ref).toBe(entry.facts.name);
      if (entry.facts.modelFormat) expect(document?.model?.format, entry.ref).toBe(entry.facts.modelFormat);
      if (entry.facts.framework) expect(document?.model?.framework, entry.ref).toBe(entry.facts.framework);
      if (entry.kind === 'model') expect(document?.model?.base, entry.ref).toBe(entry.facts.base);
      if (entry.facts.mount) expect(document?.mount, entry.ref).toEqual(entry.facts.mount);
    }
  });

  it('decodes KitOps kits, DMR v0.2 and Ollama tensor layers as their tools write them', () => {
    const supportBot = temp.index.getDocument(reference('kitops/support-bot:1.2.0'));
    expect(supportBot?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(supportBot?.config).toMatchObject({ datasets: [{ path: './data/tickets.parquet', license: 'CC-BY-4.0' }] });
    expect(temp.index.getDocument(reference('kitops/titanic:0.1.0'))?.model?.metrics).toEqual({
      accuracy: 0.83,
      f1: 0.79,
    });
    const qwen = temp.index.getDocument(reference('runner/qwen2-vl:latest'));
    expect(qwen?.model).toMatchObject({ license: 'Apache-2.0', licenseRaw: 'apache-2.0' });
    expect(qwen?.layers.map((layer) => layer.title)).toEqual([
      'model.gguf',
      'mmproj.gguf',
      'template.jinja',
      'LICENSE',
    ]);
    const gemma = temp.index.getDocument(reference('ollama/gemma3-st:1b'));
    expect(gemma?.layers.map((layer) => layer.title)).toEqual([
      'token_embd.weight',
      'blk.0.attn_q.weight',
      'config.json',
    ]);
  });

  it('answers which models containerd can mount, and which kits derive from a parent', () => {
    const engine = new QueryEngine(temp.index.db);
    const mountable = engine.query('$[?@.kind == "model" && @.mount.imageVolume == true].reference');
    expect(mountable.items).toEqual([reference('models/digits-image:1.0')]);
    const children = engine.query('$[?@.model.base == "jozu.ml/jozu/llama3-8b:8B-instruct-q4_0"].reference');
    expect(children.items).toEqual([reference('kitops/legal-lora:2.0.0')]);
  });

  it('embeds referrers through the tag-schema fallback, with referrers of referrers', () => {
    const document = temp.index.getDocument(reference('models/fraud-detector:v2'));
    const kinds = document?.referrers.map((referrer) => referrer.kind).sort();
    expect(kinds).toEqual(['sbom', 'signature']);
    const sbom = document?.referrers.find((referrer) => referrer.kind === 'sbom');
    expect(sbom?.referrers.map((referrer) => referrer.kind)).toEqual(['signature']);
    expect(temp.index.getReferrersApi(registry.host)).toBe(false);
  });

  it('attaches cosign .sig tags to their subject instead of indexing them as versions', () => {
    const [cosign] = samples.cosignSignatures;
    expect(cosign).toBeDefined();
    const subject = temp.index.getDocument(documentReference(registry.host, cosign!.repository, cosign!.subject));
    expect(subject?.signed).toBe(true);
    expect(subject?.tags).not.toContain(cosign!.tag);
    expect(subject?.referrers.map((referrer) => referrer.digest)).toContain(cosign!.digest);
    expect(temp.index.getDocument(documentReference(registry.host, cosign!.repository, cosign!.digest))).toBeNull();
  });

  it('indexes the children of a multi-platform index with their platform', () => {
    const index = temp.index.getDocument(reference('images/base:multi'));
    expect(index?.kind).toBe('index');
    const platforms = index!.manifests.map((child) => {
      const document = temp.index.getDocument(documentReference(registry.host, 'images/base', child.digest));
      expect(document?.parent).toBe(index!.digest);
      return `${document?.platform?.os}/${document?.platform?.architecture}`;
    });
    expect(platforms.sort()).toEqual(findSample(samples, 'images/base:multi').facts.platforms.sort());
  });

  it('reports a broken +json annotation and still indexes the artifact', () => {
    const document = temp.index.getDocument(reference('models/churn:0.3'));
    expect(document?.model?.license).toBe('Apache-2.0');
    expect(typeof document?.annotations[BROKEN_ANNOTATION]).toBe('string');
    const errors = temp.index.listErrors({ registry: registry.host });
    expect(errors.find((error) => error.code === 'invalid_json_annotation')?.reference).toBe(
      reference('models/churn:0.3'),
    );
  });

  it('recrawls an unchanged registry without a manifest or blob GET and changes nothing', async () => {
    const before = snapshot(temp.index.db);
    const summary = await crawl();
    expect(summary.status).toBe('succeeded');
    expect(summary.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(summary.requests.byOperation['blob.get'] ?? 0).toBe(0);
    expect(summary.counts.repositoriesUnchanged).toBe(samples.repositories.length);
    expect(summary.counts.manifestsNew).toBe(0);
    expect(snapshot(temp.index.db)).toEqual(before);
  });

  it('follows a moved tag and a deleted manifest on recrawl', async () => {
    const oldSentiment = findSample(samples, 'models/sentiment:1.0');
    const moved = await pushArtifact(
      pusher,
      'models/sentiment',
      omlmdArtifact({
        metadata: {
          name: 'sentiment',
          customProperties: { accuracy: 0.96, license: 'MIT' },
          model_format_name: 'safetensors',
        },
        modelFile: 'model.safetensors',
      }),
      '1.0',
    );
    const churn = findSample(samples, 'models/churn:0.3');
    await pusher.deleteManifest(churn.repository, churn.digest);

    const summary = await crawl();
    expect(summary.counts.tagsMoved).toBe(1);
    expect(summary.counts.tagsRemoved).toBe(1);
    expect(summary.counts.manifestsNew).toBe(1);
    const current = temp.index.getDocument(documentReference(registry.host, 'models/sentiment', moved.digest));
    expect(current?.tags).toEqual(['1.0']);
    expect(current?.model?.metrics.accuracy).toBe(0.96);
    expect(
      temp.index.getDocument(documentReference(registry.host, 'models/sentiment', oldSentiment.digest)),
    ).toBeNull();
    expect(temp.index.getDocument(reference('models/churn:0.3'))).toBeNull();
    const history = temp.index.tagHistory(registry.host, 'models/sentiment').filter((event) => event.tag === '1.0');
    expect(history.at(-1)).toMatchObject({ oldDigest: oldSentiment.digest, newDigest: moved.digest });
  });

  it('crawls only the repositories an include glob selects', async () => {
    const other = tempIndex();
    try {
      const client = new RegistryClient({ registry: registry.host });
      const summary = await crawlRegistry(client, other.index, { include: ['llm/**'], exclude: ['**/legacy-*'] });
      await client.close();
      expect(other.index.listRepositories(registry.host)).toEqual(['llm/granite-mini']);
      expect(summary.counts.repositories).toBe(1);
    } finally {
      other.cleanup();
    }
  });
});

describe('a registry that cannot be crawled', () => {
  it('fails the crawl with `unreachable` when nothing listens', async () => {
    const other = tempIndex();
    try {
      const client = new RegistryClient({ registry: '127.0.0.1:9', retry: { maxAttempts: 1 } });
      const summary = await crawlRegistry(client, other.index);
      await client.close();
      expect(summary.status).toBe('failed');
      expect(summary.fatal?.code).toBe('unreachable');
    } finally {
      other.cleanup();
    }
  });
});
