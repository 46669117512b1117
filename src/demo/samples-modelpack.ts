/**
 * CNCF ModelPack artifacts as `modctl build` writes them, in the current `cncf` form and the
 * older `cnai` form (snake_case config keys). See /work/shared/FORMATS.md "CNCF ModelPack".
 */
import type { JsonObject, JsonValue } from '../domain/document.js';
import type { ImageManifest } from '../domain/oci.js';
import { descriptorFor, manifestArtifact, type BlobSpec, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes, textBytes } from './bytes.js';

export interface ModelPackOptions {
  name: string;
  version?: string;
  family?: string;
  licenses?: string[];
  authors?: string[];
  vendor?: string;
  description?: string;
  createdAt?: string;
  sourceURL?: string;
  architecture?: string;
  /** Weight file format, e.g. `safetensors`. */
  format?: string;
  paramSize?: string;
  precision?: string;
  quantization?: string;
  capabilities?: {
    inputTypes?: string[];
    outputTypes?: string[];
    toolUsage?: boolean;
    reasoning?: boolean;
    languages?: string[];
  };
  /** File name of the weight layer (default `model.safetensors`). */
  weightFile?: string;
}

type Flavor = 'cncf' | 'cnai';

/** Config keys the `cnai` era spelled in snake_case. */
const CNAI_KEYS: Record<string, string> = {
  diffIds: 'diff_ids',
  inputTypes: 'input_types',
  outputTypes: 'output_types',
  knowledgeCutoff: 'knowledge_cutoff',
  toolUsage: 'tool_usage',
};

/** A ModelPack artifact (`artifactType` application/vnd.cncf.model.manifest.v1+json). */
export function modelPackArtifact(options: ModelPackOptions): SampleArtifact<ImageManifest> {
  return buildModelPack(options, 'cncf');
}

/** The same artifact in the older `cnai` spelling, still common in registries. */
export function cnaiArtifact(options: ModelPackOptions): SampleArtifact<ImageManifest> {
  return buildModelPack(options, 'cnai');
}

function buildModelPack(options: ModelPackOptions, flavor: Flavor): SampleArtifact<ImageManifest> {
  // The cnai era wrote tar layers; the current modctl writes raw files with `--raw`.
  const packing = flavor === 'cncf' ? 'raw' : 'tar';
  const weightFile = options.weightFile ?? 'model.safetensors';
  const files: Array<[kind: string, path: string, bytes: Uint8Array]> = [
    [
      'weight.config',
      'config.json',
      jsonBytes({ model_type: options.family ?? 'llama', torch_dtype: options.precision ?? 'bfloat16' }),
    ],
    ['weight', weightFile, fillerBytes(`${flavor}:${options.name}:${weightFile}`, 400)],
    ['doc', 'README.md', textBytes(`# ${options.name}\n\n${options.description ?? 'A sample model.'}\n`)],
    ['doc', 'LICENSE', textBytes(`${(options.licenses ?? ['Apache-2.0']).join(' OR ')}\n`)],
  ];
  const layers: BlobSpec[] = files.map(([kind, path, bytes]) => ({
    mediaType: `application/vnd.${flavor}.model.${kind}.v1.${packing}`,
    bytes,
    annotations: fileAnnotations(flavor, path, bytes, options.createdAt),
  }));
  const diffIds = layers.map((layer) => descriptorFor(layer).digest);
  const config = modelConfig(options, diffIds);
  return manifestArtifact({
    artifactType: `application/vnd.${flavor}.model.manifest.v1+json`,
    config: {
      mediaType: `application/vnd.${flavor}.model.config.v1+json`,
      bytes: jsonBytes(flavor === 'cnai' ? renameKeys(config, CNAI_KEYS) : config),
    },
    layers,
    annotations: { [`org.${flavor}.modctl.modelfile`]: modelfile(options, files) },
  });
}

function fileAnnotations(
  flavor: Flavor,
  path: string,
  bytes: Uint8Array,
  mtime = '2025-06-01T00:00:00Z',
): Record<string, string> {
  const metadata = { name: path, mode: 420, uid: 0, gid: 0, size: bytes.byteLength, mtime, typeflag: 48 };
  return {
    [`org.${flavor}.model.filepath`]: path,
    [`org.${flavor}.model.file.metadata+json`]: JSON.stringify(metadata),
    [`org.${flavor}.model.file.mediatype.untested`]: 'true',
  };
}

/** The model config in its current (camelCase) spelling; undefined fields are left out. */
function modelConfig(options: ModelPackOptions, diffIds: string[]): JsonObject {
  const descriptor = {
    createdAt: options.createdAt ?? '2025-06-01T00:00:00Z',
    authors: options.authors,
    family: options.family,
    name: options.name,
    sourceURL: options.sourceURL,
    version: options.version,
    vendor: options.vendor,
    licenses: options.licenses,
    description: options.description,
  };
  const config = {
    architecture: options.architecture,
    format: options.format,
    paramSize: options.paramSize,
    precision: options.precision,
    quantization: options.quantization,
    capabilities: options.capabilities,
  };
  // A JSON round trip drops the undefined fields, as Go's `omitempty` does.
  return JSON.parse(JSON.stringify({ descriptor, modelfs: { type: 'layers', diffIds }, config })) as JsonObject;
}

function renameKeys(value: JsonValue, names: Record<string, string>): JsonValue {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [names[key] ?? key, renameKeys(member, names)]),
  );
}

/** The Modelfile modctl stores in the manifest annotation. */
function modelfile(options: ModelPackOptions, files: Array<[string, string, Uint8Array]>): string {
  const lines = [`NAME ${options.name}`];
  if (options.architecture !== undefined) lines.push(`ARCH ${options.architecture}`);
  if (options.family !== undefined) lines.push(`FAMILY ${options.family}`);
  if (options.format !== undefined) lines.push(`FORMAT ${options.format}`);
  if (options.paramSize !== undefined) lines.push(`PARAMSIZE ${options.paramSize}`);
  if (options.precision !== undefined) lines.push(`PRECISION ${options.precision}`);
  const keyword: Record<string, string> = { 'weight.config': 'CONFIG', weight: 'MODEL', doc: 'DOC' };
  for (const [kind, path] of files) lines.push(`${keyword[kind] ?? 'CODE'} ${path}`);
  return `${lines.join('\n')}\n`;
}
