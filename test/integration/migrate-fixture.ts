/**
 * The index `ocidex migrate` is tested with: real-shaped documents of every kind a crawl stores
 * (models, an image index and its child, a signature and an SBOM as referrers, a truncated
 * document, long and lone-surrogate strings), tags moved between two crawls (history), a run
 * with errors, a registry config, trust policies and referrer records with signature material.
 */
import { emptyCounts } from '../../src/domain/crawl.js';
import type { ArtifactDocument } from '../../src/domain/document.js';
import { QueryEngine } from '../../src/query/index.js';
import type { IndexStore } from '../../src/store/index.js';
import {
  AT,
  REGISTRY,
  REPOSITORY,
  applyCrawl,
  indexDocument,
  modelDocument,
  referrer,
} from '../unit/store/fixtures.js';
import { modelInfo } from '../support/documents.js';

const LICENSES = ['Apache-2.0', 'MIT', 'llama3', null] as const;

/** Models with varied licenses, metrics, families and formats. */
function models(): ArtifactDocument[] {
  return Array.from({ length: 24 }, (_, index) =>
    modelDocument(`model-${index}`, {
      model: modelInfo(`model-${index}`, {
        license: LICENSES[index % LICENSES.length] ?? null,
        family: index % 3 === 0 ? 'mistral' : 'llama',
        format: index % 2 === 0 ? 'gguf' : 'safetensors',
        paramSize: `${(index % 5) + 1}b`,
        metrics: index % 4 === 0 ? { accuracy: 0.8 + index / 200 } : { accuracy: 0.8 + index / 200, f1: index },
        description: index === 7 ? 'x'.repeat(700) : `the model-${index} model`,
      }),
      size: 1000 * (index + 1),
    }),
  );
}

/**
 * A model whose author holds a lone surrogate (stored as WTF-8 bytes) and non-ASCII text. Its
 * words match none of the text searches compared across backends: PostgreSQL's json type
 * refuses the escaped lone surrogate, so the document has no words there (pg-schema.ts).
 */
function oddity(): ArtifactDocument {
  return modelDocument('oddity', {
    annotations: { 'org.opencontainers.image.title': 'oddity' },
    model: modelInfo('oddity', {
      family: 'qwen',
      format: 'onnx',
      license: 'BSD-3-Clause',
      authors: ['lone \ud800 surrogate', 'ünïcode 🦙'],
    }),
  });
}

/** A document past MAX_VALUES_PER_DOCUMENT (values_truncated). */
function truncatedDocument(): ArtifactDocument {
  const annotations = Object.fromEntries(Array.from({ length: 2100 }, (_, index) => [`note.${index}`, `v${index}`]));
  return modelDocument('huge', { annotations });
}

/** Builds the index in `store`: two crawls of REPOSITORY, a run with errors, a config, trust material. */
export function buildIndex(store: IndexStore): void {
  const all = models();
  const plainChild = modelDocument('child');
  const index = indexDocument('multi', [plainChild]);
  const child = { ...plainChild, parent: index.digest };
  const huge = truncatedDocument();
  const signature = referrer('signature', 'signature');
  const sbom = referrer('sbom', 'sbom');
  const runId = store.startRun(REGISTRY, { repositories: [REPOSITORY] });
  const first = Object.fromEntries(all.slice(0, 12).map((document, position) => [`v${position}`, document]));
  applyCrawl(store, { tags: { ...first, latest: all[0] as ArtifactDocument }, runId });
  // Facets over every document count their paths (facet_paths), kept through the writes below.
  new QueryEngine(store.db).facets(['@.model.license', '@.model.family', '@.kind', '@.model.paramSize']);
  const second = Object.fromEntries(all.map((document, position) => [`v${position}`, document]));
  applyCrawl(store, {
    tags: { ...second, latest: all[11] as ArtifactDocument, multi: index, huge, odd: oddity() },
    documents: [child],
    referrers: { [(all[3] as ArtifactDocument).digest]: [signature, sbom] },
    at: '2025-03-02T10:00:00.000Z',
    runId,
  });
  store.setReferrers(
    REGISTRY,
    REPOSITORY,
    (all[4] as ArtifactDocument).digest,
    [signature],
    [{ summary: signature, material: { subject: null, envelopes: [], subjectManifest: 'e30=' } }],
  );
  store.recordErrors(runId, [
    { registry: REGISTRY, repository: REPOSITORY, reference: 'v99', code: 'manifest_unknown', message: 'gone', at: AT },
    { registry: REGISTRY, repository: null, reference: null, code: 'denied', message: 'no catalog', at: AT },
  ]);
  store.finishRun(runId, {
    registry: REGISTRY,
    counts: { ...emptyCounts(), repositories: 1, manifestsNew: 27, errors: 2 },
    errorsByCode: { manifest_unknown: 1, denied: 1 },
    requests: { total: 40, byOperation: {} },
    startedAt: AT,
    finishedAt: AT,
    durationMs: 12,
    status: 'succeeded',
    fatal: null,
  });
  store.putRegistryConfig(
    { id: 'local', config: { id: 'local', url: 'http://127.0.0.1:5000', schedule: '0 * * * *' }, source: 'api' },
    { replace: false },
  );
  store.setTrustPolicies('hash-1', [
    {
      name: 'team',
      scope: ['registry.test:5000/**'],
      sigstore: null,
      notation: { trustStore: [], trustedIdentities: ['*'] },
    },
  ]);
}
