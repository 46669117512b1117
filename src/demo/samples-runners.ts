/**
 * Model artifacts of the local model runners: Docker Model Runner (OCI manifest, docker.ai
 * config; v0.1 and the v0.2 one-layer-per-file shape) and Ollama (Docker v2 manifest, ollama
 * layers; also a safetensors import with named tensor layers). See /work/shared/FORMATS.md.
 */
import { MediaType, type ImageManifest } from '../domain/oci.js';
import { descriptorFor, manifestArtifact, type BlobSpec, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes, textBytes } from './bytes.js';

export const DockerModelMediaType = {
  config: 'application/vnd.docker.ai.model.config.v0.1+json',
  configV02: 'application/vnd.docker.ai.model.config.v0.2+json',
  mmproj: 'application/vnd.docker.ai.mmproj',
  chatTemplate: 'application/vnd.docker.ai.chat.template.jinja',
  gguf: 'application/vnd.docker.ai.gguf.v3',
  safetensors: 'application/vnd.docker.ai.safetensors',
  license: 'application/vnd.docker.ai.license',
} as const;

export const OllamaMediaType = {
  model: 'application/vnd.ollama.image.model',
  template: 'application/vnd.ollama.image.template',
  system: 'application/vnd.ollama.image.system',
  license: 'application/vnd.ollama.image.license',
  params: 'application/vnd.ollama.image.params',
  tensor: 'application/vnd.ollama.image.tensor',
  json: 'application/vnd.ollama.image.json',
} as const;

const FILEPATH = 'org.cncf.model.filepath';

export interface DockerModelOptions {
  name: string;
  /** Weight format: `gguf` (default) or `safetensors`. */
  format?: 'gguf' | 'safetensors';
  quantization?: string;
  parameters?: string;
  architecture?: string;
  contextSize?: number;
  license?: string;
  created?: string;
}

/** A Docker Model Runner artifact (`docker model push`). */
export function dockerModelArtifact(options: DockerModelOptions): SampleArtifact<ImageManifest> {
  const format = options.format ?? 'gguf';
  const weights: BlobSpec = {
    mediaType: format === 'gguf' ? DockerModelMediaType.gguf : DockerModelMediaType.safetensors,
    bytes: fillerBytes(`docker-model:${options.name}`, 400),
  };
  const license: BlobSpec = {
    mediaType: DockerModelMediaType.license,
    bytes: textBytes(`${options.license ?? 'Apache-2.0'}\n`),
  };
  const config = {
    config: {
      format,
      quantization: options.quantization ?? 'Q4_K_M',
      parameters: options.parameters ?? '135M',
      architecture: options.architecture ?? 'llama',
      size: `${weights.bytes.byteLength} B`,
      context_size: options.contextSize ?? 2048,
    },
    descriptor: { created: options.created ?? '2025-06-01T00:00:00Z' },
    rootfs: { type: 'rootfs', diff_ids: [descriptorFor(weights).digest, descriptorFor(license).digest] },
  };
  return manifestArtifact({
    config: { mediaType: DockerModelMediaType.config, bytes: jsonBytes(config) },
    layers: [weights, license],
  });
}

export interface OllamaOptions {
  name: string;
  family?: string;
  modelType?: string;
  fileType?: string;
  license?: string;
}

/** An Ollama model (`ollama push`): a Docker v2 manifest with ollama layers. */
export function ollamaArtifact(options: OllamaOptions): SampleArtifact<ImageManifest> {
  const layers: BlobSpec[] = [
    { mediaType: OllamaMediaType.model, bytes: fillerBytes(`ollama:${options.name}`, 400) },
    { mediaType: OllamaMediaType.template, bytes: textBytes('<|user|>\n{{ .Prompt }}</s>\n<|assistant|>\n') },
    { mediaType: OllamaMediaType.system, bytes: textBytes('You are a helpful assistant.') },
    { mediaType: OllamaMediaType.license, bytes: textBytes(`${options.license ?? 'Apache-2.0'}\n`) },
    { mediaType: OllamaMediaType.params, bytes: jsonBytes({ stop: ['<|user|>', '<|assistant|>'] }) },
  ];
  const family = options.family ?? 'llama';
  const config = {
    model_format: 'gguf',
    model_family: family,
    model_families: [family],
    model_type: options.modelType ?? '1B',
    file_type: options.fileType ?? 'Q4_0',
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => descriptorFor(layer).digest) },
  };
  return manifestArtifact({
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerImageConfig, bytes: jsonBytes(config) },
    layers,
  });
}

/**
 * A Docker Model Runner v0.2 artifact: one layer per file, each annotated with its file path,
 * and the GGUF metadata in the config (its `general.license` lower-case, as GGUF files say it).
 */
export function dockerModelV02Artifact(options: {
  name: string;
  ggufName: string;
  ggufLicense: string;
}): SampleArtifact<ImageManifest> {
  const file = (mediaType: string, path: string, bytes: Uint8Array): BlobSpec => ({
    mediaType,
    bytes,
    annotations: { [FILEPATH]: path },
  });
  const template = '{% for message in messages %}{{ message.content }}{% endfor %}';
  const layers = [
    file(DockerModelMediaType.gguf, 'model.gguf', fillerBytes(`docker-model-v0.2:${options.name}`, 400)),
    file(DockerModelMediaType.mmproj, 'mmproj.gguf', fillerBytes(`docker-model-v0.2:${options.name}:mmproj`, 200)),
    file(DockerModelMediaType.chatTemplate, 'template.jinja', textBytes(template)),
    file(DockerModelMediaType.license, 'LICENSE', textBytes(`${options.ggufLicense}\n`)),
  ];
  const config = {
    config: {
      format: 'gguf',
      quantization: 'Q4_K_M',
      parameters: '2.21 B',
      architecture: 'qwen2vl',
      size: '1.3 GB',
      context_size: 32768,
      gguf: { 'general.name': options.ggufName, 'general.license': options.ggufLicense },
    },
    descriptor: { created: '2025-12-01T00:00:00Z' },
    rootfs: { type: 'rootfs', diff_ids: layers.map((layer) => descriptorFor(layer).digest) },
  };
  return manifestArtifact({ config: { mediaType: DockerModelMediaType.configV02, bytes: jsonBytes(config) }, layers });
}

/** An Ollama safetensors import: `tensor` and `json` layers named by their descriptor `name`; no rootfs. */
export function ollamaSafetensorsArtifact(options: { name: string; family: string }): SampleArtifact<ImageManifest> {
  const tensor = (name: string): BlobSpec => ({
    mediaType: OllamaMediaType.tensor,
    bytes: fillerBytes(`ollama-st:${options.name}:${name}`, 300),
    name,
  });
  const layers: BlobSpec[] = [
    tensor('token_embd.weight'),
    tensor('blk.0.attn_q.weight'),
    {
      mediaType: OllamaMediaType.json,
      bytes: jsonBytes({ architectures: ['Gemma3ForCausalLM'] }),
      name: 'config.json',
    },
  ];
  const config = {
    model_format: 'safetensors',
    model_family: options.family,
    model_families: [options.family],
    model_type: '1B',
    file_type: 'BF16',
    capabilities: ['completion'],
    context_length: 32768,
    architecture: 'amd64',
    os: 'linux',
  };
  return manifestArtifact({
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerImageConfig, bytes: jsonBytes(config) },
    layers,
  });
}
