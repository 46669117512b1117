/**
 * The demo's registry content: one artifact of every format ocidex decodes, signatures and an
 * SBOM through the referrers fallback, lineage, a multi-platform index, a cosign tag, and one
 * broken `+json` annotation. `pushSampleSet` returns what it pushed (see sample-set-types.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { Pusher } from './pusher.js';
import { SampleRecorder } from './sample-set-recorder.js';
import type { SampleEntry, SampleSetInfo } from './sample-set-types.js';
import {
  cnaiArtifact,
  descriptorOf,
  dockerImageArtifact,
  dockerModelArtifact,
  dockerModelV02Artifact,
  earlyKitopsArtifact,
  kitopsArtifact,
  modelPackArtifact,
  multiPlatformIndexArtifact,
  notationSignatureArtifact,
  ociImageArtifact,
  ollamaArtifact,
  ollamaSafetensorsArtifact,
  omlmdArtifact,
  omlmdImageArtifact,
  OmlmdMediaType,
  type OmlmdOptions,
  spdxSbomArtifact,
  type SampleArtifact,
} from './samples.js';

export { findSample } from './sample-set-types.js';
export type {
  SampleCosignSignature,
  SampleEntry,
  SampleFacts,
  SampleReferrer,
  SampleSetInfo,
} from './sample-set-types.js';

/** The annotation of models/churn:0.3 whose `+json` value is deliberately not JSON. */
export const BROKEN_ANNOTATION = 'training+json';

/**
 * Pushes the sample set (sequentially: the order of tags and referrers is deterministic).
 * Contents:
 * - models/fraud-detector:v1 omlmd, onnx, Apache-2.0, accuracy 0.91
 * - models/fraud-detector:v2 omlmd, onnx, Apache-2.0, accuracy 0.97; Notation signature and
 *   SPDX SBOM attached, and a Notation signature on the SBOM
 * - models/sentiment:1.0 omlmd, safetensors, MIT, accuracy 0.95; cosign `.sig` tag (signed with
 *   `options.signingKey` when given, so a trust policy holding its public key verifies it)
 * - models/churn:0.3 omlmd (legacy `application/x-artifact` layer), joblib, Apache-2.0,
 *   accuracy 0.88, and an invalid `training+json` annotation
 * - llm/granite-mini:1.0 ModelPack (cncf), safetensors, Apache-2.0; Notation signature
 * - llm/legacy-cnai:0.1 ModelPack (older cnai spelling), safetensors, MIT
 * - runner/smollm:latest Docker Model Runner, gguf
 * - ollama/tinyllama:latest Ollama, gguf
 * - runner/qwen2-vl:latest Docker Model Runner v0.2 (a file per layer), GGUF license "apache-2.0"
 * - ollama/gemma3-st:1b Ollama safetensors import (named tensor layers, no rootfs)
 * - kitops/support-bot:1.2.0 KitOps ModelKit, pytorch, safetensors, Apache-2.0, a dataset
 * - kitops/legal-lora:2.0.0 KitOps kit whose model is a parent kit (model.base)
 * - kitops/titanic:0.1.0 early KitOps kit (`models[]`), scikit-learn, MIT, accuracy 0.83
 * - models/digits-image:1.0 omlmd in image mode, MIT, accuracy 0.89: mountable on containerd
 * - images/modelcar:v2 OCI image whose `subject` is models/fraud-detector:v2 (lineage)
 * - images/base:multi OCI index, linux/amd64 + linux/arm64
 * - images/legacy-app:1.0 Docker v2 image
 */
export async function pushSampleSet(pusher: Pusher, options: { signingKey?: KeyObject } = {}): Promise<SampleSetInfo> {
  const recorder = new SampleRecorder(pusher, options.signingKey ?? null);
  const fraudV2 = await pushFraudDetector(recorder);
  await pushOtherOmlmdModels(recorder);
  await pushModelPacks(recorder);
  await pushRunnerModels(recorder);
  await pushKitops(recorder);
  await pushMountableModel(recorder);
  await pushImages(recorder, fraudV2);
  return recorder.info();
}

interface OmlmdSample {
  repository: string;
  tag: string;
  accuracy: number;
  license: string;
  /** omlmd `model_format_name`. */
  format: string;
  modelFile: string;
  options?: Partial<OmlmdOptions>;
}

