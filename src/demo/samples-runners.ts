/**
 * Model artifacts of the local model runners: Docker Model Runner (OCI manifest, docker.ai
 * config) and Ollama (Docker v2 manifest, ollama layers). See /work/shared/FORMATS.md.
 */
import { MediaType, type ImageManifest } from '../domain/oci.js';
import { descriptorFor, manifestArtifact, type BlobSpec, type SampleArtifact } from './artifact.js';
import { fillerBytes, jsonBytes, textBytes } from './bytes.js';

export const DockerModelMediaType = {
  config: 'application/vnd.docker.ai.model.config.v0.1+json',
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
} as const;

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
  const license: BlobSpec = { mediaType: DockerModelMediaType.license, bytes: textBytes(`${options.license ?? 'Apache-2.0'}\n`) };
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
  return manifestArtifact({ config: { mediaType: DockerModelMediaType.config, bytes: jsonBytes(config) }, layers: [weights, license] });
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
