/**
 * KitOps ModelKits as `kit pack` / `kit push` write them (jozu-ai/kitops): an OCI manifest with
 * no `artifactType` and no top-level `mediaType`, the Kitfile as the JSON config, one layer per
 * Kitfile entry. Also the early-2024 shape (`vnd.kitops.model.*`, a `models[]` list with
 * validation metrics). See /work/shared/FORMATS.md "KitOps ModelKit".
 */
import type { JsonObject } from '../domain/document.js';
import type { ImageManifest } from '../domain/oci.js';
import { manifestArtifact, type BlobSpec, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes } from './bytes.js';

export const KitopsMediaType = {
  config: 'application/vnd.kitops.modelkit.config.v1+json',
  model: 'application/vnd.kitops.modelkit.model.v1.tar',
  modelPart: 'application/vnd.kitops.modelkit.modelpart.v1.tar',
  dataset: 'application/vnd.kitops.modelkit.dataset.v1.tar+gzip',
  code: 'application/vnd.kitops.modelkit.code.v1.tar+gzip',
  docs: 'application/vnd.kitops.modelkit.docs.v1.tar',
  earlyConfig: 'application/vnd.kitops.model.config.v1+json',
  earlyContent: 'application/vnd.kitops.model.content.v1.tar+gzip',
} as const;

export interface KitopsOptions {
  /** `package.name`, also seeds the layer bytes. */
  name: string;
  version: string;
  license: string;
  authors?: string[];
  /** `model.name`. */
  modelName: string;
  framework: string;
  format?: string;
  /** `model.path`: a file in the kit, or a parent kit's reference (then no model layer). */
  modelPath?: string;
  dataset?: { name: string; path: string; license: string };
}

/** A current ModelKit: package, model (or a parent kit and a model part), a dataset, docs. */
export function kitopsArtifact(options: KitopsOptions): SampleArtifact<ImageManifest> {
  const modelPath = options.modelPath ?? './model';
  const fromParent = !modelPath.startsWith('.');
  const kitfile: JsonObject = {
    manifestVersion: '1.0.0',
    package: {
      name: options.name,
      version: options.version,
      license: options.license,
      authors: options.authors ?? ['ocidex demo'],
    },
    model: {
      name: options.modelName,
      path: modelPath,
      framework: options.framework,
      ...(options.format !== undefined ? { format: options.format } : {}),
      version: options.version,
      ...(fromParent ? { parts: [{ name: 'adapter', path: './adapter', type: 'lora-adapter' }] } : {}),
    },
    ...(options.dataset !== undefined ? { datasets: [options.dataset] } : {}),
    docs: [{ path: 'README.md', description: 'Model card' }],
  };
  const blob = (mediaType: string, label: string): BlobSpec => ({
    mediaType,
    bytes: fillerBytes(`kitops:${options.name}:${label}`, 300),
  });
  const layers = [
    fromParent ? blob(KitopsMediaType.modelPart, 'adapter') : blob(KitopsMediaType.model, 'model'),
    ...(options.dataset !== undefined ? [blob(KitopsMediaType.dataset, 'dataset')] : []),
    blob(KitopsMediaType.docs, 'docs'),
  ];
  return manifestArtifact({
    omitMediaType: true,
    config: { mediaType: KitopsMediaType.config, bytes: jsonBytes(kitfile) },
    layers,
    annotations: { 'ml.kitops.modelkit.cli-version': '1.6.0' },
  });
}

/** An early-2024 ModelKit: `vnd.kitops.model.*` types and a `models[]` list with validation metrics. */
export function earlyKitopsArtifact(options: {
  name: string;
  license: string;
  metrics: Record<string, number>;
}): SampleArtifact<ImageManifest> {
  const kitfile: JsonObject = {
    manifestVersion: 'v1.0',
    package: { name: options.name, version: '0.1.0', authors: ['ocidex demo'] },
    models: [
      {
        name: options.name,
        path: './model.joblib',
        framework: 'scikit-learn',
        version: '0.1.0',
        license: options.license,
        validation: { dataset: 'holdout', metrics: options.metrics },
      },
    ],
  };
  return manifestArtifact({
    config: { mediaType: KitopsMediaType.earlyConfig, bytes: jsonBytes(kitfile) },
    layers: [{ mediaType: KitopsMediaType.earlyContent, bytes: fillerBytes(`kitops-early:${options.name}`, 300) }],
  });
}