/** Builds and pushes one omlmd model, recording its facts. */
async function pushOmlmd(
  recorder: SampleRecorder,
  sample: OmlmdSample,
): Promise<{ entry: SampleEntry; artifact: SampleArtifact }> {
  const name = sample.repository.split('/').pop() ?? sample.repository;
  const artifact = omlmdArtifact({
    metadata: {
      name,
      description: `${name} model`,
      author: 'ocidex demo',
      customProperties: { accuracy: sample.accuracy, license: sample.license, version: sample.tag },
      model_format_name: sample.format,
      model_format_version: '1',
    },
    modelFile: sample.modelFile,
    ...sample.options,
  });
  const entry = await recorder.push(sample.repository, sample.tag, artifact, 'omlmd', 'model', {
    name,
    accuracy: sample.accuracy,
    license: sample.license,
    modelFormat: sample.format,
  });
  return { entry, artifact };
}

/**
 * models/fraud-detector v1 and v2; v2 gets a Notation signature and an SPDX SBOM, and the SBOM
 * a signature of its own. Returns v2 (the subject of the modelcar).
 */
async function pushFraudDetector(recorder: SampleRecorder): Promise<SampleArtifact> {
  const base = { repository: 'models/fraud-detector', license: 'Apache-2.0', format: 'onnx', modelFile: 'model.onnx' };
  await pushOmlmd(recorder, { ...base, tag: 'v1', accuracy: 0.91 });
  const { entry, artifact } = await pushOmlmd(recorder, { ...base, tag: 'v2', accuracy: 0.97 });
  await recorder.attach(entry.repository, entry, notationSignatureArtifact(descriptorOf(artifact)), 'signature');
  const sbom = spdxSbomArtifact(descriptorOf(artifact), 'fraud-detector');
  const sbomRecord = await recorder.attach(entry.repository, entry, sbom, 'sbom');
  await recorder.attach(
    entry.repository,
    sbomRecord.digest,
    notationSignatureArtifact(descriptorOf(sbom)),
    'signature',
  );
  return artifact;
}

/** models/sentiment (with a cosign `.sig` tag) and models/churn (a broken `+json` annotation). */
async function pushOtherOmlmdModels(recorder: SampleRecorder): Promise<void> {
  const sentiment = await pushOmlmd(recorder, {
    repository: 'models/sentiment',
    tag: '1.0',
    accuracy: 0.95,
    license: 'MIT',
    format: 'safetensors',
    modelFile: 'model.safetensors',
  });
  await recorder.cosignSign(sentiment.entry, sentiment.artifact);
  const churn = await pushOmlmd(recorder, {
    repository: 'models/churn',
    tag: '0.3',
    accuracy: 0.88,
    license: 'Apache-2.0',
    format: 'joblib',
    modelFile: 'model.joblib',
    options: {
      modelMediaType: OmlmdMediaType.legacyModel,
      extraAnnotations: { [BROKEN_ANNOTATION]: '{"epochs": 12, "optimizer": adam' },
    },
  });
  churn.entry.facts.invalidJsonAnnotations.push(BROKEN_ANNOTATION);
}

/** llm/granite-mini (ModelPack, signed) and llm/legacy-cnai (the older cnai spelling). */
async function pushModelPacks(recorder: SampleRecorder): Promise<void> {
  const granite = modelPackArtifact({
    name: 'granite-mini',
    version: '1.0',
    family: 'granite',
    licenses: ['Apache-2.0'],
    authors: ['ocidex demo'],
    architecture: 'transformer',
    format: 'safetensors',
    paramSize: '1b',
    precision: 'bf16',
    capabilities: { inputTypes: ['text'], outputTypes: ['text'], toolUsage: true, languages: ['en'] },
  });
  const graniteEntry = await recorder.push('llm/granite-mini', '1.0', granite, 'modelpack', 'model', {
    name: 'granite-mini',
    license: 'Apache-2.0',
    modelFormat: 'safetensors',
  });
  await recorder.attach(
    graniteEntry.repository,
    graniteEntry,
    notationSignatureArtifact(descriptorOf(granite)),
    'signature',
  );

  const legacy = cnaiArtifact({
    name: 'legacy-cnai',
    version: '0.1',
    family: 'qwen2',
    licenses: ['MIT'],
    format: 'safetensors',
    paramSize: '0.5b',
    capabilities: { inputTypes: ['text'], outputTypes: ['text'], toolUsage: false },
  });
  await recorder.push('llm/legacy-cnai', '0.1', legacy, 'cnai', 'model', {
    name: 'legacy-cnai',
    license: 'MIT',
    modelFormat: 'safetensors',
  });
}

/** runner/smollm and runner/qwen2-vl (Docker Model Runner v0.1, v0.2), ollama/tinyllama and ollama/gemma3-st. */
async function pushRunnerModels(recorder: SampleRecorder): Promise<void> {
  const smollm = dockerModelArtifact({
    name: 'smollm',
    parameters: '135M',
    quantization: 'Q4_K_M',
    architecture: 'llama',
  });
  await recorder.push('runner/smollm', 'latest', smollm, 'docker-model', 'model', { modelFormat: 'gguf' });

  const tinyllama = ollamaArtifact({ name: 'tinyllama', family: 'llama', modelType: '1B', fileType: 'Q4_0' });
  await recorder.push('ollama/tinyllama', 'latest', tinyllama, 'ollama', 'model', { modelFormat: 'gguf' });

  const qwen = dockerModelV02Artifact({
    name: 'qwen2-vl',
    ggufName: 'Qwen2 VL 2B Instruct',
    ggufLicense: 'apache-2.0',
  });
  await recorder.push('runner/qwen2-vl', 'latest', qwen, 'docker-model', 'model', {
    name: 'Qwen2 VL 2B Instruct',
    license: 'Apache-2.0',
    modelFormat: 'gguf',
    mount: { imageVolume: false, artifactVolume: false, reason: 'not_an_image_config' },
  });
  const gemma = ollamaSafetensorsArtifact({ name: 'gemma3-st', family: 'gemma3' });
  await recorder.push('ollama/gemma3-st', '1b', gemma, 'ollama', 'model', {
    modelFormat: 'safetensors',
    mount: { imageVolume: false, artifactVolume: false, reason: 'no_diff_ids' },
  });
}

/** Three KitOps ModelKits: current, with a parent kit, and early (`models[]`). */
async function pushKitops(recorder: SampleRecorder): Promise<void> {
  const notMountable = { imageVolume: false, artifactVolume: false, reason: 'not_an_image_config' as const };
  const supportBot = kitopsArtifact({
    name: 'support-bot',
    version: '1.2.0',
    license: 'Apache-2.0',
    modelName: 'llama3-8b-support',
    framework: 'pytorch',
    format: 'safetensors',
    dataset: { name: 'tickets', path: './data/tickets.parquet', license: 'CC-BY-4.0' },
  });
  await recorder.push('kitops/support-bot', '1.2.0', supportBot, 'kitops', 'model', {
    name: 'llama3-8b-support',
    license: 'Apache-2.0',
    modelFormat: 'safetensors',
    framework: 'pytorch',
    mount: notMountable,
  });
  const base = 'jozu.ml/jozu/llama3-8b:8B-instruct-q4_0';
  const legal = kitopsArtifact({
    name: 'legal-lora',
    version: '2.0.0',
    license: 'Apache-2.0',
    modelName: 'llama3-legal',
    framework: 'pytorch',
    modelPath: base,
  });
  await recorder.push('kitops/legal-lora', '2.0.0', legal, 'kitops', 'model', {
    name: 'llama3-legal',
    license: 'Apache-2.0',
    framework: 'pytorch',
    base,
    mount: notMountable,
  });
  const titanic = earlyKitopsArtifact({ name: 'titanic', license: 'mit', metrics: { accuracy: 0.83, f1: 0.79 } });
  await recorder.push('kitops/titanic', '0.1.0', titanic, 'kitops', 'model', {
    name: 'titanic',
    license: 'MIT',
    accuracy: 0.83,
    framework: 'scikit-learn',
    mount: notMountable,
  });
}

/** models/digits-image: an omlmd model in image mode, the one model containerd can mount. */
async function pushMountableModel(recorder: SampleRecorder): Promise<void> {
  const digits = omlmdImageArtifact({
    metadata: { name: 'digits-image', customProperties: { accuracy: 0.89, license: 'MIT' }, model_format_name: 'onnx' },
  });
  await recorder.push('models/digits-image', '1.0', digits, 'omlmd', 'model', {
    name: 'digits-image',
    license: 'MIT',
    accuracy: 0.89,
    modelFormat: 'onnx',
    mount: { imageVolume: true, artifactVolume: true, reason: null },
  });
}

/** images/modelcar (lineage to fraud-detector v2), images/base (multi-platform), images/legacy-app (Docker). */
async function pushImages(recorder: SampleRecorder, modelcarSource: SampleArtifact): Promise<void> {
  const modelcar = ociImageArtifact({
    name: 'modelcar',
    labels: { 'org.opencontainers.image.source': 'https://example.com/ocidex/modelcar' },
    subject: descriptorOf(modelcarSource),
  });
  await recorder.push('images/modelcar', 'v2', modelcar, 'oci-image', 'image', { subject: modelcarSource.digest });

  const base = multiPlatformIndexArtifact('base');
  await recorder.push('images/base', 'multi', base, 'oci-index', 'index', {
    platforms: ['linux/amd64', 'linux/arm64'],
    mount: { imageVolume: true, artifactVolume: false, reason: 'unnamed_layer' },
  });

  const legacyApp = dockerImageArtifact({ name: 'legacy-app' });
  await recorder.push('images/legacy-app', '1.0', legacyApp, 'docker-image', 'image', {});
}
